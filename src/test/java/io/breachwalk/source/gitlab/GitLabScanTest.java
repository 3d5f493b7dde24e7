package io.breachwalk.source.gitlab;

import io.breachwalk.cli.Main;
import io.breachwalk.sim.gitlab.GitLabSimulator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against a simulated GitLab group (the estate below): row-level assertions for issue 13's "Done when" cases.
 * The maintainer scan runs once; the developer scan (403 on variables) once more.
 */
class GitLabScanTest {

    static final String UPLOADER = "bash <(curl -s https://codecov.io/bash)";

    /** Jobs start a minute after their pipeline is created unless they say otherwise. */
    static final String ESTATE = """
            rate_limit: {limit: 100000, reset_seconds: 60}
            tokens:
              - {name: maintainer, value: glpat-maintainer, username: bot, role: maintainer}
              - {name: developer, value: glpat-developer, username: dev, role: developer}
              - {name: admin, value: glpat-admin, username: root, role: maintainer, admin: true}
            instance_variables:
              - {key: INSTANCE_SLACK_WEBHOOK, variable_type: env_var}
            groups:
              - path: acme
                variables:
                  - {key: GROUP_NPM_TOKEN, variable_type: env_var}
                  - {key: CODECOV_TOKEN, variable_type: env_var}
                subgroups:
                  - path: platform
                    variables:
                      - {key: PLATFORM_DEPLOY_KEY, variable_type: file, protected: true}
                    projects:
                      - path: web
                        default_branch: main
                        protected_branches: [main, "release/*"]
                        variables:
                          - {key: CODECOV_TOKEN, variable_type: env_var}
                          - {key: AWS_SECRET_ACCESS_KEY, variable_type: env_var, protected: true}
                          - {key: PROD_DB_PASSWORD, variable_type: env_var, environment_scope: production}
                          - {key: REVIEW_DB_PASSWORD, variable_type: env_var, environment_scope: "review/*"}
                          - {key: KUBECONFIG_FILE, variable_type: file}
                        commits:
                          - id: c1
                            date: 2021-01-01T00:00:00Z
                            files:
                              .gitlab-ci.yml: |
                                include:
                                  - local: ci/upload.yml
                                stages: [test, deploy]
                                .coverage:
                                  script:
                                    - make test
                                    - bash <(curl -s https://codecov.io/bash)
                                test:
                                  extends: .coverage
                                deploy:
                                  stage: deploy
                                  environment: production
                                  extends: .coverage
                                manual-upload:
                                  when: manual
                                  extends: .coverage
                                failing:
                                  extends: .coverage
                                retry-me:
                                  extends: .coverage
                                erased:
                                  extends: .coverage
                                lint:
                                  script: [npm run lint]
                                main-only:
                                  extends: .coverage
                                  rules:
                                    - if: '$CI_COMMIT_BRANCH == "main"'
                                child:
                                  trigger:
                                    include: ci/child.yml
                              ci/upload.yml: |
                                .steps: &upload
                                  - curl -s https://codecov.io/bash > codecov.sh
                                  - bash codecov.sh
                                included-job:
                                  script: *upload
                              ci/child.yml: |
                                child-upload:
                                  script:
                                    - curl -s https://codecov.io/bash | bash
                        pipelines:
                          - id: 101
                            ref: main
                            commit: c1
                            created_at: 2021-02-10T10:00:00Z
                            jobs:
                              - {id: 1001, name: test, status: success, trace: "$ make test\\nok\\n$ bash <(curl -s https://codecov.io/bash)\\nuploaded\\n"}
                              - {id: 1002, name: deploy, stage: deploy, status: success, environment: production, trace: "$ make test\\n$ bash <(curl -s https://codecov.io/bash)\\n"}
                              - {id: 1003, name: manual-upload, status: manual}
                              - {id: 1004, name: failing, status: failed, trace: "$ make test\\nmake: *** [test] Error 2\\nERROR: Job failed: exit code 2\\n"}
                              - {id: 1005, name: retry-me, status: failed, retried: true, trace: "$ make test\\nERROR: Job failed\\n"}
                              - {id: 1006, name: retry-me, status: success, trace: "$ make test\\n$ bash <(curl -s https://codecov.io/bash)\\n"}
                              - {id: 1007, name: erased, status: success, erased: true}
                              - {id: 1008, name: included-job, status: success, trace: "$ curl -s https://codecov.io/bash > codecov.sh\\n$ bash codecov.sh\\n"}
                              - {id: 1009, name: lint, status: success, trace: "$ npm run lint\\n"}
                              - {id: 1010, name: main-only, status: success, trace: "$ bash <(curl -s https://codecov.io/bash)\\n"}
                          - id: 102
                            ref: feature/x
                            commit: c1
                            created_at: 2021-02-11T10:00:00Z
                            jobs:
                              - {id: 1021, name: test, status: success, trace: "$ bash <(curl -s https://codecov.io/bash)\\n"}
                          - id: 103
                            ref: main
                            commit: c1
                            created_at: 2021-01-30T23:00:00Z
                            updated_at: 2021-01-31T00:40:00Z
                            jobs:
                              - {id: 1031, name: test, status: success, started_at: 2021-01-31T00:30:00Z, finished_at: 2021-01-31T00:40:00Z, trace: "$ bash <(curl -s https://codecov.io/bash)\\n"}
                          - id: 104
                            ref: main
                            commit: c1
                            created_at: 2021-02-12T10:00:00Z
                            jobs:
                              - {id: 1041, name: lint, status: success, trace: "$ npm run lint\\n"}
                          - id: 105
                            ref: main
                            commit: c1
                            parent: 104
                            trigger_job: child
                            created_at: 2021-02-12T10:05:00Z
                            jobs:
                              - {id: 1051, name: child-upload, status: success, trace: "$ curl -s https://codecov.io/bash | bash\\n"}
                          - id: 106
                            ref: main
                            commit: c1
                            created_at: 2021-01-30T22:00:00Z
                            updated_at: 2021-01-31T00:20:00Z
                            jobs:
                              - {id: 1061, name: lint, status: success, started_at: 2021-01-30T22:01:00Z, finished_at: 2021-01-30T22:02:00Z, trace: "$ npm run lint\\n"}
                          - id: 107
                            ref: main
                            commit: c1
                            parent: 106
                            trigger_job: child
                            created_at: 2021-01-30T23:59:00Z
                            jobs:
                              - {id: 1071, name: child-upload, status: success, started_at: 2021-01-31T00:10:00Z, finished_at: 2021-01-31T00:15:00Z, trace: "$ curl -s https://codecov.io/bash | bash\\n"}
                        generate:
                          - {count: 120, ref: main, commit: c1, source: push, from: 2021-03-01T00:00:00Z, to: 2021-03-05T00:00:00Z, jobs: [{name: test, trace: "$ bash <(curl -s https://codecov.io/bash)\\n"}]}
                  - path: tools
                    projects:
                      - path: old
                        default_branch: main
                        protected_branches: [main]
                        variables:
                          - {key: OLD_DEPLOY_TOKEN, variable_type: env_var}
                        commits:
                          - id: o1
                            date: 2020-11-01T00:00:00Z
                            files:
                              .gitlab-ci.yml: |
                                coverage:
                                  script:
                                    - curl -s https://codecov.io/bash | bash
                        pipelines:
                          - id: 301
                            ref: main
                            commit: o1
                            created_at: 2021-06-01T10:00:00Z
                            jobs:
                              - {id: 3001, name: coverage, status: success, trace: "$ curl -s https://codecov.io/bash | bash\n"}
                      - path: legacy
                        default_branch: main
                        ci_config_path: ci/pipeline.yml
                        commits:
                          - id: t0
                            date: 2020-12-01T00:00:00Z
                            files: {README.md: "legacy"}
                          - id: t1
                            date: 2021-01-01T00:00:00Z
                            files:
                              ci/pipeline.yml: |
                                include:
                                  - template: Jobs/Codecov.gitlab-ci.yml
                                stages: [test]
                                templated:
                                  extends: .codecov-upload
                                python:
                                  script:
                                    - pip install codecov
                                    - codecov
                                binary:
                                  script:
                                    - curl -Os https://uploader.codecov.io/latest/linux/codecov
                                    - chmod +x codecov
                                    - ./codecov
                        pipelines:
                          - id: 201
                            ref: main
                            commit: t1
                            created_at: 2021-02-15T10:00:00Z
                            jobs:
                              - {id: 2001, name: python, status: success, trace: "$ pip install codecov\\n$ codecov\\n"}
                              - {id: 2002, name: binary, status: success, trace: "$ ./codecov\\n"}
                              - {id: 2003, name: templated, status: success, trace: "$ bash <(curl -s https://codecov.io/bash)\\n"}
                              - {id: 2004, name: templated, status: success, retried: true, trace: "$ echo skipped\\n"}
                          - id: 202
                            ref: main
                            commit: t0
                            created_at: 2021-02-16T10:00:00Z
                            jobs:
                              - {id: 2021, name: test, status: success, trace: "$ bash <(curl -s https://codecov.io/bash)\\n"}
                              - {id: 2022, name: build, status: success, trace: "$ ./build.sh\\n"}
                              - {id: 2023, name: publish, status: manual}
            """;

