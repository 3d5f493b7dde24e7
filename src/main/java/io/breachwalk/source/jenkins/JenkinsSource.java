package io.breachwalk.source.jenkins;

import com.cdancy.jenkins.rest.JenkinsClient;
import com.cdancy.jenkins.rest.domain.job.Job;
import com.cdancy.jenkins.rest.domain.job.JobList;
import com.cdancy.jenkins.rest.domain.job.Workflow;
import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Gap;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.Findings;
import io.breachwalk.source.OfflineSource;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.SourceException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;

/**
 * Jenkins as a source of units (DESIGN 4.4, issue 4): the client, the probe that tells a usable Jenkins from a wrong
 * URL or rejected credentials, and the listing of jobs, recursing folders, multibranch projects and organization
 * folders. Each job is judged by {@link JenkinsWalk}; {@link #stored} judges the jobs of an evidence folder again.
 *
 * <p>jenkins-rest covers listing a folder, config.xml and wfapi; everything else goes through {@link JenkinsHttp}
 * with the same credentials, because the client has no tree queries, no consoleText, no BuildData and no
 * credential stores. Only GET requests are made: they need no CSRF crumb (the client fetches one itself for POSTs).
 */
public final class JenkinsSource implements CiSource<JobRef> {

    public static final String PROVIDER = "jenkins";

    static final String BUILD_TREE = "number,timestamp,result,url,actions[_class,parameters[_class,name],"
            + "lastBuiltRevision[SHA1,branch[name]],remoteUrls]";

    private final String url;
    private final String user;
    private final String token;
    private final List<String> limits;
    /** Set up by {@link #units}: the jenkins-rest client (closed by {@link #close}) and the walk that judges jobs. */
    private JenkinsClient client;
    private JenkinsWalk walk;
    private ScanContext ctx;
    private JenkinsHttp http;
    private Rest rest;
    private CredentialStores stores;
    private final List<JobRef> jobs = new ArrayList<>();

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
        this.ctx = ctx;
        String host = URI.create(url).getHost();
        io.breachwalk.source.Retry retry = ctx.retry();
        http = new JenkinsHttp(url, user, token, ctx.findings(), retry);
        probe(http);
        client = client();
        rest = new Rest(client, ctx, retry);
        JenkinsData data = new LiveJenkinsData(http, rest::config, rest::workflow, new ScmFiles(() -> ctx.findings().request(PROVIDER)), ctx.evidence(),
                ctx.matcher());
        stores = new CredentialStores(data);
        walk = new JenkinsWalk(ctx, host, url, http, data, stores);
        return list();
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

    static String reason(IOException e) {
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


    /**
     * `scan --offline`: the jobs of an evidence manifest judged again by the walk's own code from the stored build
     * records, console logs, definitions and credential listings. No request is made.
     */
    static CiSource<OfflineSource.StoredUnit> stored(EvidenceStore store, List<EvidenceRecord> records) {
        List<EvidenceRecord> mine = records.stream().filter(r -> r.provider().equals(PROVIDER)).toList();
        return new OfflineSource(PROVIDER, "Jenkins jobs (offline)", mine, job -> unitRecord(job) != null,
                ctx -> {
                    JenkinsData data = new StoredJenkinsData(store, ctx.matcher(), mine);
                    return (job, sink, pool) -> JenkinsWalk.judgeStored(ctx, data, job, sink);
                });
    }

    /** The job's own record (no run id) when it names the job's class; without it the job cannot be judged. */
    static EvidenceRecord unitRecord(OfflineSource.StoredUnit job) {
        EvidenceRecord unit = job.records().stream().filter(r -> r.runId().isEmpty()).findFirst().orElse(null);
        return unit == null || unit.facts().get("class") == null ? null : unit;
    }

    // ------------------------------------------------------------ listing (folder recursion)

    /** Lists the jobs to judge, recursing folders; folder-level problems are gaps of the scan. */
    List<JobRef> list() throws SourceException {
        if (!stores.load(List.of())) {
            walk.gap("", "", Gap.SECRETS_UNLISTABLE, "the system credential store could not be listed: credential ids "
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
                    walk.gap(String.join("/", names), "", Gap.SECRETS_UNLISTABLE,
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
                    walk.apiGap(String.join("/", names), "", e, "matrix configurations");
                }
            }
            default -> walk.gap(String.join("/", names), "", Gap.UNSUPPORTED_JOB,
                    "job type " + simple + " is not read by breachwalk; check its builds by hand", true);
        }
    }

    private void visitChildren(List<String> folder, String folderClass) {
        List<Job> children;
        try {
            children = rest.list(folder);
        } catch (IOException e) {
            walk.gap(String.join("/", folder), "", JenkinsHttp.denied(e) ? Gap.ACCESS_DENIED : Gap.API_ERROR,
                    "cannot list the folder: " + reason(e), true);
            return;
        }
        if (children == null) {
            walk.gap(String.join("/", folder), "", Gap.API_ERROR, "the folder listing was not found", true);
            return;
        }
        boolean branches = "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject".equals(folderClass);
        for (Job j : children) {
            List<String> names = new ArrayList<>(folder);
            names.add(j.name());
            visit(names, j.clazz(), branches);
        }
    }

}
