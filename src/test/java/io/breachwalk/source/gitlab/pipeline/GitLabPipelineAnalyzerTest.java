package io.breachwalk.source.gitlab.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Hit;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Include;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Job;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Pipeline;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.ScriptLine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The configuration cases of issue 13: where the uploader hides in a GitLab CI file, and what a job records. */
class GitLabPipelineAnalyzerTest {
    private static IndicatorMatcher matcher;

    @BeforeAll
    static void load() throws Exception {
        matcher = new IndicatorMatcher(PlaybookLoader.loadBundled("codecov-2021"));
    }

    private static Pipeline analyze(String text, Map<String, String> tree) throws ConfigParseException {
        FileLookup lookup = p -> Optional.ofNullable(tree.get(p));
        return GitLabPipelineAnalyzer.analyze(".gitlab-ci.yml", text, lookup, matcher);
    }

    private static Job job(Pipeline p, String name) {
        return p.job(name).orElseThrow(() -> new AssertionError("no job " + name + " in " + p.jobs()));
    }

    @Test
    void uploaderInAnExtendsTemplateAnAnchorAndALocalInclude() throws Exception {
        String main = """
                include:
                  - local: /ci/coverage.yml
                stages: [test, report]
                .upload: &upload
                  - bash <(curl -s https://codecov.io/bash)
                .unused-anchor: &unused
                  - bash <(curl -s https://codecov.io/bash) -t unused
                .never-extended:
                  script:
                    - curl -s https://codecov.io/bash | bash
                .base:
                  image: python
                  after_script:
                    - curl -s https://codecov.io/bash | bash
                .middle:
                  extends: .base
                  stage: report
                from-template:
                  extends: [.lint-setup, .middle]
                  script: [make test]
                from-anchor:
                  script:
                    - make test
                    # - bash <(curl -s https://codecov.io/bash)
                    - *upload
                from-include:
                  extends: .coverage
                  script: [pytest]
                plain:
                  script: |
                    make lint
                    # curl -s https://codecov.io/bash | bash
                """;
        Map<String, String> tree = Map.of("ci/coverage.yml", """
                .coverage:
                  after_script:
                    - bash <(curl -s https://codecov.io/bash)
                .lint-setup:
                  before_script: [pip install flake8]
                """);
        Pipeline p = analyze(main, tree);

        assertThat(p.jobs()).extracting(Job::name).containsExactly("from-template", "from-anchor", "from-include", "plain");
        assertThat(p.includedFiles()).extracting(Include::location).containsExactly("ci/coverage.yml");

        Job t = job(p, "from-template");
        assertThat(t.usesIndicator()).isTrue();
        assertThat(t.stage()).isEqualTo("report");
        assertThat(t.scripts()).extracting(ScriptLine::section, ScriptLine::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple("before_script", "pip install flake8"),
                org.assertj.core.groups.Tuple.tuple("script", "make test"),
                org.assertj.core.groups.Tuple.tuple("after_script", "curl -s https://codecov.io/bash | bash"));
        assertThat(t.hits()).singleElement().satisfies(h -> {
            assertThat(h.how()).isEqualTo("curl-bash");
            assertThat(h.section()).isEqualTo("after_script");
            assertThat(h.file() + ":" + h.line()).isEqualTo(".gitlab-ci.yml:14");
        });

        Job a = job(p, "from-anchor");
        assertThat(a.hits()).singleElement().satisfies(h -> {
            assertThat(h.affected()).isTrue();
            assertThat(h.line()).isEqualTo(5); // the anchor's line: where a person reads the command
            assertThat(h.text()).doesNotContain("unused");
        });

        Job i = job(p, "from-include");
        assertThat(i.hits()).singleElement().satisfies(h -> {
            assertThat(h.file()).isEqualTo("ci/coverage.yml");
            assertThat(h.line()).isEqualTo(3);
        });

        Job plain = job(p, "plain");
        assertThat(plain.usesIndicator()).isFalse();
        assertThat(plain.hits()).isEmpty();
        assertThat(p.unresolvedIncludes()).isEmpty();
    }

