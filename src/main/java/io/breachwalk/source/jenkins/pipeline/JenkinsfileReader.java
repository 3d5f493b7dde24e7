package io.breachwalk.source.jenkins.pipeline;


import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.StepHit;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.detect.config.JobReport;
import io.breachwalk.detect.config.JobResult;
import io.breachwalk.detect.shell.ShellGuard;
import io.breachwalk.detect.shell.ShellScan;
import io.breachwalk.detect.yaml.YNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * `inspect`'s view of a Jenkinsfile (declarative or scripted): an adapter over the Jenkins walk's
 * {@link JenkinsfileAnalyzer}, so that both read pipelines the same way. A Jenkinsfile is one job. Credentials bound
 * around the uploader (withCredentials, environment credentials()) are STEP; credentials bound elsewhere are JOB.
 */
public final class JenkinsfileReader implements ConfigReader {
    @Override public String provider() { return "jenkins"; }

    @Override
    public boolean conventionalPath(String p) {
        String base = p.substring(p.lastIndexOf('/') + 1);
        return base.equals("Jenkinsfile") || base.startsWith("Jenkinsfile.") || base.endsWith(".Jenkinsfile") || base.endsWith(".jenkinsfile");
    }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y != null && (y.isMap() || y.isSeq())) return false;
        return text.matches("(?s).*\\bpipeline\\s*\\{.*\\bstages?\\s*[({].*")
                || text.matches("(?s).*\\bnode\\s*(\\([^)]*\\))?\\s*\\{.*")
                || text.matches("(?s).*\\b(buildPlugin|withCredentials|stage\\s*\\()\\b?.*") && text.contains("(");
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) {
        String path = file.displayPath();
        JenkinsfileAnalyzer.Analysis a = JenkinsfileAnalyzer.analyze(path, file.text(), ind, lookup);
        JobResult r = new JobResult(path, provider(), "pipeline");
        Set<String> step = new LinkedHashSet<>();
        Set<String> job = new LinkedHashSet<>();
        for (JenkinsfileAnalyzer.Use u : a.uses()) {
            r.hit(new StepHit(u.how(), u.affected(), u.possible() ? StepHit.POSSIBLE : StepHit.PROBABLE,
                    path + ":" + u.line() + " " + u.text()));
            if (!u.affected()) continue;
            u.stepBindings().forEach(b -> step.add(b.credentialsId()));
            a.jobBindings(u).forEach(b -> job.add(b.credentialsId()));
        }
        // Scripts the pipeline calls that this tree does not hold (the analyzer follows those it holds).
        for (ShellScan.Missing m : new ShellScan(ind, lookup).missing(file.text(), ShellGuard.unknownEnv())) {
            r.hit(m.hit(path + ":" + m.line()));
            if (!a.runsUploader()) a.bindings().forEach(b -> job.add(b.credentialsId()));
        }
        return List.of(r.stepSecrets(step).jobSecrets(job).report());
    }
}
