package io.breachwalk.source.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.model.Confidence;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.SecretNaming;
import io.breachwalk.model.SecretState;
import io.breachwalk.model.Verdict;
import io.breachwalk.source.OfflineSource;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.Sink;
import io.breachwalk.source.jenkins.pipeline.JenkinsfileAnalyzer;
import io.breachwalk.source.jenkins.pipeline.JobConfig;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The judging of one Jenkins job (DESIGN 4.4): every retained build that started in the window (see
 * {@link BuildWindow}); per build, decide from the console log (confirmed) or the definition at the build's revision
 * (probable) whether it ran the uploader; list the credentials in its reach and resolve them against the folder and
 * system credential stores. Builds that were discarded are judged from the definition's history where it has one.
 */
final class JenkinsWalk {
    private static final String PROVIDER = JenkinsSource.PROVIDER;
    private static final Pattern URL_CREDENTIAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://([^/@:]+)(?::[^/@]*)?@([^/:]+)");

    /** What the discarded builds' gap says beyond the builds themselves, and whether it blocks. */
    private record Said(String detail, boolean blocks) {
        static Said blocking(String detail) { return new Said(detail, true); }
    }

    /** Unit fact: the discarded builds ("#3-#9") whose window the rows of the job's definition history stand for. */
    private static final String DISCARDED = "discarded_builds";
    private static final String JOB_URL = "job_url";

    final ScanContext ctx;
    final String host;
    /** The instance's URL, for the job URLs of rows drawn without builds. */
    final String url;
    /** Null offline. */
    final JenkinsHttp http;
    final JenkinsData data;
    final CredentialStores stores;
    /** A multibranch project's remotes, read once for all its branch jobs. */
    final Map<String, List<String>> parentRemotes = new java.util.concurrent.ConcurrentHashMap<>();

    JenkinsWalk(ScanContext ctx, String host, String url, JenkinsHttp http, JenkinsData data, CredentialStores stores) {
        this.ctx = ctx;
        this.host = host;
        this.url = url;
        this.http = http;
        this.data = data;
        this.stores = stores;
    }

    /**
     * `scan --offline`: one stored job judged again by this walk's own code from the stored build records, console
     * logs, definitions and credential listings. No request is made.
     */
    static void judgeStored(ScanContext ctx, JenkinsData data, OfflineSource.StoredUnit job, Sink sink) {
        EvidenceRecord unit = JenkinsSource.unitRecord(job);
        JobRef ref = new JobRef(List.of(unit.project().split("/")), unit.facts().get("class"),
                Boolean.parseBoolean(unit.facts().get("branch_job")));
        List<BuildWindow.Build> builds = new ArrayList<>();
        for (EvidenceRecord r : job.records()) {
            if (r.runId().isEmpty()) continue;
            builds.add(new BuildWindow.Build(Integer.parseInt(r.runId()), java.time.Instant.parse(r.facts().get("timestamp")),
                    r.facts().get("result"), r.facts().get("url")));
        }
        builds.sort(java.util.Comparator.comparingInt(BuildWindow.Build::number).reversed());
        JenkinsWalk walk = new JenkinsWalk(ctx, unit.host(), "http://" + unit.host() + "/", null, data,
                new CredentialStores(data));
        Definition def = new Definition(walk, ref, sink);
        List<EvidenceLink> items = new ArrayList<>();
        // Builds that were discarded: the rows the online walk drew from the Jenkinsfile's history (or from the
        // current definition) are drawn again from the stored history and files; its gap is repeated as it was.
        String discarded = unit.facts().get(DISCARDED);
        if (discarded != null) walk.withoutBuilds(sink, ref, def, discarded, new LinkedHashMap<>(unit.facts()), items);
        walk.assessBuilds(sink, ref, walk.matrixPath(ref),
                builds.stream().filter(b -> ctx.window().contains(b.timestamp())).toList(), def,
                unit.facts(), items);
    }

    // ------------------------------------------------------------ one job