    @Test
    void rulesOnlyExceptAndManualAreRecordedAsData() throws Exception {
        String main = """
                workflow:
                  rules:
                    - if: $CI_COMMIT_BRANCH
                coverage:
                  stage: test
                  rules:
                    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
                      when: always
                    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
                      changes: [src/**/*]
                      variables: {UPLOAD: "yes"}
                    - when: never
                  script:
                    - bash <(curl -s https://codecov.io/bash)
                upload-manually:
                  when: manual
                  allow_failure: true
                  only: [main, tags]
                  except:
                    variables: [$SKIP_UPLOAD]
                  script:
                    - bash <(curl -s https://codecov.io/bash)
                deploy:
                  environment:
                    name: production
                  script: [./deploy.sh]
                """;
        Pipeline p = analyze(main, Map.of("deploy.sh", "echo deploy\n"));
        assertThat(p.workflowRules()).extracting(GitLabPipelineModel.Rule::condition).containsExactly("$CI_COMMIT_BRANCH");

        Job c = job(p, "coverage");
        assertThat(c.usesIndicator()).isTrue();
        assertThat(c.when()).isEqualTo("on_success");
        assertThat(c.rules()).hasSize(3);
        assertThat(c.rules().get(0).condition()).isEqualTo("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
        assertThat(c.rules().get(0).when()).isEqualTo("always");
        assertThat(c.rules().get(1).changes()).containsExactly("src/**/*");
        assertThat(c.rules().get(1).variables()).containsExactly("UPLOAD");
        assertThat(c.rules().get(2).condition()).isNull();
        assertThat(c.rules().get(2).when()).isEqualTo("never");
        assertThat(c.neverRuns()).isFalse();

        Job m = job(p, "upload-manually");
        assertThat(m.manual()).isTrue();
        assertThat(m.usesIndicator()).isTrue(); // the configuration runs it if played: the walk decides from the job record
        assertThat(m.allowFailure()).isEqualTo("true");
        assertThat(m.only().refs()).containsExactly("main", "tags");
        assertThat(m.except().variables()).containsExactly("$SKIP_UPLOAD");
        assertThat(c.only()).isNull();

        assertThat(job(p, "deploy").environment()).isEqualTo("production");
        assertThat(job(p, "deploy").usesIndicator()).isFalse();
    }

    @Test
    void curlPipeAndDownloadThenRunForms() throws Exception {
        String main = """
                process-substitution:
                  script: [bash <(curl -s https://codecov.io/bash)]
                pipe:
                  script:
                    - curl -s https://codecov.io/bash | bash -s -- -t $CODECOV_TOKEN
                download-then-run:
                  script:
                    - curl -s -o codecov.sh https://codecov.io/bash
                    - chmod +x codecov.sh
                    - ./codecov.sh -F unit
                wget-then-run:
                  script:
                    - |
                      wget -q -O - https://codecov.io/bash > codecov.sh
                      bash codecov.sh
                continued-curl:
                  script:
                    - >-
                      curl -s
                      https://codecov.io/bash | bash
                new-uploader:
                  script:
                    - curl -Os https://uploader.codecov.io/latest/linux/codecov
                    - chmod +x codecov && ./codecov
                python-package:
                  script: [pip install codecov, codecov]
                """;
        Pipeline p = analyze(main, Map.of());
        for (String name : List.of("process-substitution", "pipe", "download-then-run", "wget-then-run", "continued-curl")) {
            assertThat(job(p, name).usesIndicator()).as(name).isTrue();
            assertThat(job(p, name).hits()).as(name).extracting(Hit::how).contains("curl-bash");
        }
        assertThat(job(p, "download-then-run").hits()).singleElement().extracting(Hit::line).isEqualTo(8);
        Job wget = job(p, "wget-then-run");
        assertThat(wget.scriptOf(wget.hits().get(0))).get().extracting(ScriptLine::text).asString().contains("bash codecov.sh");
        assertThat(job(p, "download-then-run").missing()).isEmpty(); // codecov.sh is written by the job itself
        assertThat(job(p, "wget-then-run").hits()).singleElement().extracting(Hit::line).isEqualTo(14);
        assertThat(job(p, "new-uploader").usesIndicator()).isFalse();
        assertThat(job(p, "new-uploader").hits()).extracting(Hit::how).containsExactly("codecov-uploader-binary");
        assertThat(job(p, "python-package").usesIndicator()).isFalse();
        assertThat(job(p, "python-package").hits()).extracting(Hit::how).contains("python-codecov");
    }

    @Test
    void defaultAndLegacyBeforeScriptWithInherit() throws Exception {
        String main = """
                default:
                  before_script:
                    - bash <(curl -s https://codecov.io/bash) || true
                test:
                  script: [make test]
                own-before:
                  before_script: [echo mine]
                  script: [make test]
                opts-out:
                  inherit:
                    default: false
                  script: [make test]
                keeps-image-only:
                  inherit:
                    default: [image]
                  script: [make test]
                """;
        Pipeline p = analyze(main, Map.of());
        assertThat(job(p, "test").usesIndicator()).isTrue();
        assertThat(job(p, "test").hits()).singleElement().satisfies(h -> assertThat(h.section()).isEqualTo("before_script"));
        assertThat(job(p, "own-before").usesIndicator()).isFalse();
        assertThat(job(p, "opts-out").usesIndicator()).isFalse();
        assertThat(job(p, "keeps-image-only").usesIndicator()).isFalse();

        Pipeline legacy = analyze("""
                after_script:
                  - curl -s https://codecov.io/bash | bash
                unit:
                  script: [make test]
                """, Map.of());
        assertThat(job(legacy, "unit").usesIndicator()).isTrue();
        assertThat(job(legacy, "unit").hits().get(0).section()).isEqualTo("after_script");
    }

    @Test
    void nonLocalIncludesAreListedUnresolved() throws Exception {
        String main = """
                include:
                  - project: group/ci-templates
                    ref: v1
                    file: [/coverage.yml, /lint.yml]
                  - template: Jobs/Code-Quality.gitlab-ci.yml
                  - remote: https://example.com/ci.yml
                  - https://example.com/other.yml
                  - local: ci/missing.yml
                  - local: ci/*.yml
                test:
                  extends: .from-project
                  script: [make test]
                """;
        Pipeline p = analyze(main, Map.of());
        assertThat(p.unresolvedIncludes()).extracting(Include::kind, Include::location, Include::project, Include::ref)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("project", "/coverage.yml", "group/ci-templates", "v1"),
                        org.assertj.core.groups.Tuple.tuple("project", "/lint.yml", "group/ci-templates", "v1"),
                        org.assertj.core.groups.Tuple.tuple("template", "Jobs/Code-Quality.gitlab-ci.yml", null, null),
                        org.assertj.core.groups.Tuple.tuple("remote", "https://example.com/ci.yml", null, null),
                        org.assertj.core.groups.Tuple.tuple("remote", "https://example.com/other.yml", null, null),
                        org.assertj.core.groups.Tuple.tuple("local", "ci/missing.yml", null, null),
                        org.assertj.core.groups.Tuple.tuple("local", "ci/*.yml", null, null));
        assertThat(p.unresolvedIncludes().get(5).reason()).isEqualTo("not found");
        assertThat(p.unresolvedIncludes().get(6).reason()).isEqualTo("wildcard");
        assertThat(job(p, "test").scripts()).extracting(ScriptLine::text).containsExactly("make test");
        assertThat(p.problems()).anyMatch(s -> s.contains(".from-project"));
    }

