package io.breachwalk.source.jenkins;

import com.cdancy.jenkins.rest.JenkinsClient;
import com.cdancy.jenkins.rest.domain.job.Job;
import com.cdancy.jenkins.rest.domain.job.JobList;
import com.cdancy.jenkins.rest.domain.job.Stage;
import com.cdancy.jenkins.rest.domain.job.Workflow;
import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.ScriptMatch;
import io.breachwalk.detect.shell.ShellGuard;
import io.breachwalk.detect.shell.ShellScan;
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
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.OfflineSource;
import io.breachwalk.source.Findings;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.Sink;
import io.breachwalk.source.SourceException;
import io.breachwalk.source.jenkins.pipeline.JenkinsfileAnalyzer;
import io.breachwalk.source.jenkins.pipeline.JobConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Jenkins walk (DESIGN 4.4, issue 4): recurse folders, multibranch projects and organization folders; for every
 * job, every retained build that started in the window (see {@link BuildWindow}); per build, decide from the console
 * log (confirmed) or the definition at the build's revision (probable) whether it ran the uploader; list the
 * credentials in its reach and resolve them against the folder and system credential stores.
 *
 * <p>jenkins-rest covers listing a folder, config.xml and wfapi; everything else goes through {@link JenkinsHttp}
 * with the same credentials, because the client has no tree queries, no consoleText, no BuildData and no
 * credential stores. Only GET requests are made: they need no CSRF crumb (the client fetches one itself for POSTs).
 */
public final class JenkinsSource implements CiSource<JenkinsSource.JobRef> {

    public static final String PROVIDER = "jenkins";

    private static final Pattern URL_CREDENTIAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://([^/@:]+)(?::[^/@]*)?@([^/:]+)");
    static final String BUILD_TREE = "number,timestamp,result,url,actions[_class,parameters[_class,name],"
            + "lastBuiltRevision[SHA1,branch[name]],remoteUrls]";

    private final String url;
    private final String user;
    private final String token;
    private final List<String> limits;
    /** Set up by {@link #units}: the jenkins-rest client (closed by {@link #close}) and the walk that judges jobs. */
    private JenkinsClient client;
    private Walk walk;