    /** One job, a unit of a resumable scan (the driver opens, counts and commits it). */
    void assessJob(JobRef job, Sink sink) {
        String path = matrixPath(job);
        BuildWindow.Result found;
        try {
            found = new BuildWindow(http, path).find(ctx.window());
        } catch (IOException e) {
            apiGap(sink, job.fullName(), "", e, "builds");
            return;
        }
        Definition def = new Definition(this, job, sink);
        Map<String, String> facts = new LinkedHashMap<>();
        List<EvidenceLink> items = new ArrayList<>();
        discarded(sink, job, found, def, facts, items);
        assessBuilds(sink, job, path, found.inWindow(), def, facts, items);
    }

    /** Judges the builds in the window (listed online, or stored) and records what each rested on. */
    private void assessBuilds(Sink sink, JobRef job, String path, List<BuildWindow.Build> builds, Definition def,
                      Map<String, String> unitFacts, List<EvidenceLink> unitItems) {
        for (BuildWindow.Build b : builds) {
            sink.examinedRun(PROVIDER);
            sink.examinedJob(PROVIDER);
            ctx.progress().examinedRun();
            ctx.progress().examinedJob();
            List<EvidenceLink> used = new ArrayList<>();
            try {
                assessBuild(sink, job, path, b, def, used);
            } catch (IOException e) {
                apiGap(sink, job.fullName(), Integer.toString(b.number()), e, "build #" + b.number());
            }
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("timestamp", b.timestamp().toString());
            if (b.result() != null) facts.put("result", b.result());
            if (b.url() != null) facts.put("url", b.url());
            sink.evidence(new EvidenceRecord(PROVIDER, host, job.fullName(), Integer.toString(b.number()), facts,
                    used.stream().filter(java.util.Objects::nonNull).distinct().toList()));
        }
        List<EvidenceLink> unit = new ArrayList<>();
        unit.add(data.link(JenkinsData.CONFIG, job.fullName()));
        for (String owner : CredentialStores.owners(job.folders())) unit.add(data.link(JenkinsData.CREDENTIALS, owner));
        unit.addAll(unitItems);
        Map<String, String> facts = new LinkedHashMap<>(unitFacts);
        facts.put("class", job.clazz());
        facts.put("branch_job", Boolean.toString(job.branchJob()));
        sink.evidence(new EvidenceRecord(PROVIDER, host, job.fullName(), "", facts,
                unit.stream().filter(java.util.Objects::nonNull).distinct().toList()));
    }

    /** Builds numbered between the retained neighbours of the window that no longer exist. */
    private void discarded(Sink sink, JobRef job, BuildWindow.Result r, Definition def, Map<String, String> facts,
                           List<EvidenceLink> items) {
        if (r.newest() == 0) return;
        int low = r.before() == null ? 1 : r.before().number() + 1;
        int high = r.after() == null ? r.newest() : r.after().number() - 1;
        List<int[]> ranges = new ArrayList<>();
        java.util.Set<Integer> kept = new java.util.HashSet<>();
        for (BuildWindow.Build b : r.inWindow()) kept.add(b.number());
        int start = -1;
        for (int n = low; n <= high + 1; n++) {
            boolean missing = n <= high && !kept.contains(n);
            if (missing && start < 0) start = n;
            if (!missing && start >= 0) {
                ranges.add(new int[]{start, n - 1});
                start = -1;
            }
        }
        if (ranges.isEmpty()) return;
        int count = 0;
        List<String> text = new ArrayList<>();
        for (int[] x : ranges) {
            count += x[1] - x[0] + 1;
            text.add(x[0] == x[1] ? "#" + x[0] : "#" + x[0] + "-#" + x[1]);
        }
        String what = count + " build(s) " + String.join(", ", text)
                + (r.before() == null ? " (no retained build before the window, so some may predate it)" : "")
                + " no longer exist and may have started in the window";
        Said said = withoutBuilds(sink, job, def, String.join(", ", text), facts, items);
        if (said == null) {
            boolean references = def.referencesUploader();
            gap(sink, job.fullName(), "", Gap.BUILDS_DISCARDED, what
                    + (references ? "; the job's current definition runs the uploader" : ""), references);
        } else {
            gap(sink, job.fullName(), "", Gap.BUILDS_DISCARDED, what + "; " + said.detail(), said.blocks());
        }
    }