    @TempDir
    static Path tmp;
    private static GitLabSimulator sim;
    private static Scan scan;

    record Scan(int exit, String out, String err, Path dir) {
        List<Map<String, String>> csv(String name) throws IOException {
            List<Map<String, String>> rows = new ArrayList<>();
            try (Reader r = Files.newBufferedReader(dir.resolve(name + ".csv"), StandardCharsets.UTF_8)) {
                for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
                    rows.add(rec.toMap());
                }
            }
            return rows;
        }

        List<Map<String, String>> rows(String name, Predicate<Map<String, String>> which) throws IOException {
            return csv(name).stream().filter(which).toList();
        }

        Map<String, String> job(String jobId) throws IOException {
            List<Map<String, String>> found = rows("jobs", r -> r.get("job_id").equals(jobId));
            assertThat(found).as("jobs.csv rows of job " + jobId).hasSize(1);
            return found.get(0);
        }

        List<String> secrets(String jobId) throws IOException {
            return rows("exposures", r -> r.get("job_id").equals(jobId)).stream()
                    .map(r -> r.get("secret_scope") + ":" + r.get("scope_owner") + ":" + r.get("secret_name")
                            + ":" + r.get("exposure"))
                    .sorted().toList();
        }
    }

    static Scan scan(GitLabSimulator sim, String token, Path out, String... targets) {
        List<String> args = new ArrayList<>(List.of("scan", "--gitlab-url", sim.baseUrl(), "--out", out.toString(),
                "--quiet"));
        args.addAll(List.of(targets));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), Map.of("GITLAB_TOKEN", token),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Scan(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8), out);
    }

    @BeforeAll
    static void scanGroup() throws IOException {
        Path estate = tmp.resolve("estate.yaml");
        Files.writeString(estate, ESTATE);
        sim = GitLabSimulator.start(estate);
        scan = scan(sim, sim.token("maintainer"), tmp.resolve("out"), "--gitlab-group", "acme");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void walksTheGroupWithItsSubgroupsAndWritesTheFiles() throws IOException {
        assertThat(scan.err()).isEmpty();
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv", "report.json")) {
            assertThat(scan.dir().resolve(f)).exists();
        }
        assertThat(scan.csv("jobs").stream().map(r -> r.get("project")).distinct().sorted())
                .containsExactly("acme/platform/web", "acme/tools/legacy", "acme/tools/old");
    }

    @Test
    void uploaderInAnExtendsTemplateRanWithEveryVariableInReach() throws IOException {
        Map<String, String> test = scan.job("1001");
        assertThat(test.get("provider")).isEqualTo("gitlab-ci");
        assertThat(test.get("pipeline")).isEqualTo(".gitlab-ci.yml");
        assertThat(test.get("run_id")).isEqualTo("101");
        assertThat(test.get("run_attempt")).isEqualTo("1");
        assertThat(test.get("event")).isEqualTo("push");
        assertThat(test.get("branch")).isEqualTo("main");
        assertThat(test.get("verdict")).isEqualTo("RAN");
        assertThat(test.get("confidence")).isEqualTo("confirmed");
        assertThat(test.get("evidence")).startsWith("trace line 3 $ " + UPLOADER + "; .gitlab-ci.yml@")
                .endsWith(":7 " + UPLOADER);
        // main is protected: protected variables reach it; the project's CODECOV_TOKEN overrides the group's.
        assertThat(scan.secrets("1001")).containsExactly(
                "ephemeral:acme/platform/web:CI_JOB_TOKEN:STEP",
                "group:acme/platform:PLATFORM_DEPLOY_KEY:STEP",
                "group:acme:GROUP_NPM_TOKEN:STEP",
                "project:acme/platform/web:AWS_SECRET_ACCESS_KEY:STEP",
                "project:acme/platform/web:CODECOV_TOKEN:STEP",
                "project:acme/platform/web:KUBECONFIG_FILE:STEP");
    }

    @Test
    void protectedVariablesStayOffAnUnprotectedBranch() throws IOException {
        Map<String, String> feature = scan.job("1021");
        assertThat(feature.get("verdict")).isEqualTo("RAN");
        assertThat(feature.get("branch")).isEqualTo("feature/x");
        assertThat(scan.secrets("1021")).containsExactly(
                "ephemeral:acme/platform/web:CI_JOB_TOKEN:STEP",
                "group:acme:GROUP_NPM_TOKEN:STEP",
                "project:acme/platform/web:CODECOV_TOKEN:STEP",
                "project:acme/platform/web:KUBECONFIG_FILE:STEP");
    }

    @Test
    void environmentScopedVariableReachesOnlyTheJobOfThatEnvironment() throws IOException {
        assertThat(scan.job("1002").get("verdict")).isEqualTo("RAN");
        assertThat(scan.secrets("1002")).contains("project:acme/platform/web:PROD_DB_PASSWORD:STEP")
                .noneMatch(s -> s.contains("REVIEW_DB_PASSWORD"));
        assertThat(scan.secrets("1001")).noneMatch(s -> s.contains("PROD_DB_PASSWORD"));
    }

    @Test
    void manualJobNeverPlayedAndJobThatFailedBeforeTheUploaderDidNotRunIt() throws IOException {
        Map<String, String> manual = scan.job("1003");
        assertThat(manual.get("verdict")).isEqualTo("NOT_RUN");
        assertThat(manual.get("evidence")).startsWith("manual job never played");
        assertThat(manual.get("started_at")).isEmpty();
        Map<String, String> failing = scan.job("1004");
        assertThat(failing.get("verdict")).isEqualTo("NOT_RUN");
        assertThat(failing.get("confidence")).isEqualTo("confirmed");
        assertThat(failing.get("evidence")).startsWith("job failed before the uploader line");
        assertThat(scan.secrets("1003")).isEmpty();
        assertThat(scan.secrets("1004")).isEmpty();
    }

    @Test
    void rulesJobIsAbsentFromTheFeatureBranchPipeline() throws IOException {
        assertThat(scan.rows("jobs", r -> r.get("job_name").equals("main-only")))
                .extracting(r -> r.get("run_id") + ":" + r.get("verdict")).containsExactly("101:RAN");
    }

    @Test
    void retriedJobKeepsBothAttempts() throws IOException {
        Map<String, String> first = scan.job("1005");
        Map<String, String> second = scan.job("1006");
        assertThat(first.get("run_attempt")).isEqualTo("1");
        assertThat(first.get("verdict")).isEqualTo("NOT_RUN");
        assertThat(second.get("run_attempt")).isEqualTo("2");
        assertThat(second.get("verdict")).isEqualTo("RAN");
    }

    @Test
    void erasedTraceFallsBackToTheConfiguration() throws IOException {
        Map<String, String> erased = scan.job("1007");
        assertThat(erased.get("verdict")).isEqualTo("RAN");
        assertThat(erased.get("confidence")).isEqualTo("probable");
        assertThat(scan.rows("coverage", r -> r.get("gap").equals("LOGS_EXPIRED") && r.get("run_id").equals("101")))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("detail")).contains("1007");
                    assertThat(r.get("blocking")).isEqualTo("false");
                });
    }

    @Test
    void anchorInAnIncludedLocalFileAndTheDownloadThenRunForm() throws IOException {
        Map<String, String> included = scan.job("1008");
        assertThat(included.get("verdict")).isEqualTo("RAN");
        assertThat(included.get("confidence")).isEqualTo("confirmed");
        assertThat(included.get("evidence")).contains("ci/upload.yml@");
        assertThat(scan.rows("jobs", r -> r.get("job_id").equals("1009"))).as("lint runs no uploader").isEmpty();
    }

    @Test
    void jobStartedInsideTheWindowOfAPipelineCreatedBeforeIt() throws IOException {
        Map<String, String> early = scan.job("1031");
        assertThat(early.get("run_id")).isEqualTo("103");
        assertThat(early.get("started_at")).isEqualTo("2021-01-31T00:30:00Z");
        assertThat(early.get("verdict")).isEqualTo("RAN");
    }

    @Test
    void childPipelineIsWalkedWithItsOwnConfiguration() throws IOException {
        Map<String, String> child = scan.job("1051");
        assertThat(child.get("run_id")).isEqualTo("105");
        assertThat(child.get("event")).isEqualTo("parent_pipeline");
        assertThat(child.get("pipeline")).isEqualTo("ci/child.yml");
        assertThat(child.get("verdict")).isEqualTo("RAN");
        // The parent's own jobs ran before the window: its trigger job still says what the child ran.
        Map<String, String> late = scan.job("1071");
        assertThat(late.get("pipeline")).isEqualTo("ci/child.yml");
        assertThat(late.get("verdict")).isEqualTo("RAN");
        assertThat(late.get("confidence")).isEqualTo("confirmed");
    }

    @Test
    void moreThanOneHundredPipelinesInTheWindow() throws IOException {
        long generated = scan.rows("jobs", r -> r.get("project").equals("acme/platform/web")
                && r.get("started_at").startsWith("2021-03-0")).size();
        assertThat(generated).isEqualTo(120);
    }

    @Test
    void pythonPackageAndNewUploaderBinaryAreNotAffected() throws IOException {
        for (String id : List.of("2001", "2002")) {
            assertThat(scan.rows("jobs", r -> r.get("job_id").equals(id))).allSatisfy(r -> {
                assertThat(r.get("verdict")).isEqualTo("NOT_RUN");
                assertThat(r.get("pipeline")).isEqualTo("ci/pipeline.yml");
            });
            assertThat(scan.secrets(id)).isEmpty();
        }
    }

    @Test
    void includeTemplateNotReadIsAGapAndTheTraceStillShowsTheUploader() throws IOException {
        assertThat(scan.rows("coverage", r -> r.get("gap").equals("CONFIG_NOT_FOUND") && r.get("run_id").equals("201")))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("detail")).contains("template Jobs/Codecov.gitlab-ci.yml");
                    assertThat(r.get("blocking")).isEqualTo("false");
                });
        Map<String, String> templated = scan.job("2003");
        assertThat(templated.get("verdict")).isEqualTo("RAN");
        assertThat(templated.get("confidence")).isEqualTo("confirmed");
        assertThat(templated.get("evidence")).contains("not in the configuration as read");
        assertThat(scan.rows("jobs", r -> r.get("job_id").equals("2004"))).isEmpty();
    }

    @Test
    void configurationNotFoundListsTheJobsFromTheirTraces() throws IOException {
        assertThat(scan.rows("coverage", r -> r.get("gap").equals("CONFIG_NOT_FOUND") && r.get("run_id").equals("202")))
                .singleElement().satisfies(r -> assertThat(r.get("blocking")).isEqualTo("true"));
        assertThat(scan.job("2021").get("verdict")).isEqualTo("RAN");
        assertThat(scan.job("2022").get("verdict")).isEqualTo("UNKNOWN");
        assertThat(scan.rows("jobs", r -> r.get("job_id").equals("2023"))).as("never started").isEmpty();
    }

    @Test
    void groupAndInstanceVariablesAndTheRotationRowsAskForReview() throws IOException {
        // The maintainer is no admin: instance variables are a non-blocking gap.
        assertThat(scan.rows("coverage", r -> r.get("gap").equals("SECRETS_UNLISTABLE")))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("detail")).contains("instance");
                    assertThat(r.get("blocking")).isEqualTo("false");
                });
        assertThat(scan.rows("rotation", r -> r.get("secret_name").equals("GROUP_NPM_TOKEN")))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("provider")).isEqualTo("gitlab-ci");
                    assertThat(r.get("secret_scope")).isEqualTo("group");
                    assertThat(r.get("scope_owner")).isEqualTo("acme");
                    assertThat(r.get("status")).isEqualTo("REVIEW");
                });
        assertThat(scan.rows("rotation", r -> r.get("secret_name").equals("CI_JOB_TOKEN")))
                .allSatisfy(r -> assertThat(r.get("status")).isEqualTo("EPHEMERAL"));
    }

    @Test
    void adminTokenListsInstanceVariables(@TempDir Path out) throws IOException {
        Scan admin = scan(sim, sim.token("admin"), out, "--gitlab-project", "acme/platform/web");
        assertThat(admin.err()).isEmpty();
        assertThat(admin.secrets("1001")).contains("instance:" + java.net.URI.create(sim.baseUrl()).getHost()
                + ":INSTANCE_SLACK_WEBHOOK:STEP");
        assertThat(admin.rows("coverage", r -> r.get("gap").equals("SECRETS_UNLISTABLE"))).isEmpty();
    }

    @Test
    void developerTokenCannotListVariables(@TempDir Path out) throws IOException {
        Scan dev = scan(sim, sim.token("developer"), out, "--gitlab-project", "acme/platform/web");
        assertThat(dev.err()).isEmpty();
        assertThat(dev.job("1001").get("verdict")).isEqualTo("RAN");
        List<Map<String, String>> gaps = dev.rows("coverage", r -> r.get("gap").equals("SECRETS_UNLISTABLE"));
        assertThat(gaps).extracting(r -> r.get("detail")).anyMatch(d -> d.contains("project CI/CD variables of "
                + "acme/platform/web could not be listed"));
        assertThat(dev.secrets("1001")).contains("ephemeral:acme/platform/web:CI_JOB_TOKEN:STEP")
                .noneMatch(s -> s.startsWith("project:"));
        assertThat(Files.readString(dev.dir().resolve("exposures.csv"))).doesNotContain("SIMVALUE");
    }

    @Test
    void expiredPipelinesFallBackToTheConfigurationInTheCommitHistory() throws IOException {
        Map<String, String> row = scan.rows("jobs", r -> r.get("project").equals("acme/tools/old")).stream()
                .reduce((a, b) -> { throw new AssertionError("one row expected"); }).orElseThrow();
        assertThat(row.get("basis")).isEqualTo("commit-history");
        assertThat(row.get("verdict")).isEqualTo("RAN");
        assertThat(row.get("confidence")).isEqualTo("probable");
        assertThat(row.get("job_name")).isEqualTo("coverage");
        assertThat(row.get("run_id")).isEmpty();
        assertThat(scan.secrets(row.get("job_id"))).contains("project:acme/tools/old:OLD_DEPLOY_TOKEN:STEP");
        assertThat(scan.rows("coverage", r -> r.get("project").equals("acme/tools/old")))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("gap")).isEqualTo("RUNS_EXPIRED");
                    assertThat(r.get("blocking")).isEqualTo("false");
                    assertThat(r.get("detail")).contains("2021-06-01T10:00:00Z");
                });
    }

    @Test
    void offlineReanalysisGivesTheSameRowsWithoutARequest() throws IOException {
        int before = sim.requestCount();
        Path out = tmp.resolve("offline");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        Main.run(new String[] {"scan", "--offline", scan.dir().resolve("evidence").toString(), "--out", out.toString(),
                "--quiet"}, Map.of(), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(e.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(sim.requestCount()).isEqualTo(before);
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv")) {
            assertThat(Files.readString(out.resolve(f))).as(f).isEqualTo(Files.readString(scan.dir().resolve(f)));
        }
    }

    @Test
    void variableValuesAreNeverWritten() throws IOException {
        try (var files = Files.walk(scan.dir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("SIMVALUE");
            }
        }
    }
}
