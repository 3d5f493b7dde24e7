package io.breachwalk.report;

import io.breachwalk.exposure.Ledger;
import io.breachwalk.exposure.SecretTypes;
import io.breachwalk.model.Confidence;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.SecretState;
import io.breachwalk.model.Verdict;
import io.breachwalk.model.WalkResult;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.source.Findings;
import io.breachwalk.text.Redactor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A fictional estate scanned for codecov-2021: a GitHub organisation and a Jenkins, every rotation status, STEP and
 * JOB exposures, coverage gaps, and hostile values where CI systems let users write anything (job names, Jenkins
 * folders and credential ids). `weekLater` is the same estate a week on: one key rotated, one new secret, one more
 * job exposing a known secret, so that `--since-report` has something to find.
 */
public final class ReportFixture {

    public static final String GH = "github-actions";
    public static final String GH_HOST = "api.github.com";
    public static final String JK = "jenkins";
    public static final String JK_HOST = "jenkins.acme.internal";
    public static final String HOSTILE_JOB = "<img src=x onerror=alert(1)>";
    /** A Jenkins job display name: quotes, a comma, a formula and a line break. */
    public static final String FORMULA_JOB = "=HYPERLINK(\"http://evil.example\",\"click\"), \"nightly\"\nbuild";
    /** A Jenkins folder holding credentials: starts with `=`, has quotes, a comma and a line break. */
    public static final String FORMULA_FOLDER = "=payments, \"legacy\"\nold";
    public static final String AT_CREDENTIAL = "@npm-publish";
    public static final String PLUS_CREDENTIAL = "+deploy-ssh";
    public static final String MINUS_CREDENTIAL = "-signing-gpg";

    private final Findings findings = new Findings();
    private final List<Runnable> adds = new ArrayList<>();

    private ReportFixture() {
    }