    /**
     * What can be said of a job whose builds in the window were discarded (DESIGN 4.6): a definition from SCM is
     * judged version by version from the Jenkinsfile's history on its branch (rows with basis commit-history); a
     * definition kept only in config.xml has no history, so the credentials its current definition binds around
     * the uploader are listed for review. Returns the gap's detail and whether it blocks, or null when nothing is
     * known beyond the current definition (the caller words the gap as before).
     */
    private Said withoutBuilds(Sink sink, JobRef job, Definition def, String discarded, Map<String, String> facts,
                         List<EvidenceLink> items) {
        JobConfig c = def.config();
        if (c == null) return null;
        facts.put(DISCARDED, discarded);
        // The job's URL as the online walk knew it (offline, the instance's port is not known otherwise).
        facts.putIfAbsent(JOB_URL, url + matrixPath(job));
        if (c.pipelineFromScm()) return fromHistory(sink, job, def, c, discarded, facts.get(JOB_URL), items);
        if (!def.referencesUploader()) return null;
        // Today's config.xml is all there is: it may not be what the discarded builds ran, so the verdict stays
        // UNKNOWN; the credentials it binds around the uploader still go to review.
        List<EvidenceLink> used = new ArrayList<>();
        Uses uses;
        try {
            uses = def.at(null, List.of(), "", used);
        } catch (IOException e) {
            return null;
        }
        JenkinsfileAnalyzer.Use use = uses.first();
        List<JenkinsfileAnalyzer.Binding> step = new ArrayList<>(uses.stepBindings(use));
        List<JenkinsfileAnalyzer.Binding> other = new ArrayList<>(uses.jobBindings(use));
        String branch = c.branch() == null ? "" : c.branch();
        JobFinding f = new JobFinding(PROVIDER, host, job.fullName(), job.name(), "", 1, "",
                use != null && use.stage() != null ? use.stage() : job.name(), branch, "", "",
                ctx.window().since(), facts.get(JOB_URL), Verdict.UNKNOWN, Confidence.POSSIBLE,
                "builds " + discarded + " discarded and config.xml keeps no history; today's definition runs the uploader"
                        + uses.where(use).replaceFirst("^;", ":")
                        + "; the credentials it binds are listed for review", JobFinding.COMMIT_HISTORY,
                ctx.window().until());
        sink.job(f);
        exposeAll(sink, f, job, step, other, c.passwordParameters(), c.scmUrls());
        items.addAll(used);
        return Said.blocking("the job's current definition runs the uploader; config.xml keeps no history, so the credentials it "
                + "binds around the uploader are listed for review (basis commit-history)");
    }

