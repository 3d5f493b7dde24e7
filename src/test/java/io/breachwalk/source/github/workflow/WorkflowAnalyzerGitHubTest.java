package io.breachwalk.source.github.workflow;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.source.github.workflow.WorkflowModel.Job;
import io.breachwalk.source.github.workflow.WorkflowModel.ScopedSecret;
import io.breachwalk.source.github.workflow.WorkflowModel.Workflow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** WorkflowAnalyzer on its own, as `inspect` calls it: hits, names the jobs API will show, and secret scopes. */
class WorkflowAnalyzerGitHubTest {
    private static IndicatorMatcher matcher;

    @BeforeAll
    static void load() throws Exception {
        matcher = new IndicatorMatcher(PlaybookLoader.loadBundled("codecov-2021"));
    }

    private static Map<String, ScopedSecret> scope(Job job) {
        return job.scope(job.hits().get(0)).stream().collect(Collectors.toMap(ScopedSecret::name, s -> s));
    }

    @Test
    void toJsonSecretsTokenAndMatrixNamesWithExpressions() throws Exception {
        Workflow wf = WorkflowAnalyzer.analyze(".github/workflows/t.yml", """
                on: push
                jobs:
                  test:
                    name: Test on ${{ matrix.os }}
                    strategy: {matrix: {os: [ubuntu, macos]}}
                    steps:
                      - name: Upload ${{ matrix.os }}
                        run: |
                          echo start
                          bash <(curl -s https://codecov.io/bash)
                        env:
                          ALL: ${{ toJSON(secrets) }}
                          GH: ${{ github.token }}
                      - run: ./deploy.sh ${{ secrets['DEPLOY_KEY'] }}
                """, FileLookup.NONE, matcher);
        Job job = wf.jobs().get(0);
        assertThat(job.namePattern().matcher("Test on ubuntu").matches()).isTrue();
        assertThat(job.hits()).hasSize(1);
        assertThat(job.hits().get(0).hit().line()).isEqualTo(10); // the curl line inside the block scalar
        assertThat(job.hits().get(0).namePattern().matcher("Upload macos").matches()).isTrue();
        Map<String, ScopedSecret> scope = scope(job);
        assertThat(scope.get(WorkflowModel.ALL_SECRETS).level()).isEqualTo(ExposureLevel.STEP);
        assertThat(scope.get("GITHUB_TOKEN").level()).isEqualTo(ExposureLevel.STEP);
        assertThat(scope.get("DEPLOY_KEY").level()).isEqualTo(ExposureLevel.JOB);
        assertThat(scope.get("DEPLOY_KEY").via()).isEqualTo("run: script");
    }

    @Test
    void commentedOutAndNotAffectedFormsAreNoHits() throws Exception {
        Workflow wf = WorkflowAnalyzer.analyze("w.yml", """
                on: push
                jobs:
                  a:
                    steps:
                      - run: |
                          # bash <(curl -s https://codecov.io/bash)
                          pip install codecov && codecov
                      - uses: codecov/codecov-action@v2
                """, FileLookup.NONE, matcher);
        assertThat(wf.referencesIndicator()).isFalse();
        assertThat(wf.jobs().get(0).steps()).flatExtracting(WorkflowModel.Step::related)
                .extracting(WorkflowModel.Hit::how).contains("python-codecov");
    }

    @Test
    void reusableWorkflowWithExplicitSecretsTranslatesNames() throws Exception {
        FileLookup lookup = remoteOnly((repo, path, ref) -> "octo/shared".equals(repo)
                && path.equals(".github/workflows/cov.yml") && "v1".equals(ref) ? Optional.of("""
                on: workflow_call
                jobs:
                  upload:
                    steps:
                      - uses: codecov/codecov-action@v1
                        with:
                          token: ${{ secrets.token }}
                """) : Optional.empty());
        Workflow wf = WorkflowAnalyzer.analyze("ci.yml", """
                on: push
                jobs:
                  coverage:
                    uses: octo/shared/.github/workflows/cov.yml@v1
                    secrets:
                      token: ${{ secrets.CODECOV_TOKEN }}
                """, lookup, matcher);
        Job job = wf.jobs().get(0);
        assertThat(job.displayName()).isEqualTo("coverage / upload");
        assertThat(job.file()).isEqualTo("octo/shared/.github/workflows/cov.yml@v1");
        assertThat(scope(job).get("CODECOV_TOKEN").via()).startsWith("with: token (INPUT_TOKEN)");
    }

