package io.breachwalk.cli;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigInspector;
import io.breachwalk.detect.config.JobReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.playbook.PlaybookLoader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The formats and hard cases the corpus does not cover, one small file each. */
class FormatReadersInspectTest {
    static ConfigInspector inspector;

    @BeforeAll
    static void setUp() throws Exception {
        inspector = new ConfigInspector(Providers.standard().configReaders(),
                new IndicatorMatcher(PlaybookLoader.loadBundled("codecov-2021")));
    }

    static List<String> read(String path, String text, Map<String, String> tree) {
        FileLookup lookup = p -> Optional.ofNullable(tree.get(p));
        ConfigInspector.Outcome o = inspector.inspect(new CiFile(path, path, text), lookup, null, true);
        assertThat(o.problem()).isEmpty();
        return o.jobs().stream().map(j -> j.provider() + "|" + j.job() + "|" + j.usesIndicator() + "|" + j.how() + "|"
                + j.confidence() + "|" + String.join(";", j.secretsInStep()) + "|" + String.join(";", j.secretsInJob())).toList();
    }

    @Test
    void bitriseStepVersionsAndScriptSteps() {
        String yml = """
                format_version: "8"
                default_step_lib_source: https://github.com/bitrise-io/bitrise-steplib.git
                workflows:
                  primary:
                    steps:
                      - git-clone@4: {}
                      - codecov@1.1.6:
                          inputs:
                            - CODECOV_TOKEN: $CODECOV_TOKEN
                  release:
                    steps:
                      - script@1:
                          inputs:
                            - content: |
                                #!/bin/bash
                                # bash <(curl -s https://codecov.io/bash)
                                echo done
                """;
        assertThat(read("bitrise.yml", yml, Map.of())).containsExactly(
                "bitrise|primary|true|bitrise-step@1.1.6|probable|project-level: all;CODECOV_TOKEN|",
                "bitrise|release|false||||");
    }

    @Test
    void bitbucketStepsAreJobs() {
        String yml = """
                pipelines:
                  default:
                    - step:
                        name: test
                        script:
                          - pytest --cov
                          - bash <(curl -s https://codecov.io/bash) -t $CODECOV_TOKEN
                  branches:
                    master:
                      - parallel:
                          - step:
                              name: lint
                              script: [flake8]
                """;
        assertThat(read("exports/bb.yml", yml, Map.of())).containsExactly(
                "bitbucket-pipelines|default/test|true|curl-bash|probable|project-level: all;CODECOV_TOKEN|",
                "bitbucket-pipelines|branches/master/lint|false||||");
    }

    @Test
    void buildkiteCommandStepsAndRepositoryScripts() {
        String yml = """
                steps:
                  - label: ":pytest: test"
                    command: ./ci/test.sh
                  - wait
                  - label: docs
                    commands: [make docs]
                """;
        Map<String, String> tree = Map.of("ci/test.sh", "pytest\ncurl -s https://codecov.io/bash > codecov.sh\nbash codecov.sh\n");
        assertThat(read(".buildkite/pipeline.yml", yml, tree)).containsExactly(
                "buildkite|:pytest: test|true|script:ci/test.sh|possible|project-level: all|",
                "buildkite|docs|false||||");
    }

    @Test
    void gitlabIncludeExtendsAnchorsAndDefaultScripts() {
        String main = """
                include:
                  - local: ci/templates.yml
                .upload: &upload
                  - bash <(curl -s https://codecov.io/bash)
                .unused: &unused
                  after_script:
                    - bash <(curl -s https://codecov.io/bash)
                default:
                  before_script: [echo start]
                unit:
                  extends: .tests
                  variables:
                    DEPLOY_PASSWORD: literal-in-config
                  script:
                    - make test
                    - *upload
                lint:
                  script: [make lint]
                """;
        Map<String, String> tree = Map.of("ci/templates.yml", ".tests:\n  image: python\n  after_script:\n    - echo \"$SONAR_TOKEN\"\n");
        assertThat(read(".gitlab-ci.yml", main, tree)).containsExactly(
                "gitlab-ci|unit|true|curl-bash|probable|project-level: all;DEPLOY_PASSWORD;SONAR_TOKEN|",
                "gitlab-ci|lint|false||||");
    }