    @Test
    void variablesAreNamesOnlyGlobalAndJob() throws Exception {
        String main = """
                variables:
                  GLOBAL_SETTING: global-value-xyz
                  DEPLOY_TOKEN:
                    value: hidden-value-xyz
                    description: a token
                test:
                  variables:
                    JOB_ONLY: job-value-xyz
                  script: [make test]
                isolated:
                  inherit:
                    variables: [GLOBAL_SETTING]
                  script: [make test]
                """;
        Pipeline p = analyze(main, Map.of());
        assertThat(p.globalVariables()).containsExactly("GLOBAL_SETTING", "DEPLOY_TOKEN");
        assertThat(job(p, "test").variables()).containsExactly("GLOBAL_SETTING", "DEPLOY_TOKEN", "JOB_ONLY");
        assertThat(job(p, "isolated").variables()).containsExactly("GLOBAL_SETTING");
        String everything = p.jobs().stream().map(j -> j.name() + j.variables() + j.rules()).toList().toString()
                + p.globalVariables();
        assertThat(everything).doesNotContain("value-xyz");
    }

    @Test
    void referenceTagsMergeKeysAndTriggers() throws Exception {
        String main = """
                .setup:
                  script:
                    - echo setup
                    - bash <(curl -s https://codecov.io/bash)
                .defaults: &defaults
                  stage: build
                  tags: [docker]
                referenced:
                  <<: *defaults
                  script:
                    - !reference [.setup, script]
                    - make
                child:
                  trigger:
                    include: ci/child.yml
                    strategy: depend
                downstream:
                  trigger:
                    project: group/other
                    branch: main
                """;
        Pipeline p = analyze(main, Map.of());
        Job r = job(p, "referenced");
        assertThat(r.stage()).isEqualTo("build");
        assertThat(r.scripts()).extracting(ScriptLine::text)
                .containsExactly("echo setup", "bash <(curl -s https://codecov.io/bash)", "make");
        assertThat(r.hits()).singleElement().extracting(Hit::line).isEqualTo(4);

        Job child = job(p, "child");
        assertThat(child.trigger().project()).isNull();
        assertThat(child.trigger().includes()).extracting(Include::location).containsExactly("ci/child.yml");
        assertThat(child.trigger().strategy()).isEqualTo("depend");
        assertThat(child.scripts()).isEmpty();
        assertThat(job(p, "downstream").trigger().project()).isEqualTo("group/other");
        assertThat(job(p, "downstream").trigger().branch()).isEqualTo("main");
    }