    public static Playbook playbook() {
        try {
            return PlaybookLoader.loadBundled("codecov-2021");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ScanReport estate() {
        return estate(false, 0);
    }

    public static ScanReport weekLater() {
        return estate(true, 0);
    }

    /** `shuffle` != 0 adds the findings in another order, as concurrent walks do. */
    public static ScanReport estate(boolean weekLater, long shuffle) {
        ReportFixture f = new ReportFixture();
        f.github(weekLater);
        f.jenkins();
        if (shuffle != 0) {
            Collections.shuffle(f.adds, new Random(shuffle));
        }
        f.adds.forEach(Runnable::run);
        Playbook p = playbook();
        return report(p, f.findings.snapshot(), Redactor.none());
    }

    /** As a scan makes it: the ledger's rows from the walk's result, then the report from both. */
    static ScanReport report(Playbook p, WalkResult walk, Redactor redactor) {
        List<RotationItem> rotation = new Ledger(p, SecretTypes.bundled()).rotation(walk.exposures());
        // The providers' words, as the CLI adds them to every report it writes.
        return ReportBuilder.build(p, p.window(), walk, rotation, redactor).withTraits(java.util.Map.of(
                "github-actions", new io.breachwalk.source.github.GitHubProvider().traits(),
                "jenkins", new io.breachwalk.source.jenkins.JenkinsProvider().traits()));
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    private JobFinding ghJob(String repo, String runId, String jobId, String name, String started, Verdict verdict,
                             Confidence confidence, String evidence) {
        JobFinding j = new JobFinding(GH, GH_HOST, repo, ".github/workflows/ci.yml", runId, 1, jobId, name, "main",
                "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49", "push", t(started),
                "https://github.com/" + repo + "/actions/runs/" + runId + "/job/" + jobId, verdict, confidence,
                evidence);
        adds.add(() -> findings.job(j));
        return j;
    }

    private void expose(JobFinding j, String name, String scope, String owner, ExposureLevel level, String via,
                        SecretState state, String updated) {
        Exposure e = new Exposure(j, name, scope, owner, level, via, state, updated == null ? null : t(updated));
        adds.add(() -> findings.exposure(e));
    }

    private void gap(String provider, String host, String project, String runId, String kind, String detail,
                     boolean blocking) {
        Gap g = new Gap(provider, host, project, runId, kind, detail, blocking);
        adds.add(() -> findings.gap(g));
    }

    private void github(boolean weekLater) {
        String action = "step 7 \"Run codecov/codecov-action@v1\" success; .github/workflows/ci.yml@3f2a1c0:41 "
                + "uses: codecov/codecov-action@v1";
        String[][] apiRuns = {
                {"5001", "9001", "test (3.8)", "2021-02-03T09:12:00Z"},
                {"5001", "9002", "test (3.9)", "2021-02-03T09:12:30Z"},
                {"5044", "9101", "test (3.8)", "2021-02-17T14:00:00Z"},
                {"5102", "9233", "test (3.9)", "2021-03-02T08:30:00Z"},
                {"5160", "9360", "test (3.8)", "2021-03-22T17:45:00Z"},
        };
        for (String[] r : apiRuns) {
            JobFinding j = ghJob("acme/api", r[0], r[1], r[2], r[3], Verdict.RAN, Confidence.CONFIRMED, action);
            expose(j, "CODECOV_TOKEN", "repository", "acme/api", ExposureLevel.STEP, "with: token (INPUT_TOKEN)",
                    SecretState.PRESENT, "2021-04-16T10:00:00Z");
            expose(j, "AWS_ACCESS_KEY_ID", "repository", "acme/api", ExposureLevel.STEP, "job env AWS_ACCESS_KEY_ID",
                    SecretState.PRESENT, weekLater ? "2021-04-20T09:00:00Z" : "2020-06-01T12:00:00Z");
            expose(j, "AWS_SECRET_ACCESS_KEY", "repository", "acme/api", ExposureLevel.STEP,
                    "job env AWS_SECRET_ACCESS_KEY", SecretState.PRESENT, "2020-06-01T12:00:00Z");
            expose(j, "GITHUB_TOKEN", "ephemeral", "acme/api", ExposureLevel.STEP, "workflow env GITHUB_TOKEN",
                    SecretState.EPHEMERAL, null);
            if (weekLater) {
                expose(j, "STRIPE_SECRET_KEY", "repository", "acme/api", ExposureLevel.JOB,
                        "step 9 env STRIPE_SECRET_KEY", SecretState.PRESENT, "2020-11-11T11:11:11Z");
            }
        }
        String curl = ".github/workflows/ci.yml@77ab12e:23 run: bash <(curl -s https://codecov.io/bash) "
                + "(logs expired)";
        String[][] webRuns = {
                {"7001", "8001", "build", "2021-02-10T11:00:00Z"},
                {"7012", "8040", "build", "2021-03-05T16:20:00Z"},
                {"7020", "8077", "build", "2021-03-31T23:59:59Z"},
        };
        int n = weekLater ? webRuns.length : webRuns.length - 1;
        for (int i = 0; i < n; i++) {
            String[] r = webRuns[i];
            JobFinding j = ghJob("acme/web", r[0], r[1], r[2], r[3], Verdict.RAN, Confidence.PROBABLE, curl);
            expose(j, "SLACK_WEBHOOK_URL", "repository", "acme/web", ExposureLevel.STEP, "job env SLACK_WEBHOOK_URL",
                    SecretState.PRESENT, "2020-09-09T09:09:09Z");
            expose(j, "NPM_TOKEN", "organization", "acme", ExposureLevel.JOB, "step 5 env NODE_AUTH_TOKEN",
                    SecretState.PRESENT, "2019-05-05T05:05:05Z");
            expose(j, "DOCKERHUB_TOKEN", "environment", "acme/web:production", ExposureLevel.STEP,
                    "job env DOCKERHUB_TOKEN", SecretState.UNKNOWN, null);
            gap(GH, GH_HOST, "acme/web", r[0], Gap.LOGS_EXPIRED, "logs of run " + r[0] + " answered 410 Gone", false);
        }
        gap(GH, GH_HOST, "acme/web", "", Gap.SECRETS_UNLISTABLE,
                "environment secrets of acme/web: 403 (token lacks the environments scope)", false);

        JobFinding hostile = ghJob("acme/docs", "6100", "8500", HOSTILE_JOB, "2021-03-12T12:00:00Z", Verdict.RAN,
                Confidence.CONFIRMED, "step 4 \"Upload <b>coverage</b>\" success; log line `Bash-20210309-2b87ace`");
        expose(hostile, "OLD_DEPLOY_TOKEN", "unresolved", "acme/docs", ExposureLevel.STEP, "job env OLD_DEPLOY_TOKEN",
                SecretState.MISSING, null);
        ghJob("acme/docs", "6100", "8501", "lint", "2021-03-12T12:00:00Z", Verdict.NOT_RUN, Confidence.CONFIRMED,
                "step 6 \"Run codecov/codecov-action@v1\" skipped");
        ghJob("acme/legacy", "4400", "4400", "ci", "2021-02-20T10:00:00Z", Verdict.UNKNOWN, Confidence.POSSIBLE,
                "run 4400: workflow file .github/workflows/legacy.yml not found at 9c0ffee");
        gap(GH, GH_HOST, "acme/legacy", "4400", Gap.CONFIG_NOT_FOUND,
                ".github/workflows/legacy.yml not found at 9c0ffee (404)", true);

        for (int i = 0; i < 6; i++) { // acme/api, web, docs, legacy, site, tools
            adds.add(() -> findings.examinedProject(GH));
        }
        for (int i = 0; i < 48; i++) {
            adds.add(() -> findings.examinedRun(GH));
        }
        for (int i = 0; i < 131; i++) {
            adds.add(() -> findings.examinedJob(GH));
        }
        for (int i = 0; i < 412; i++) {
            adds.add(() -> findings.request(GH));
        }
    }

    private JobFinding jkBuild(String job, String build, String started, String name, String evidence) {
        JobFinding j = new JobFinding(JK, JK_HOST, job, job, build, 1, build, name, "main",
                "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "", t(started),
                "https://" + JK_HOST + "/job/" + job.replace("/", "/job/") + "/" + build + "/", Verdict.RAN,
                Confidence.CONFIRMED, evidence);
        adds.add(() -> findings.job(j));
        return j;
    }

    private void jenkins() {
        String console = "console: + bash <(curl -s https://codecov.io/bash) -t ****; Bash-20210219-0f41bb7";
        String[][] builds = {
                {"412", "2021-02-19T07:00:00Z"}, {"415", "2021-02-26T07:00:00Z"}, {"430", "2021-03-09T07:00:00Z"},
                {"431", "2021-03-09T19:30:00Z"},
        };
        for (String[] b : builds) {
            JobFinding j = jkBuild("platform/deploy-service", b[0], b[1], "platform » deploy-service #" + b[0],
                    console);
            expose(j, "aws-prod", "jenkins-credential", "system", ExposureLevel.STEP,
                    "withCredentials usernamePassword(credentialsId: 'aws-prod')", SecretState.UNKNOWN, null);
            expose(j, "github-ci-bot", "jenkins-credential", "platform", ExposureLevel.JOB,
                    "stage Checkout: git(credentialsId: 'github-ci-bot')", SecretState.UNKNOWN, null);
            expose(j, "url-credential:ci-bot@github.com", "literal", "platform/deploy-service", ExposureLevel.STEP,
                    "SCM remote https://ci-bot:****@github.com/acme/deploy.git", SecretState.PRESENT, null);
        }
        JobFinding f = jkBuild("payments/nightly", "77", "2021-03-15T02:00:00Z", FORMULA_JOB,
                "console: + curl -s https://codecov.io/bash | bash -s -- -F \"nightly, slow\"\nBash-20210312-2b87ace");
        expose(f, AT_CREDENTIAL, "jenkins-credential", FORMULA_FOLDER, ExposureLevel.STEP,
                "environment { NPM_TOKEN = credentials('@npm-publish') }", SecretState.UNKNOWN, null);
        expose(f, PLUS_CREDENTIAL, "jenkins-credential", FORMULA_FOLDER, ExposureLevel.STEP,
                "sshagent(['+deploy-ssh'])", SecretState.UNKNOWN, null);
        expose(f, MINUS_CREDENTIAL, "jenkins-credential", FORMULA_FOLDER, ExposureLevel.JOB,
                "stage Sign: withCredentials file(credentialsId: '-signing-gpg')", SecretState.UNKNOWN, null);
        gap(JK, JK_HOST, "payments/nightly", "", Gap.BUILDS_DISCARDED,
                "builds 1-60 discarded by the job's log rotation (oldest kept: #61, 2021-03-01)", false);

        for (int i = 0; i < 3; i++) {
            adds.add(() -> findings.examinedProject(JK));
        }
        for (int i = 0; i < 27; i++) {
            adds.add(() -> findings.examinedRun(JK));
            adds.add(() -> findings.examinedJob(JK));
        }
        for (int i = 0; i < 95; i++) {
            adds.add(() -> findings.request(JK));
        }
    }
}
