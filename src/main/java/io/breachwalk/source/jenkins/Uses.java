package io.breachwalk.source.jenkins;

import io.breachwalk.detect.ScriptMatch;
import io.breachwalk.detect.shell.ShellScan;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.jenkins.pipeline.JenkinsfileAnalyzer;
import io.breachwalk.source.jenkins.pipeline.JobConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a definition runs the uploader and what it binds: a Jenkinsfile analysis, a freestyle job's shell steps
 * and SecretBuildWrapper, or unknown (with why).
 */
record Uses(JenkinsfileAnalyzer.Analysis analysis, String source, JobConfig freestyle,
           List<ScriptMatch> shellMatches, List<Integer> shellIndexes, String why, boolean followed) {

    static Uses unknown(String why) { return new Uses(null, null, null, List.of(), List.of(), why, false); }

    static Uses pipeline(JenkinsfileAnalyzer.Analysis a, String source) {
        return new Uses(a, source, null, List.of(), List.of(), null, false);
    }

    /** Shell steps that run the uploader only inside a repository script they call: "script:path:line text". */
    static Uses freestyleScripts(JobConfig c, List<ShellScan.Found> found, List<Integer> idx) {
        List<ScriptMatch> matches = new ArrayList<>();
        for (ShellScan.Found f : found) {
            matches.add(new ScriptMatch(f.line(), f.how(), true, true, "script:" + f.location() + " " + f.text()));
        }
        return new Uses(null, "config.xml", c, matches, idx, null, !matches.isEmpty());
    }

    static Uses freestyle(JobConfig c, ScanContext ctx) {
        List<ScriptMatch> matches = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        for (JobConfig.Shell s : c.shells()) {
            for (ScriptMatch m : ctx.matcher().affectedScript(s.command())) {
                matches.add(m);
                idx.add(s.index());
            }
        }
        return new Uses(null, "config.xml", c, matches, idx, null, false);
    }

    /** A verdict from the definition alone rests on a weak reading: a conditional or followed use. */
    boolean weak(JenkinsfileAnalyzer.Use use) {
        if (analysis != null) return use != null && (use.conditional() || use.possible());
        return followed;
    }

    boolean unknown() { return why != null; }

    boolean runs() { return analysis != null ? analysis.runsUploader() : !shellMatches.isEmpty(); }

    JenkinsfileAnalyzer.Use first() {
        return analysis == null || analysis.affectedUses().isEmpty() ? null : analysis.affectedUses().get(0);
    }

    /** The use in the stage the log named, else the first one. */
    JenkinsfileAnalyzer.Use pick(String stage) {
        if (analysis == null) return null;
        for (JenkinsfileAnalyzer.Use u : analysis.affectedUses()) if (stage != null && stage.equals(u.stage())) return u;
        return first();
    }

    /** "; Jenkinsfile@abc1234:12 curl -s https://codecov.io/bash | bash" or the freestyle step. */
    String where(JenkinsfileAnalyzer.Use use) {
        if (analysis != null && use != null) return "; " + source + ":" + use.line() + " " + cut(use.text());
        if (!shellMatches.isEmpty()) {
            return "; " + source + " shell step " + shellIndexes.get(0) + " line " + shellMatches.get(0).line() + ": "
                    + cut(shellMatches.get(0).text());
        }
        return "";
    }

    /** Why the credentials around the uploader cannot be told, or null. */
    String bindingsUnknown() { return why; }

    List<JenkinsfileAnalyzer.Binding> stepBindings(JenkinsfileAnalyzer.Use use) {
        if (freestyle != null) {
            // SecretBuildWrapper binds for every build step of the job, the uploader's included.
            List<JenkinsfileAnalyzer.Binding> out = new ArrayList<>();
            for (JobConfig.Binding b : freestyle.bindings()) {
                out.add(new JenkinsfileAnalyzer.Binding(b.credentialsId(), "SecretBuildWrapper " + b.type(),
                        b.variables(), 0, null));
            }
            return out;
        }
        if (use == null) return List.of();
        return use.stepBindings();
    }

    List<JenkinsfileAnalyzer.Binding> jobBindings(JenkinsfileAnalyzer.Use use) {
        if (analysis == null || use == null) return List.of();
        return analysis.jobBindings(use);
    }

    /** One line of a definition for a row's evidence, at most 160 characters. */
    static String cut(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 160 ? t.substring(0, 157) + "..." : t;
    }
}