    /** Rows from the Jenkinsfile's versions in effect during the window; the gap's detail as withoutBuilds says. */
    private Said fromHistory(Sink sink, JobRef job, Definition def, JobConfig c, String discarded, String jobUrl,
                               List<EvidenceLink> items) {
        String scriptPath = c.scriptPath();
        List<String> remotes = def.remotes(items);
        String branch = job.branchJob() ? java.net.URLDecoder.decode(job.name(), StandardCharsets.UTF_8) : c.branch();
        if (branch == null) {
            return Said.blocking("the history of " + scriptPath + " cannot be read: the job builds no single named branch");
        }
        if (remotes.isEmpty()) {
            return Said.blocking("the history of " + scriptPath + " cannot be read: no git remote is recorded for the job");
        }
        java.time.Instant since = ctx.window().since();
        java.time.Instant until = ctx.window().until();
        // A pull-request job (PR-48) builds the pull request's head, which is no branch of the remote.
        Matcher pr = Pattern.compile("PR-(\\d+)").matcher(branch);
        String ref = job.branchJob() && pr.matches() ? "refs/pull/" + pr.group(1) + "/head" : branch;
        try (JenkinsData.History h = data.history(job.fullName(), remotes, ref, scriptPath, since, until)) {
            items.add(data.link(JenkinsData.SCM_HISTORY, job.fullName()));
            if (h.failure() != null) return Said.blocking(h.failure());
            List<ScmFiles.Version> versions = h.versions();
            int running = 0;
            List<String> unread = new ArrayList<>();
            for (int i = 0; i < versions.size(); i++) {
                ScmFiles.Version v = versions.get(i);
                java.time.Instant from = v.time().isAfter(since) ? v.time() : since;
                java.time.Instant to = i + 1 < versions.size() && versions.get(i + 1).time().isBefore(until)
                        ? versions.get(i + 1).time() : until;
                List<EvidenceLink> used = new ArrayList<>();
                try (JenkinsData.Revision rev = h.at(v.sha())) {
                    String[] why = {null};
                    Optional<String> text = rev.read(scriptPath, why);
                    used.add(data.link(JenkinsData.SCM_FILE, scriptPath + "@" + v.sha()));
                    if (text.isEmpty() && why[0] != null && !why[0].contains(" does not exist at ")) {
                        unread.add(ScmFiles.abbrev(v.sha()));
                    }
                    if (text.isPresent()) {
                        Uses uses = Uses.pipeline(JenkinsfileAnalyzer.analyze(scriptPath, text.get(), ctx.matcher(),
                                def.lookup(rev, v.sha(), used)), scriptPath + "@" + ScmFiles.abbrev(v.sha()));
                        if (uses.runs()) {
                            running++;
                            historyRow(sink, job, uses, v, branch, from, to, discarded, jobUrl, remotes);
                        }
                    }
                } catch (IOException e) {
                    unread.add(ScmFiles.abbrev(v.sha()));
                }
                items.addAll(used);
            }
            if (!unread.isEmpty()) {
                // A version that could not be read may have run the uploader: the history does not settle it.
                return Said.blocking(scriptPath + " could not be read at " + String.join(", ", unread) + " on " + branch
                        + " (" + versions.size() + " version(s) in effect in the window, " + running
                        + " of the others run the uploader)");
            }
            return new Said("the job's rows rest on the history of " + scriptPath + " on " + branch + " ("
                    + versions.size() + " version(s) in effect in the window, " + running + " run(s) the uploader)",
                    false);
        }
    }

    private void historyRow(Sink sink, JobRef job, Uses uses, ScmFiles.Version v, String branch,
                            java.time.Instant from, java.time.Instant to, String discarded, String jobUrl,
                            List<String> remotes) {
        JenkinsfileAnalyzer.Use use = uses.first();
        Confidence confidence = uses.weak(use) ? Confidence.POSSIBLE : Confidence.PROBABLE;
        // No run and no job id (docs/outputs.md, basis): the commit names the version.
        JobFinding f = new JobFinding(PROVIDER, host, job.fullName(), job.name(), "", 1, "",
                use != null && use.stage() != null ? use.stage() : job.name(), branch, v.sha(), "", from,
                jobUrl, Verdict.RAN, confidence,
                "builds " + discarded + " discarded; in effect from " + from + " to " + to
                        + uses.where(use).replaceFirst("^;", ":")
                        + (use != null && use.conditional() ? " (inside " + use.condition() + ")" : ""),
                JobFinding.COMMIT_HISTORY, to);
        sink.job(f);
        exposeAll(sink, f, job, uses.stepBindings(use), uses.jobBindings(use), List.of(), remotes);
    }

