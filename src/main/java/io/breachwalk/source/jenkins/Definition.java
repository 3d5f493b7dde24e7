package io.breachwalk.source.jenkins;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.shell.ShellGuard;
import io.breachwalk.detect.shell.ShellScan;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.Gap;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.Sink;
import io.breachwalk.source.jenkins.pipeline.JenkinsfileAnalyzer;
import io.breachwalk.source.jenkins.pipeline.JobConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a job's builds ran: config.xml (today's), and the Jenkinsfile (or the repository scripts a freestyle job's
 * shell steps call) at each build's revision. Loaded once per job; a definition that cannot be had is a gap of the job.
 */
final class Definition {
    private final JenkinsWalk walk;
    private final ScanContext ctx;
    private final JenkinsData data;
    final JobRef job;
    final Sink sink;
    private boolean loaded;
    private JobConfig config;
    private String configProblem;

    Definition(JenkinsWalk walk, JobRef job, Sink sink) {
        this.walk = walk;
        this.ctx = walk.ctx;
        this.data = walk.data;
        this.job = job;
        this.sink = sink;
    }

    private synchronized void load() {
        if (loaded) return;
        loaded = true;
        List<String> names = JenkinsWalk.isMatrixConfig(job) ? job.folders() : job.names();
        String xml;
        try {
            xml = data.config(job.fullName(), names);
        } catch (IOException e) {
            configProblem = "config.xml could not be read: " + JenkinsSource.reason(e);
            walk.gap(sink, job.fullName(), "", JenkinsHttp.denied(e) ? Gap.ACCESS_DENIED : Gap.API_ERROR,
                    configProblem, false);
            return;
        }
        if (xml == null) {
            configProblem = "config.xml was not found";
            walk.gap(sink, job.fullName(), "", Gap.CONFIG_NOT_FOUND, configProblem, false);
            return;
        }
        try {
            config = JobConfig.parse(xml);
        } catch (JobConfig.UnreadableConfig e) {
            configProblem = e.getMessage();
            walk.gap(sink, job.fullName(), "", Gap.UNPARSABLE_CONFIG, e.getMessage(), false);
        }
    }

    /** config.xml parsed, or null when it could not be had (a gap says why). */
    JobConfig config() {
        load();
        return config;
    }

    /**
     * The git remotes the job's definition comes from: its own SCM, or for a branch job its multibranch
     * project's branch source (read from the project's config.xml, which then is evidence of this job).
     */
    List<String> remotes(List<EvidenceLink> used) {
        load();
        if (config == null) return List.of();
        if (!config.scmUrls().isEmpty() || !job.branchJob()) return config.scmUrls();
        String parent = String.join("/", job.folders());
        // One read of the project's config.xml serves all its branch jobs.
        List<String> urls = walk.parentRemotes.computeIfAbsent(parent, p -> {
            try {
                String xml = data.config(p, job.folders());
                return xml == null ? List.of() : JobConfig.parse(xml).scmUrls();
            } catch (IOException | JobConfig.UnreadableConfig e) {
                return List.of();
            }
        });
        used.add(data.link(JenkinsData.CONFIG, parent));
        return urls;
    }

    boolean referencesUploader() {
        load();
        if (config == null) return false;
        if (config.inlineScript() != null) {
            return JenkinsfileAnalyzer.analyze("config.xml", config.inlineScript(), ctx.matcher()).runsUploader();
        }
        for (JobConfig.Shell s : config.shells()) if (!ctx.matcher().affectedScript(s.command()).isEmpty()) return true;
        return false;
    }

    Uses at(String sha, List<String> remotes, String buildId, List<EvidenceLink> used) throws IOException {
        load();
        if (config == null) return Uses.unknown(configProblem);
        if (config.inlineScript() != null) {
            return Uses.pipeline(JenkinsfileAnalyzer.analyze("config.xml", config.inlineScript(), ctx.matcher()),
                    "config.xml (inline pipeline script)");
        }
        if (config.scriptPath() != null) {
            String scriptPath = config.scriptPath();
            if (sha == null || remotes.isEmpty()) {
                return Uses.unknown("the build records no git revision to read " + scriptPath + " at");
            }
            String[] why = {"unreachable"};
            // One fetch of the revision serves the Jenkinsfile and the repository scripts its steps call.
            try (JenkinsData.Revision rev = data.revision(remotes, sha)) {
                Optional<String> text = rev.read(scriptPath, why);
                used.add(data.link(JenkinsData.SCM_FILE, scriptPath + "@" + sha));
                if (text.isEmpty()) {
                    walk.gap(sink, job.fullName(), buildId, Gap.CONFIG_NOT_FOUND, why[0], false);
                    return Uses.unknown(why[0]);
                }
                return Uses.pipeline(JenkinsfileAnalyzer.analyze(scriptPath, text.get(), ctx.matcher(),
                                lookup(rev, sha, used)), scriptPath + "@" + ScmFiles.abbrev(sha));
            }
        }
        Uses direct = Uses.freestyle(config, ctx);
        if (direct.runs() || sha == null || remotes.isEmpty() || config.shells().isEmpty()) return direct;
        // No shell step runs the uploader itself: follow the repository scripts and make targets they call,
        // at the build's revision (fetched only if a step calls one).
        try (JenkinsData.Revision rev = data.revision(remotes, sha)) {
            ShellScan scan = new ShellScan(ctx.matcher(), lookup(rev, sha, used));
            List<ShellScan.Found> followed = new ArrayList<>();
            List<Integer> idx = new ArrayList<>();
            for (JobConfig.Shell s : config.shells()) {
                for (ShellScan.Found f : scan.find(s.command(), ShellGuard.unknownEnv())) {
                    if (f.followed() && f.affected()) {
                        followed.add(f);
                        idx.add(s.index());
                    }
                }
            }
            if (followed.isEmpty() && rev.unreachable() != null) {
                walk.gap(sink, job.fullName(), buildId, Gap.CONFIG_NOT_FOUND, "the repository scripts the shell steps "
                        + "call could not be read: " + rev.unreachable(), false);
            }
            return Uses.freestyleScripts(config, followed, idx);
        }
    }

    /** Files of the build's revision for the shell scanner; each script read is evidence of this build. */
    FileLookup lookup(JenkinsData.Revision rev, String sha, List<EvidenceLink> used) {
        return p -> {
            String[] why = {null};
            try {
                Optional<String> t = rev.read(p, why);
                if (t.isPresent()) used.add(data.link(JenkinsData.SCM_FILE, p + "@" + sha));
                return t;
            } catch (IOException e) {
                return Optional.empty();
            }
        };
    }
}