    JenkinsSource(String url, String user, String token, List<String> limits) {
        this.url = url.endsWith("/") ? url : url + "/";
        this.user = user;
        this.token = token;
        this.limits = limits;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /** The user the probe was accepted for (JENKINS_USER), or anonymous. */
    @Override
    public String identity() {
        return user == null || user.isBlank() ? "anonymous" : user;
    }

    @Override
    public String unitLabel() {
        return "Jenkins: builds in the window";
    }

    @Override
    public boolean parallelUnits() {
        return true; // jobs are judged side by side; requests count on the scan
    }

    @Override
    public String unitName(JobRef job) {
        return job.fullName();
    }

    @Override
    public List<JobRef> units(ScanContext ctx) throws SourceException {
        String host = URI.create(url).getHost();
        io.breachwalk.source.Retry retry = ctx.retry();
        JenkinsHttp http = new JenkinsHttp(url, user, token, ctx.findings(), retry);
        probe(http);
        client = client();
        Rest rest = new Rest(client, ctx, retry);
        JenkinsData data = new LiveJenkinsData(http, rest::config, rest::workflow, new ScmFiles(() -> ctx.findings().request(PROVIDER)), ctx.evidence(),
                ctx.matcher());
        walk = new Walk(ctx, host, http, rest, data);
        return walk.list();
    }

    @Override
    public void judge(JobRef job, Findings.Unit sink, ScanContext ctx, ExecutorService pool) {
        walk.assessJob(job, sink);
    }

    @Override
    public void close() {
        if (client == null) return;
        try {
            client.close();
        } catch (IOException ignored) {
            // closing a client that made GETs only; nothing to lose
        }
    }

    /** One request that tells a usable Jenkins from a wrong URL or rejected credentials. */
    private void probe(JenkinsHttp http) throws SourceException {
        JenkinsHttp.Answer a;
        try {
            a = http.get("api/json?tree=_class,useSecurity");
        } catch (IOException e) {
            // The kind follows the failure: nothing answered is UNREACHABLE, not a permissions problem.
            throw new SourceException("cannot reach Jenkins at " + url + ": "
                    + reason(e).replaceFirst(" for api/json\\S*", "") + " (check --jenkins-url and the network)", e);
        }
        if (a.status() == 401) {
            throw new SourceException(SourceException.Kind.ACCESS_DENIED, "Jenkins at " + url + " rejected the credentials in JENKINS_USER/JENKINS_TOKEN"
                    + " (HTTP 401); check the user name and API token");
        }
        if (a.status() == 403) {
            throw new SourceException(SourceException.Kind.ACCESS_DENIED, "Jenkins at " + url + " refused read access (HTTP 403) for "
                    + (user == null ? "anonymous: set JENKINS_USER and JENKINS_TOKEN" : "'" + user
                    + "': the token needs Overall/Read, Job/Read and Credentials/View"));
        }
        if (a.jenkinsVersion() == null || a.status() != 200 || !a.body().contains("\"_class\"")) {
            throw new SourceException(SourceException.Kind.NOT_THE_API, url + " does not look like Jenkins (HTTP " + a.status()
                    + (a.jenkinsVersion() == null ? ", no X-Jenkins header" : "") + " on api/json); check --jenkins-url");
        }
    }

    private JenkinsClient client() {
        Properties overrides = new Properties();
        // One call = one request: no hidden jclouds retries, so the request count stays true.
        overrides.setProperty("jclouds.max-retries", "0");
        overrides.setProperty("jclouds.connection-timeout", "10000");
        overrides.setProperty("jclouds.so-timeout", "120000");
        JenkinsClient.Builder b = JenkinsClient.builder().endPoint(url.substring(0, url.length() - 1)).overrides(overrides);
        if (user != null && token != null) b.credentials(user + ":" + token);
        return b.build();
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof io.breachwalk.source.HttpFailure) return m;
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.replaceAll("\\s+", " "));
    }

    /** "job/a/job/b/" for the names a, b (each percent-encoded once, as Jenkins does). */
    static String jobPath(List<String> names) {
        StringBuilder p = new StringBuilder();
        for (String n : names) p.append("job/").append(URLEncoder.encode(n, StandardCharsets.UTF_8).replace("+", "%20")).append('/');
        return p.toString();
    }

    /** jenkins-rest calls, each attempt counted as one request, retried like the raw ones. */
    private record Rest(JenkinsClient client, ScanContext ctx, io.breachwalk.source.Retry retry) {
        List<Job> list(List<String> folder) throws IOException {
            String what = jobPath(folder) + "api/json";
            return call(what, () -> {
                JobList l = client.api().jobsApi().jobList(folder.isEmpty() ? "" : String.join("/", folder));
                return l == null || l.jobs() == null ? null : l.jobs();
            });
        }

        String config(List<String> names) throws IOException {
            List<String> folder = names.subList(0, names.size() - 1);
            return call(jobPath(names) + "config.xml", () -> client.api().jobsApi().config(
                    folder.isEmpty() ? null : String.join("/", folder), names.get(names.size() - 1)));
        }

        Workflow workflow(List<String> names, int number) throws IOException {
            List<String> folder = names.subList(0, names.size() - 1);
            return call(jobPath(names) + number + "/wfapi/describe", () -> client.api().jobsApi().workflow(
                    folder.isEmpty() ? null : String.join("/", folder), names.get(names.size() - 1), number));
        }

        private <T> T call(String what, java.util.function.Supplier<T> call) throws IOException {
            return retry.run(what, () -> {
                ctx.findings().request(PROVIDER);
                try {
                    return call.get();
                } catch (RuntimeException e) {
                    throw RestFailures.of(e, what, retry.policy().clock());
                }
            });
        }
    }

    /** A job to assess: its names from the root, its class, and the multibranch parent's config when it has one. */
    record JobRef(List<String> names, String clazz, boolean branchJob) {
        String fullName() { return String.join("/", names); }

        String name() { return names.get(names.size() - 1); }

        List<String> folders() { return names.subList(0, names.size() - 1); }
    }

    /**
     * `scan --offline`: the jobs of an evidence manifest judged again by the walk's own code from the stored build
     * records, console logs, definitions and credential listings. No request is made.
     */
    static CiSource<OfflineSource.StoredUnit> stored(EvidenceStore store, List<EvidenceRecord> records) {
        List<EvidenceRecord> mine = records.stream().filter(r -> r.provider().equals(PROVIDER)).toList();
        return new OfflineSource(PROVIDER, "Jenkins jobs (offline)", mine, job -> unitRecord(job) != null,
                ctx -> {
                    JenkinsData data = new StoredJenkinsData(store, ctx.matcher(), mine);
                    return (job, sink, pool) -> offline(ctx, data, job, sink);
                });
    }

    /** The job's own record (no run id) when it names the job's class; without it the job cannot be judged. */
    private static EvidenceRecord unitRecord(OfflineSource.StoredUnit job) {
        EvidenceRecord unit = job.records().stream().filter(r -> r.runId().isEmpty()).findFirst().orElse(null);
        return unit == null || unit.facts().get("class") == null ? null : unit;
    }

    private static void offline(ScanContext ctx, JenkinsData data, OfflineSource.StoredUnit job, Sink sink) {
        EvidenceRecord unit = unitRecord(job);
        JobRef ref = new JobRef(List.of(unit.project().split("/")), unit.facts().get("class"),
                Boolean.parseBoolean(unit.facts().get("branch_job")));
        List<BuildWindow.Build> builds = new ArrayList<>();
        for (EvidenceRecord r : job.records()) {
            if (r.runId().isEmpty()) continue;
            builds.add(new BuildWindow.Build(Integer.parseInt(r.runId()), java.time.Instant.parse(r.facts().get("timestamp")),
                    r.facts().get("result"), r.facts().get("url")));
        }
        builds.sort(java.util.Comparator.comparingInt(BuildWindow.Build::number).reversed());
        Walk walk = new JenkinsSource("http://" + unit.host() + "/", null, null, List.of())
                .new Walk(ctx, unit.host(), null, null, data);
        Walk.Definition def = walk.new Definition(ref, sink);
        List<EvidenceLink> items = new ArrayList<>();
        // Builds that were discarded: the rows the online walk drew from the Jenkinsfile's history (or from the
        // current definition) are drawn again from the stored history and files; its gap is repeated as it was.
        String discarded = unit.facts().get(DISCARDED);
        if (discarded != null) walk.withoutBuilds(sink, ref, def, discarded, new LinkedHashMap<>(unit.facts()), items);
        walk.assessBuilds(sink, ref, walk.matrixPath(ref),
                builds.stream().filter(b -> ctx.window().contains(b.timestamp())).toList(), def,
                unit.facts(), items);
    }

    /** What the discarded builds' gap says beyond the builds themselves, and whether it blocks. */
    private record Said(String detail, boolean blocks) {
        static Said blocking(String detail) { return new Said(detail, true); }
    }

    /** Unit fact: the discarded builds ("#3-#9") whose window the rows of the job's definition history stand for. */
    private static final String DISCARDED = "discarded_builds";
    private static final String JOB_URL = "job_url";

    private final class Walk {
        final ScanContext ctx;
        final String host;
        final JenkinsHttp http;
        final Rest rest;
        final JenkinsData data;
        final CredentialStores stores;
        final List<JobRef> jobs = new ArrayList<>();
        final Map<String, List<String>> parentRemotes = new java.util.concurrent.ConcurrentHashMap<>();

        Walk(ScanContext ctx, String host, JenkinsHttp http, Rest rest, JenkinsData data) {
            this.ctx = ctx;
            this.host = host;
            this.http = http;
            this.rest = rest;
            this.data = data;
            this.stores = new CredentialStores(data);
        }

        /** Lists the jobs to judge, recursing folders; folder-level problems are gaps of the scan. */
        List<JobRef> list() throws SourceException {
            if (!stores.load(List.of())) {
                gap("", "", Gap.SECRETS_UNLISTABLE, "the system credential store could not be listed: credential ids "
                        + "cannot be told present or missing (needs Credentials/View)", false);
            }
            ctx.progress().start("Jenkins: listing jobs", -1);
            if (limits.isEmpty()) {
                visitChildren(List.of(), null);
            } else {
                for (String limit : limits) {
                    List<String> names = new ArrayList<>();
                    for (String n : limit.split("/")) if (!n.isBlank()) names.add(n);
                    String clazz = classOf(names);
                    if (clazz == null) {
                        throw new SourceException("--jenkins-job " + limit + ": no such job or folder at " + url);
                    }
                    visit(names, clazz, false);
                }
            }
            return jobs;
        }

        private String classOf(List<String> names) throws SourceException {
            try {
                JsonNode n = http.json(jobPath(names) + "api/json?tree=_class");
                return n == null ? null : n.path("_class").asText();
            } catch (IOException e) {
                throw new SourceException("--jenkins-job " + String.join("/", names) + ": " + reason(e));
            }
        }

        private void visit(List<String> names, String clazz, boolean branchJob) {
            String simple = clazz == null ? "" : clazz;
            switch (simple) {
                case "com.cloudbees.hudson.plugins.folder.Folder",
                     "jenkins.branch.OrganizationFolder",
                     "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject" -> {
                    if (!stores.load(names)) {
                        gap(String.join("/", names), "", Gap.SECRETS_UNLISTABLE,
                                "the folder's credential store could not be listed", false);
                    }
                    visitChildren(names, simple);
                }
                case "hudson.model.FreeStyleProject", "org.jenkinsci.plugins.workflow.job.WorkflowJob",
                     "hudson.maven.MavenModuleSet", "hudson.matrix.MatrixConfiguration" ->
                        jobs.add(new JobRef(names, simple, branchJob));
                case "hudson.matrix.MatrixProject" -> {
                    // Each configuration runs on its own executor with its own log: walk them as jobs.
                    try {
                        JsonNode n = http.json(jobPath(names) + "api/json?tree=activeConfigurations[name]");
                        if (n == null) return;
                        for (JsonNode c : n.path("activeConfigurations")) {
                            List<String> child = new ArrayList<>(names);
                            child.add(c.path("name").asText());
                            jobs.add(new JobRef(child, "hudson.matrix.MatrixConfiguration", false));
                        }
                    } catch (IOException e) {
                        apiGap(String.join("/", names), "", e, "matrix configurations");
                    }
                }
                default -> gap(String.join("/", names), "", Gap.UNSUPPORTED_JOB,
                        "job type " + simple + " is not read by breachwalk; check its builds by hand", true);
            }
        }

        private void visitChildren(List<String> folder, String folderClass) {
            List<Job> children;
            try {
                children = rest.list(folder);
            } catch (IOException e) {
                gap(String.join("/", folder), "", JenkinsHttp.denied(e) ? Gap.ACCESS_DENIED : Gap.API_ERROR,
                        "cannot list the folder: " + reason(e), true);
                return;
            }
            if (children == null) {
                gap(String.join("/", folder), "", Gap.API_ERROR, "the folder listing was not found", true);
                return;
            }
            boolean branches = "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject".equals(folderClass);
            for (Job j : children) {
                List<String> names = new ArrayList<>(folder);
                names.add(j.name());
                visit(names, j.clazz(), branches);
            }
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
            Definition def = new Definition(job, sink);
            Map<String, String> facts = new LinkedHashMap<>();
            List<EvidenceLink> items = new ArrayList<>();
            discarded(sink, job, found, def, facts, items);
            assessBuilds(sink, job, path, found.inWindow(), def, facts, items);
        }

        /** Judges the builds in the window (listed online, or stored) and records what each rested on. */
        void assessBuilds(Sink sink, JobRef job, String path, List<BuildWindow.Build> builds, Definition def,
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
        Said withoutBuilds(Sink sink, JobRef job, Definition def, String discarded, Map<String, String> facts,
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
                        + cut(hit.text()) + uses.where(use);
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

        private boolean isMatrixConfig(JobRef job) { return job.clazz().equals("hudson.matrix.MatrixConfiguration"); }

        /** Matrix configurations live at job/m/jdk=11/, not job/m/job/jdk=11/. */
        private String matrixPath(JobRef job) {
            if (!isMatrixConfig(job)) return jobPath(job.names());
            return jobPath(job.folders()) + URLEncoder.encode(job.name(), StandardCharsets.UTF_8).replace("+", "%20") + "/";
        }

        // ------------------------------------------------------------ definitions

        /** What a job's builds ran: config.xml (today's), and the Jenkinsfile at each build's revision. */
        private final class Definition {
            final JobRef job;
            final Sink sink;
            private boolean loaded;
            private JobConfig config;
            private String configProblem;

            Definition(JobRef job, Sink sink) {
                this.job = job;
                this.sink = sink;
            }

            private synchronized void load() {
                if (loaded) return;
                loaded = true;
                List<String> names = isMatrixConfig(job) ? job.folders() : job.names();
                String xml;
                try {
                    xml = data.config(job.fullName(), names);
                } catch (IOException e) {
                    configProblem = "config.xml could not be read: " + reason(e);
                    gap(sink, job.fullName(), "", JenkinsHttp.denied(e) ? Gap.ACCESS_DENIED : Gap.API_ERROR,
                            configProblem, false);
                    return;
                }
                if (xml == null) {
                    configProblem = "config.xml was not found";
                    gap(sink, job.fullName(), "", Gap.CONFIG_NOT_FOUND, configProblem, false);
                    return;
                }
                try {
                    config = JobConfig.parse(xml);
                } catch (JobConfig.UnreadableConfig e) {
                    configProblem = e.getMessage();
                    gap(sink, job.fullName(), "", Gap.UNPARSABLE_CONFIG, e.getMessage(), false);
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
                List<String> urls = parentRemotes.computeIfAbsent(parent, p -> {
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
                            gap(sink, job.fullName(), buildId, Gap.CONFIG_NOT_FOUND, why[0], false);
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
                        gap(sink, job.fullName(), buildId, Gap.CONFIG_NOT_FOUND, "the repository scripts the shell steps "
                                + "call could not be read: " + rev.unreachable(), false);
                    }
                    return Uses.freestyleScripts(config, followed, idx);
                }
            }

            /** Files of the build's revision for the shell scanner; each script read is evidence of this build. */
            private FileLookup lookup(JenkinsData.Revision rev, String sha, List<EvidenceLink> used) {
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

        // ------------------------------------------------------------ gaps

        private void gap(String project, String runId, String kind, String detail, boolean blocking) {
            gap(ctx.findings(), project, runId, kind, detail, blocking);
        }

        private void gap(Sink sink, String project, String runId, String kind, String detail, boolean blocking) {
            sink.gap(new Gap(PROVIDER, host, project, runId, kind, detail, blocking));
        }

        private void apiGap(String project, String runId, IOException e, String what) {
            apiGap(ctx.findings(), project, runId, e, what);
        }

        private void apiGap(Sink sink, String project, String runId, IOException e, String what) {
            boolean denied = JenkinsHttp.denied(e);
            gap(sink, project, runId, denied ? Gap.ACCESS_DENIED : Gap.API_ERROR,
                    "cannot read the " + what + ": " + reason(e), true);
        }
    }

    /**
     * Where a definition runs the uploader and what it binds: a Jenkinsfile analysis, a freestyle job's shell steps
     * and SecretBuildWrapper, or unknown (with why).
     */
    private record Uses(JenkinsfileAnalyzer.Analysis analysis, String source, JobConfig freestyle,
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
    }

    private static String cut(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 160 ? t.substring(0, 157) + "..." : t;
    }

}