    private void assessBuild(Sink sink, JobRef job, String path, BuildWindow.Build summary, Definition def,
                             List<EvidenceLink> used) throws IOException {
        String buildPath = path + summary.number() + "/";
        String key = job.fullName() + "/" + summary.number();
        JsonNode build = data.build(job.fullName(), buildPath, summary.number());
        used.add(data.link(JenkinsData.BUILD, key));
        if (build == null) return;   // discarded between listing and reading
        String sha = null;
        String branch = null;
        List<String> remotes = new ArrayList<>();
        List<String> passwordParams = new ArrayList<>();
        for (JsonNode a : build.path("actions")) {
            String cls = a.path("_class").asText();
            if (cls.equals("hudson.plugins.git.util.BuildData")) {
                a.path("remoteUrls").forEach(u -> remotes.add(u.asText()));
                if (sha == null && a.path("lastBuiltRevision").has("SHA1")) {
                    sha = a.path("lastBuiltRevision").path("SHA1").asText();
                    JsonNode br = a.path("lastBuiltRevision").path("branch");
                    if (br.size() > 0) branch = br.get(0).path("name").asText().replaceFirst("^refs/remotes/[^/]+/", "");
                }
            }
            if (cls.equals("hudson.model.ParametersAction")) {
                for (JsonNode p : a.path("parameters")) {
                    if (p.path("_class").asText().endsWith("PasswordParameterValue")) passwordParams.add(p.path("name").asText());
                }
            }
        }
        if (job.branchJob()) branch = java.net.URLDecoder.decode(job.name(), StandardCharsets.UTF_8);

        // A log cut short mid-stream is read again from the start (the retry covers the whole scan).
        ConsoleScan.Result log = data.console(job.fullName(), buildPath, summary.number());
        used.add(data.link(JenkinsData.CONSOLE, key));
        String buildId = Integer.toString(summary.number());
        Uses uses = def.at(sha, remotes, buildId, used);

        Verdict verdict;
        Confidence confidence;
        String evidence;
        String stage = null;
        JenkinsfileAnalyzer.Use use = null;
        if (log != null && log.first() != null) {
            ConsoleScan.Hit hit = log.first();
            stage = hit.stage();
            use = uses.pick(stage);
            verdict = Verdict.RAN;
            confidence = Confidence.CONFIRMED;
            evidence = "consoleText line " + hit.line() + (stage == null ? "" : " (stage '" + stage + "')") + ": "
                    + Uses.cut(hit.text()) + uses.where(use);
        } else if (!uses.runs()) {
            if (log == null) {
                gap(sink, job.fullName(), buildId, Gap.LOGS_EXPIRED, "the console log is gone"
                        + (uses.unknown() ? "" : "; the definition does not run the uploader"), uses.unknown());
                if (uses.unknown()) {
                    record(sink, job, summary, sha, branch, null, Verdict.UNKNOWN, Confidence.POSSIBLE,
                            "console log gone and " + uses.why(), List.of(), List.of(), passwordParams, remotes);
                }
            }
            return;
        } else if (log != null) {
            use = uses.first();
            verdict = Verdict.NOT_RUN;
            confidence = Confidence.CONFIRMED;
            evidence = "consoleText (" + log.lines() + " lines) shows no uploader run although" + uses.where(use).replaceFirst("^; ", " ")
                    + (use != null && use.conditional() ? " (inside " + use.condition() + ")" : "");
            stage = use == null ? null : use.stage();
        } else {
            use = uses.first();
            gap(sink, job.fullName(), buildId, Gap.LOGS_EXPIRED, "the console log is gone; verdict from the definition", false);
            verdict = Verdict.RAN;
            confidence = uses.weak(use) ? Confidence.POSSIBLE : Confidence.PROBABLE;
            stage = use == null ? null : use.stage();
            evidence = "console log gone;" + uses.where(use).replaceFirst("^;", "")
                    + (use != null && use.conditional() ? " (inside " + use.condition() + ")" : "");
        }
        String jobName = stage;
        if (job.clazz().equals("org.jenkinsci.plugins.workflow.job.WorkflowJob") && stage != null && verdict == Verdict.RAN) {
            // Name the stage only when the pipeline API knows it for this build.
            jobName = wfapiStage(job, summary.number(), stage);
            used.add(data.link(JenkinsData.WFAPI, key));
        }
        List<JenkinsfileAnalyzer.Binding> step = new ArrayList<>();
        List<JenkinsfileAnalyzer.Binding> other = new ArrayList<>();
        if (verdict == Verdict.RAN) {
            step.addAll(uses.stepBindings(use));
            other.addAll(uses.jobBindings(use));
            if (uses.bindingsUnknown() != null) {
                gap(sink, job.fullName(), buildId, Gap.CONFIG_NOT_FOUND, uses.bindingsUnknown()
                        + "; credentials bound around the uploader are not known", false);
            }
        }
        record(sink, job, summary, sha, branch, jobName, verdict, confidence, evidence, step, other, passwordParams, remotes);
    }

    private String wfapiStage(JobRef job, int number, String stage) {
        try {
            for (String s : data.stages(job.fullName(), job.names(), number)) if (stage.equals(s)) return s;
        } catch (IOException e) {
            // wfapi is a plugin; without it (404, or a client that cannot read the answer) the job name stands
        }
        return null;
    }

