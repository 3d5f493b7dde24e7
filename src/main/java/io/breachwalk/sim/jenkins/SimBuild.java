package io.breachwalk.sim.jenkins;

import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** One retained build of a simulated job. */
final class SimBuild {

    /** A generated build before numbering. */
    record Pending(JenkinsEstate.Generate gen, Instant timestamp) { }

    final SimItem job;
    final int number;
    final Instant timestamp;
    final String result;
    final long duration;
    final String log;
    final int padLines;
    final boolean logGone;
    final String sha;
    final String branch;
    final List<String> remoteUrls;
    final List<String> parameters;
    final List<JenkinsEstate.Stage> stages;

    private SimBuild(SimItem job, int number, Instant timestamp, String result, Long duration, String log,
                     Integer padLines, Boolean logGone, String revision, String branch, List<String> remoteUrls,
                     List<String> parameters, List<JenkinsEstate.Stage> stages, Repos repos) {
        this.job = job;
        this.number = number;
        this.timestamp = timestamp;
        this.result = result == null ? "SUCCESS" : result;
        this.duration = duration == null ? 60_000 : duration;
        this.log = log;
        this.padLines = padLines == null ? 0 : padLines;
        this.logGone = Boolean.TRUE.equals(logGone);
        JenkinsEstate.Scm scm = job.scm();
        String repo = scm == null ? null : scm.repo();
        this.sha = repos.sha(repo, revision);
        String defaultBranch = job.isBranchJob() ? job.name : scm != null && scm.branch() != null ? scm.branch() : "main";
        this.branch = branch == null ? defaultBranch : branch;
        if (remoteUrls != null) {
            this.remoteUrls = remoteUrls;
        } else if (scm == null) {
            this.remoteUrls = List.of();
        } else {
            this.remoteUrls = List.of(scm.url() != null ? scm.url() : repos.url(scm.repo()));
        }
        this.parameters = parameters == null ? List.of() : parameters;
        this.stages = stages == null ? List.of() : stages;
    }

    static SimBuild of(SimItem job, JenkinsEstate.Build b, Repos repos) {
        return new SimBuild(job, b.number(), b.timestamp(), b.result(), b.duration(), b.log(), b.logPadLines(),
                b.logGone(), b.revision(), b.branch(), b.remoteUrls(), b.parameters(), b.stages(), repos);
    }

    static SimBuild generated(SimItem job, int number, Pending p, Repos repos) {
        JenkinsEstate.Generate g = p.gen();
        return new SimBuild(job, number, p.timestamp(), g.result(), null, g.log(), g.logPadLines(), g.logGone(),
                g.revision(), null, null, null, g.stages(), repos);
    }

    String urlPath() { return job.urlPath() + number + "/"; }

    String wfapiStatus(String r) {
        if (r == null) return "IN_PROGRESS";
        return switch (r) {
            case "FAILURE" -> "FAILED";
            case "NOT_BUILT" -> "NOT_EXECUTED";
            default -> r;
        };
    }

    /**
     * Streams the console text: a Jenkins-like header, optional filler lines (so tests can serve a multi-megabyte log
     * without holding it), the body (the estate's log, or the stages' logs between [Pipeline] markers), the footer.
     */
    void writeConsole(OutputStream out) throws IOException {
        write(out, "Started by user admin\n");
        boolean pipeline = job.kind == SimItem.Kind.PIPELINE;
        String ws = "/var/jenkins_home/workspace/" + job.fullName().replace('/', '_');
        if (pipeline) {
            write(out, "[Pipeline] Start of Pipeline\n[Pipeline] node\nRunning on Jenkins in " + ws + "\n[Pipeline] {\n");
        } else {
            write(out, "Running as SYSTEM\nBuilding in workspace " + ws + "\n");
        }
        if (!remoteUrls.isEmpty() && sha != null) {
            write(out, "Checking out Revision " + sha + " (refs/remotes/origin/" + branch + ")\n");
        }
        for (int i = 0; i < padLines; i++) {
            write(out, "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/example/lib-" + i
                    + "/1.0/lib-" + i + "-1.0.jar (12 kB at 480 kB/s)\n");
        }
        if (matrixParent()) {
            for (SimItem c : job.children) write(out, "Triggering " + c.name + "\n");
            for (SimItem c : job.children) write(out, c.name + " completed with result " + result + "\n");
        } else if (log != null) {
            write(out, expand(log));
            if (!log.endsWith("\n")) write(out, "\n");
        } else {
            for (JenkinsEstate.Stage s : stages) {
                write(out, "[Pipeline] stage\n[Pipeline] { (" + s.name() + ")\n");
                if (s.log() != null) {
                    write(out, expand(s.log()));
                    if (!s.log().endsWith("\n")) write(out, "\n");
                } else if ("NOT_EXECUTED".equals(s.status()) || "SKIPPED".equals(s.status())) {
                    write(out, "Stage \"" + s.name() + "\" skipped due to when conditional\n");
                }
                write(out, "[Pipeline] }\n[Pipeline] // stage\n");
            }
        }
        if (pipeline) write(out, "[Pipeline] }\n[Pipeline] // node\n[Pipeline] End of Pipeline\n");
        write(out, "Finished: " + result + "\n");
    }

    byte[] consoleBytes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeConsole(b);
        return b.toByteArray();
    }

    private boolean matrixParent() { return job.kind == SimItem.Kind.MATRIX; }

    private String expand(String s) {
        return s.replace("${NUMBER}", Integer.toString(number)).replace("${JOB}", job.fullName());
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