    @Test
    void includedJobsAreDeepMergedWithTheIncludingFile() throws Exception {
        String main = """
                include: ci/jobs.yml
                coverage:
                  variables:
                    EXTRA: "1"
                """;
        Pipeline p = analyze(main, Map.of("ci/jobs.yml", """
                coverage:
                  stage: report
                  script:
                    - curl -s https://codecov.io/bash | bash
                """));
        Job c = job(p, "coverage");
        assertThat(c.stage()).isEqualTo("report");
        assertThat(c.variables()).containsExactly("EXTRA");
        assertThat(c.hits()).singleElement().extracting(Hit::file).isEqualTo("ci/jobs.yml");
    }

    @Test
    void extendsCyclesFanOutAndUndefinedTemplatesStopWithAProblem() throws Exception {
        StringBuilder yml = new StringBuilder();
        // 30 levels, each extending the next four times: resolved once per template, not 4^30 times.
        for (int i = 0; i < 30; i++) {
            String next = ".t" + (i + 1);
            yml.append(".t").append(i).append(":\n  extends: [").append(next).append(", ").append(next).append(", ")
                    .append(next).append(", ").append(next).append("]\n");
        }
        yml.append(".t30:\n  script: [bash <(curl -s https://codecov.io/bash)]\n");
        yml.append("deep:\n  extends: .t0\n");
        yml.append(".loop-a:\n  extends: .loop-b\n  script: [make]\n.loop-b:\n  extends: .loop-a\n");
        yml.append("looping:\n  extends: .loop-a\n");
        yml.append("partial:\n  extends: [.from-project-include, .loop-b]\n  script: [make test]\n");
        Pipeline p = analyze(yml.toString(), Map.of());
        assertThat(p.problems()).anyMatch(s -> s.contains("nested more than"));
        assertThat(p.problems()).anyMatch(s -> s.contains("extends itself"));
        assertThat(job(p, "looping").scripts()).extracting(ScriptLine::text).containsExactly("make");
        assertThat(job(p, "partial").undefinedTemplates()).containsExactly(".from-project-include");
        assertThat(job(p, "looping").undefinedTemplates()).isEmpty();
    }