    @Test
    void malformedYamlIsUnparsableWithALine() {
        assertThatThrownBy(() -> WorkflowAnalyzer.analyze("bad.yml", "jobs:\n  a: [\n", FileLookup.NONE,
                matcher)).isInstanceOf(WorkflowAnalyzer.UnparsableWorkflowException.class).hasMessageContaining("bad.yml");
        assertThatThrownBy(() -> WorkflowAnalyzer.analyze("x.yml", "a: &a [*a]\n", FileLookup.NONE,
                matcher)).isInstanceOf(WorkflowAnalyzer.UnparsableWorkflowException.class);
    }

    @Test
    void wrapperActionIsFollowedWhereItCanBeReadAndPossibleEitherWay() throws Exception {
        FileLookup lookup = remoteOnly((repo, path, ref) -> !"acme/codecov-wrapper".equals(repo) ? Optional.empty()
                : path.equals("action.yml") ? Optional.of("runs: {using: docker, image: Dockerfile, entrypoint: run.sh}\n")
                : path.equals("run.sh") ? Optional.of("#!/bin/sh\nbash <(curl -s https://codecov.io/bash)\n")
                : Optional.empty());
        Workflow wf = WorkflowAnalyzer.analyze("ci.yml", """
                on: push
                jobs:
                  a:
                    steps:
                      - uses: acme/codecov-wrapper@v1
                  b:
                    steps:
                      - uses: other/codecov-upload@v3
                """, lookup, matcher);
        WorkflowModel.Hit followed = wf.jobs().get(0).hits().get(0).hit();
        assertThat(followed.possible()).isTrue();
        assertThat(followed.how()).isEqualTo("wrapper-action:acme/codecov-wrapper@v1");
        assertThat(followed.via()).isEqualTo("followed to acme/codecov-wrapper@v1: bash <(curl -s https://codecov.io/bash)");
        WorkflowModel.Hit unread = wf.jobs().get(1).hits().get(0).hit();
        assertThat(unread.possible()).isTrue();
        assertThat(unread.via()).startsWith("third-party action not followed");
    }

    @Test
    void literallyFalseStepNeverRunsAndAnUnreadableReusableWorkflowStillNamesItsJob() throws Exception {
        Workflow wf = WorkflowAnalyzer.analyze("ci.yml", """
                on: push
                jobs:
                  a:
                    steps:
                      - if: ${{ false }}
                        uses: codecov/codecov-action@v1
                  b:
                    uses: elsewhere/templates/.github/workflows/codecov.yml@main
                """, FileLookup.NONE, matcher);
        assertThat(wf.jobs().get(0).hits().get(0).neverRuns()).isTrue();
        Job b = wf.jobs().get(1);
        assertThat(b.key()).isEqualTo("b");
        assertThat(b.hits().get(0).hit().how()).isEqualTo("wrapper-workflow:elsewhere/templates/.github/workflows/codecov.yml@main");
        assertThat(b.hits().get(0).hit().possible()).isTrue();
        assertThat(wf.problems()).anyMatch(p -> p.contains("not found; job b not followed"));
    }

    /** Files of other repositories only, by (repository, path, ref); the same tree holds nothing. */
    interface Remote {
        Optional<String> read(String repo, String path, String ref);
    }

    static FileLookup remoteOnly(Remote remote) {
        return new FileLookup() {
            @Override public Optional<String> read(String path) { return Optional.empty(); }

            @Override public Optional<String> readRemote(String repo, String ref, String path) {
                return remote.read(repo, path, ref);
            }
        };
    }
}