    private void record(Sink sink, JobRef job, BuildWindow.Build b, String sha, String branch, String jobName, Verdict verdict,
                        Confidence confidence, String evidence, List<JenkinsfileAnalyzer.Binding> step,
                        List<JenkinsfileAnalyzer.Binding> other, List<String> passwordParams, List<String> remotes) {
        String id = Integer.toString(b.number());
        JobFinding f = new JobFinding(PROVIDER, host, job.fullName(), job.name(), id, 1, id,
                jobName == null ? job.name() : jobName, branch, sha, "", b.timestamp(), b.url(), verdict,
                confidence, evidence);
        sink.job(f);
        if (verdict != Verdict.RAN) return;
        exposeAll(sink, f, job, step, other, passwordParams, remotes);
    }

    /** The credentials in reach of a job row: bound around the uploader (STEP), elsewhere (JOB), parameters, URLs. */
    private void exposeAll(Sink sink, JobFinding f, JobRef job, List<JenkinsfileAnalyzer.Binding> step,
                           List<JenkinsfileAnalyzer.Binding> other, List<String> passwordParams, List<String> remotes) {
        Map<String, Exposure> out = new LinkedHashMap<>();
        for (JenkinsfileAnalyzer.Binding s : step) expose(out, f, job, s.credentialsId(), ExposureLevel.STEP, s.via());
        for (JenkinsfileAnalyzer.Binding s : other) expose(out, f, job, s.credentialsId(), ExposureLevel.JOB, s.via());
        for (String p : passwordParams) {
            out.putIfAbsent("param:" + p, new Exposure(f, p, "literal", job.fullName(), ExposureLevel.STEP,
                    "password parameter " + p + " (in the build's environment)", SecretState.PRESENT, null));
        }
        for (String r : remotes) {
            Matcher m = URL_CREDENTIAL.matcher(r);
            if (!m.find()) continue;
            String name = SecretNaming.urlCredential(m.group(1), m.group(2));
            out.putIfAbsent("url:" + name, new Exposure(f, name, "literal", job.fullName(), ExposureLevel.STEP,
                    "git remote URL (sent by `git remote -v`)", SecretState.PRESENT, null));
        }
        out.values().forEach(sink::exposure);
    }

    private void expose(Map<String, Exposure> out, JobFinding f, JobRef job, String id, ExposureLevel level, String via) {
        String key = "cred:" + id;
        Exposure prev = out.get(key);
        if (prev != null && (prev.exposure() == ExposureLevel.STEP || level == ExposureLevel.JOB)) return;
        CredentialStores.Resolution r = stores.resolve(id, job.branchJob() || isMatrixConfig(job)
                ? folderOwner(job) : job.folders());
        out.put(key, new Exposure(f, id, r.scope(), r.owner(), level, via, r.state(), null));
    }

    private List<String> folderOwner(JobRef job) {
        // A branch job or a matrix configuration sits inside its project; the project may hold a store too.
        return job.folders();
    }

    static boolean isMatrixConfig(JobRef job) { return job.clazz().equals("hudson.matrix.MatrixConfiguration"); }

    /** Matrix configurations live at job/m/jdk=11/, not job/m/job/jdk=11/. */
    private String matrixPath(JobRef job) {
        if (!isMatrixConfig(job)) return JenkinsSource.jobPath(job.names());
        return JenkinsSource.jobPath(job.folders()) + URLEncoder.encode(job.name(), StandardCharsets.UTF_8).replace("+", "%20") + "/";
    }

    // ------------------------------------------------------------ gaps

    void gap(String project, String runId, String kind, String detail, boolean blocking) {
        gap(ctx.findings(), project, runId, kind, detail, blocking);
    }

    void gap(Sink sink, String project, String runId, String kind, String detail, boolean blocking) {
        sink.gap(new Gap(PROVIDER, host, project, runId, kind, detail, blocking));
    }

    void apiGap(String project, String runId, IOException e, String what) {
        apiGap(ctx.findings(), project, runId, e, what);
    }

    private void apiGap(Sink sink, String project, String runId, IOException e, String what) {
        boolean denied = JenkinsHttp.denied(e);
        gap(sink, project, runId, denied ? Gap.ACCESS_DENIED : Gap.API_ERROR,
                "cannot read the " + what + ": " + JenkinsSource.reason(e), true);
    }
}