    @Test
    void travisImportAndMatrixGuards() {
        String main = """
                import:
                  - source: ci/coverage.yml
                language: python
                python: ["3.8", "3.9"]
                env:
                  global:
                    - secure: "abcdef=="
                script: pytest
                """;
        Map<String, String> tree = Map.of("ci/coverage.yml", "after_success:\n  - curl -s https://codecov.io/bash | bash\n");
        assertThat(read(".travis.yml", main, tree)).containsExactly(
                "travis-ci|root[0]|true|curl-bash|probable|project-level: all;secure-env-1|",
                "travis-ci|root[1]|true|curl-bash|probable|project-level: all;secure-env-1|");
    }

    @Test
    void azureEnvMappingAndLocalTemplates() {
        String main = """
                stages:
                  - stage: test
                    jobs:
                      - job: linux
                        steps:
                          - template: steps/upload.yml
                          - script: ./deploy.sh
                            env:
                              AZURE_CLIENT_SECRET: $(azureClientSecret)
                """;
        Map<String, String> tree = Map.of("steps/upload.yml", """
                steps:
                  - bash: bash <(curl -s https://codecov.io/bash) -t $(codecovToken)
                    env:
                      CODECOV_TOKEN: $(codecovToken)
                """);
        assertThat(read("azure-pipelines.yml", main, tree)).containsExactly(
                "azure-pipelines|test/linux|true|curl-bash|probable|codecovToken|azureClientSecret");
    }

    @Test
    void circleciOrbsCommandsExecutorsAndUnscheduledJobs() {
        String yml = """
                version: 2.1
                orbs:
                  codecov: codecov/codecov@1.0.5
                  cc: codecov/codecov@3.0.0
                commands:
                  upload:
                    steps:
                      - codecov/upload
                executors:
                  py:
                    docker: [{image: python}]
                    environment:
                      PYPI_TOKEN: from-config
                jobs:
                  old:
                    executor: py
                    steps: [checkout, upload]
                  new:
                    executor: py
                    steps: [cc/upload]
                  orphan:
                    executor: py
                    steps: [codecov/upload]
                workflows:
                  main:
                    jobs:
                      - old:
                          context: [pypi]
                      - new
                """;
        assertThat(read(".circleci/config.yml", yml, Map.of())).containsExactly(
                "circleci|old|true|orb@1.0.5|probable|context: pypi;project-level: all;PYPI_TOKEN|",
                "circleci|new|false|orb@3.0.0|||",
                "circleci|orphan|false||||");
    }

    @Test
    void jenkinsCredentialsAroundTheUploaderAreStepOthersJob() {
        String jf = """
                pipeline {
                  agent any
                  environment { NEXUS = credentials('nexus-creds') }
                  stages {
                    stage('coverage') {
                      steps {
                        /* sh 'bash <(curl -s https://codecov.io/bash)' */
                        withCredentials([string(credentialsId: 'codecov-token', variable: 'CODECOV_TOKEN')]) {
                          sh 'curl -s https://codecov.io/bash | bash -s -'
                        }
                        withCredentials([usernamePassword(credentialsId: 'docker-hub', usernameVariable: 'U', passwordVariable: 'P')]) {
                          sh 'docker login -u $U -p $P'
                        }
                      }
                    }
                  }
                }
                """;
        assertThat(read("Jenkinsfile", jf, Map.of())).containsExactly(
                "jenkins|pipeline|true|curl-bash|probable|codecov-token;nexus-creds|docker-hub");
    }