    @Test
    void parallelJobsMatchTheirApiNames() throws Exception {
        Pipeline p = analyze("""
                test:
                  parallel: 3
                  script: [make test]
                matrix:
                  parallel:
                    matrix:
                      - PY: ["3.8", "3.9"]
                  script: [make test]
                single:
                  script: [make]
                """, Map.of());
        assertThat(job(p, "test").namesApiJob("test 2/3")).isTrue();
        assertThat(job(p, "test").namesApiJob("test 2/4")).isFalse();
        assertThat(job(p, "matrix").namesApiJob("matrix: [3.9]")).isTrue();
        assertThat(job(p, "single").namesApiJob("single")).isTrue();
        assertThat(job(p, "single").namesApiJob("single 1/2")).isFalse();
    }

    @Test
    void aVariableThatNamesTheUploaderCountsWhereAScriptUsesIt() throws Exception {
        String main = """
                variables:
                  UPLOADER_URL: https://codecov.io/bash?token-in-url-xyz
                upload:
                  script:
                    - echo $UPLOADER_URL_OTHER
                    - curl -s "${UPLOADER_URL}" | bash
                opted-out:
                  inherit:
                    variables: false
                  script:
                    - curl -s "${UPLOADER_URL}" | bash
                """;
        Pipeline p = analyze(main, Map.of());
        Job u = job(p, "upload");
        assertThat(u.usesIndicator()).isTrue();
        assertThat(u.hits()).singleElement().satisfies(h -> {
            assertThat(h.line()).isEqualTo(6);
            assertThat(h.possible()).isTrue();
            assertThat(h.text()).contains("$UPLOADER_URL names the uploader").doesNotContain("xyz");
        });
        assertThat(job(p, "opted-out").usesIndicator()).isFalse();
    }

    @Test
    void projectAndTemplateIncludesAreReadWhereTheLookupServesThem() throws Exception {
        String main = """
                include:
                  - project: group/ci-templates
                    ref: v1
                    file: /coverage.yml
                  - template: Jobs/Test.gitlab-ci.yml
                  - remote: https://example.com/ci.yml
                unit:
                  extends: .coverage
                  script: [make test]
                """;
        FileLookup lookup = new FileLookup() {
            @Override public Optional<String> read(String path) { return Optional.empty(); }
            @Override public Optional<String> readRemote(String repository, String ref, String path) {
                return Optional.ofNullable(Map.of(
                        "group/ci-templates@v1:coverage.yml", "include:\n  - local: /upload.yml\n",
                        "group/ci-templates@v1:upload.yml", ".coverage:\n  after_script:\n    - bash <(curl -s https://codecov.io/bash)\n",
                        GitLabPipelineAnalyzer.TEMPLATES + "@null:Jobs/Test.gitlab-ci.yml", "template-job:\n  script: [echo t]\n")
                        .get(repository + "@" + ref + ":" + path));
            }
        };
        Pipeline p = GitLabPipelineAnalyzer.analyze(".gitlab-ci.yml", main, lookup, matcher);
        assertThat(p.includedFiles()).extracting(Include::kind, Include::location).containsExactly(
                org.assertj.core.groups.Tuple.tuple("project", "coverage.yml"),
                org.assertj.core.groups.Tuple.tuple("local", "upload.yml"),
                org.assertj.core.groups.Tuple.tuple("template", "Jobs/Test.gitlab-ci.yml"));
        assertThat(p.includedFiles().get(1).project()).isEqualTo("group/ci-templates");
        assertThat(p.unresolvedIncludes()).extracting(Include::kind, Include::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("remote", "not available"));
        assertThat(p.jobs()).extracting(Job::name).containsExactly("template-job", "unit");
        assertThat(job(p, "unit").hits()).singleElement().extracting(Hit::file)
                .isEqualTo("group/ci-templates/upload.yml@v1");
        assertThat(job(p, "unit").undefinedTemplates()).isEmpty();
    }

    @Test
    void notAMappingIsRejected() {
        assertThatThrownBy(() -> analyze("- a\n- b\n", Map.of())).isInstanceOf(ConfigParseException.class);
        assertThatThrownBy(() -> analyze("a: [\n", Map.of())).isInstanceOf(ConfigParseException.class);
    }
}
