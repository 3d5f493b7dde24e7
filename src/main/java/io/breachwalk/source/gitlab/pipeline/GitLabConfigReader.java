package io.breachwalk.source.gitlab.pipeline;

import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.StepHit;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.detect.config.JobReport;
import io.breachwalk.detect.config.JobResult;
import io.breachwalk.detect.config.SecretNames;
import io.breachwalk.detect.shell.ShellScan;
import io.breachwalk.detect.yaml.YNode;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Hit;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Job;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.MissingScript;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Pipeline;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.ScriptLine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * `inspect`'s view of a `.gitlab-ci.yml`: an adapter over the GitLab walk's {@link GitLabPipelineAnalyzer}, so that
 * both read GitLab CI the same way. One {@link JobReport} per job; GitLab puts every CI/CD variable of the project,
 * its groups and the instance in every job's shell, so the step's secrets are "project-level: all" plus the
 * secret-looking names the job's scripts use or its variables define. Conditions (`rules:`, `when: manual`) are not
 * judged here: inspect has no pipeline to judge them against, so a job counts if the configuration defines it.
 */
public final class GitLabConfigReader implements ConfigReader {
    @Override public String provider() { return "gitlab-ci"; }

    @Override public boolean conventionalPath(String p) { return p.equals(".gitlab-ci.yml") || p.endsWith("/.gitlab-ci.yml"); }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y == null || !y.isMap()) return false;
        long jobs = y.map().entrySet().stream().filter(e -> !GitLabPipelineAnalyzer.RESERVED.contains(e.getKey())
                && e.getValue().isMap()
                && (e.getValue().has("script") || e.getValue().has("extends") || e.getValue().has("stage"))).count();
        return jobs > 0 && (y.has("stages") || jobs >= 2 || y.map().keySet().stream().anyMatch(k -> k.startsWith(".")));
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        Pipeline p = GitLabPipelineAnalyzer.analyze(file.displayPath(), file.text(), lookup, ind);
        String note = String.join("; ", p.problems().stream().filter(s -> s.startsWith("include ")).toList());
        List<JobReport> out = new ArrayList<>();
        for (Job j : p.jobs()) out.add(report(file.displayPath(), j, note));
        return out;
    }

    private JobReport report(String path, Job j, String note) {
        JobResult r = new JobResult(path, provider(), j.name());
        if (j.neverRuns()) {
            // Defined but no pipeline creates it (rules all `when: never`), as GitHub's `if: false` steps.
            return r.note(path + ":" + j.line() + " job " + j.name() + ": rules never let it run").report();
        }
        for (Hit h : j.hits()) r.hit(stepHit(h));
        for (MissingScript m : j.missing()) {
            r.hit(new ShellScan.Missing(0, m.script(), m.via()).hit(m.file() + ":" + m.line()));
        }
        Set<String> referenced = new LinkedHashSet<>();
        for (ScriptLine l : j.scripts()) referenced.addAll(SecretNames.shellRefs(l.text()));
        Set<String> secrets = new LinkedHashSet<>();
        secrets.add(SecretNames.PROJECT_LEVEL_ALL);
        for (String n : referenced) if (!j.variables().contains(n)) secrets.add(n);
        for (String n : j.variables()) if (SecretNames.looksSecret(n)) secrets.add(n);
        if (!note.isEmpty()) r.note(note);
        return r.stepSecrets(secrets).report();
    }

    private static StepHit stepHit(Hit h) {
        String at = h.file() + ":" + h.line();
        if (!h.followed()) {
            return new StepHit(h.how(), h.affected(), h.possible() ? StepHit.POSSIBLE : StepHit.PROBABLE, at + " " + h.text());
        }
        return new StepHit(h.how(), h.affected(), StepHit.POSSIBLE, h.location() + " " + h.text() + " (called from " + at + ")");
    }
}