    @Test
    void githubLocalCompositeActionAndEnvExports() {
        String wf = """
                on: [push]
                env:
                  GLOBAL_TOKEN: ${{ secrets.GLOBAL_TOKEN }}
                jobs:
                  test:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "NPM_AUTH=${{ secrets.NPM_TOKEN }}" >> $GITHUB_ENV
                      - uses: ./.github/actions/coverage
                      - if: false
                        uses: codecov/codecov-action@v1
                      - uses: codecov/codecov-action@v2
                        with:
                          token: ${{ secrets.CODECOV_TOKEN }}
                """;
        Map<String, String> tree = Map.of(".github/actions/coverage/action.yml",
                "runs:\n  using: composite\n  steps:\n    - run: bash <(curl -s https://codecov.io/bash)\n      shell: bash\n");
        assertThat(read(".github/workflows/ci.yml", wf, tree)).containsExactly(
                "github-actions|test|true|curl-bash|probable|GLOBAL_TOKEN;NPM_TOKEN|CODECOV_TOKEN");
    }

    @Test
    void jenkinsShellStepCallingARepositoryScriptIsPossibleWithTheScriptPath() {
        String jf = """
                node {
                  stage('test') {
                    withCredentials([string(credentialsId: 'codecov-token', variable: 'CODECOV_TOKEN')]) {
                      sh './ci/coverage.sh'
                    }
                    withCredentials([string(credentialsId: 'npm', variable: 'NPM_TOKEN')]) {
                      sh 'npm publish'
                    }
                  }
                }
                """;
        Map<String, String> tree = Map.of("ci/coverage.sh", "#!/bin/sh\ncurl -s https://codecov.io/bash | bash\n");
        assertThat(read("Jenkinsfile", jf, tree)).containsExactly(
                "jenkins|pipeline|true|script:ci/coverage.sh|possible|codecov-token|npm");
    }

    @Test
    void githubReusableWorkflowOfTheSameRepositoryCountsForTheCallingJob() {
        String wf = """
                on: push
                jobs:
                  coverage:
                    uses: ./.github/workflows/upload.yml
                    secrets:
                      token: ${{ secrets.CODECOV_TOKEN }}
                  lint:
                    runs-on: ubuntu-latest
                    steps:
                      - run: make lint
                """;
        Map<String, String> tree = Map.of(".github/workflows/upload.yml", """
                on: workflow_call
                jobs:
                  upload:
                    runs-on: ubuntu-latest
                    steps:
                      - run: bash <(curl -s https://codecov.io/bash) -t ${{ secrets.token }}
                """);
        assertThat(read(".github/workflows/ci.yml", wf, tree)).containsExactly(
                "github-actions|coverage|true|curl-bash|possible|CODECOV_TOKEN|",
                "github-actions|lint|false||||");
    }

    @Test
    void onlyCalledRepositoryScriptsThatAreAbsentMakeAJobUnknown() {
        String gitlab = """
                absent:
                  script:
                    - ./ci/upload.sh
                calls-present-that-calls-absent:
                  script:
                    - bash ci/present.sh
                not-a-call:
                  script:
                    - pytest tests/test_x.py
                    - echo ci/notes.sh
                standard-or-made-here:
                  script:
                    - ./configure && ./gradlew build && python setup.py test
                    - curl -sSo install.sh https://example.com/install.sh && bash install.sh
                    - node_modules/.bin/codecov --help
                    - $HOME/bin/tool.sh
                """;
        List<String> jobs = read(".gitlab-ci.yml", gitlab, Map.of("ci/present.sh", "#!/bin/sh\nsh ./ci/gone.sh\n"));
        assertThat(jobs).containsExactly(
                "gitlab-ci|absent|false|script:ci/upload.sh||project-level: all|",
                "gitlab-ci|calls-present-that-calls-absent|false|script:ci/gone.sh||project-level: all|",
                "gitlab-ci|not-a-call|false||||",
                "gitlab-ci|standard-or-made-here|false|npm-codecov|||");
        ConfigInspector.Outcome o = inspector.inspect(new CiFile(".gitlab-ci.yml", ".gitlab-ci.yml", gitlab),
                p -> Optional.ofNullable(Map.of("ci/present.sh", "#!/bin/sh\nsh ./ci/gone.sh\n").get(p)), null, true);
        assertThat(o.jobs()).extracting(JobReport::indicator).containsExactly("unknown", "unknown", "false", "false");
        assertThat(o.jobs().get(1).evidence())
                .isEqualTo(".gitlab-ci.yml:6 calls ci/present.sh, which calls ci/gone.sh, not found here: cannot tell");
    }
}
