package io.breachwalk.source.gitlab;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineAnalyzer;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Job;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a trace says whether the uploader line was reached, and which variables reach a job. */
class TraceScanTest {
    private static final IndicatorMatcher MATCHER = matcher();

    private static IndicatorMatcher matcher() {
        try {
            return new IndicatorMatcher(PlaybookLoader.loadBundled("codecov-2021"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Job job(String yaml, String name) throws Exception {
        return GitLabPipelineAnalyzer.analyze(".gitlab-ci.yml", yaml, null, MATCHER).job(name).orElseThrow();
    }

    @Test
    void colouredEchoOfTheUploaderItemIsReached() throws Exception {
        Job j = job("test:\n  script:\n    - make\n    - ./ci/upload.sh --flag\n", "test");
        String trace = "section_start:1614592800:step_script\r\u001B[0K\u001B[0K\u001B[36;1mExecuting\u001B[0;m\n"
                + "\u001B[32;1m$ make\u001B[0;m\nok\n\u001B[32;1m$ bash <(curl -s https://codecov.io/bash)\u001B[0;m\n";
        TraceScan.Reading r = TraceScan.read(trace, j, MATCHER);
        assertThat(r.reached()).isTrue();
        assertThat(r.line()).isEqualTo(4);
        assertThat(r.text()).isEqualTo("$ bash <(curl -s https://codecov.io/bash)");
    }

    @Test
    void failureBeforeTheLineIsNotReachedButEchoesShowTheTraceIsReadable() throws Exception {
        Job j = job("test:\n  script:\n    - make\n    - bash <(curl -s https://codecov.io/bash)\n", "test");
        TraceScan.Reading r = TraceScan.read("$ make\nError 2\nERROR: Job failed: exit code 2\n", j, MATCHER);
        assertThat(r.reached()).isFalse();
        assertThat(r.echoes()).isTrue();
    }

    @Test
    void theUploaderBannerProvesItRanWithoutAnEcho() {
        TraceScan.Reading r = TraceScan.read("  _____\n Bash-20210129-7c25fce\n", null, MATCHER);
        assertThat(r.reached()).isTrue();
        assertThat(r.how()).startsWith("log ");
    }

    @Test
    void environmentScopesAndProtectedRefsMatchWithWildcards() {
        assertThat(CiVariables.scopeMatches("*", null)).isTrue();
        assertThat(CiVariables.scopeMatches("production", null)).isFalse();
        assertThat(CiVariables.scopeMatches("review/*", "review/feature-1")).isTrue();
        assertThat(CiVariables.scopeMatches("review/*", "production")).isFalse();
        assertThat(CiVariables.refMatches(List.of("main", "release/*"), "release/1.2")).isTrue();
        assertThat(CiVariables.refMatches(List.of("main", "release/*"), "feature/x")).isFalse();
        assertThat(CiVariables.environment("review/$CI_COMMIT_REF_SLUG", "feature/Login_2")).isEqualTo("review/feature-login-2");
        assertThat(CiVariables.scopeMatches("review/*", CiVariables.environment("review/${CI_COMMIT_REF_NAME}", "x")))
                .isTrue();
        assertThat(CiVariables.scopeMatches("production", "review/$UNKNOWN")).as("may match").isTrue();
        CiVariables.Variable protectedVar = new CiVariables.Variable("K", "env_var", true, "*");
        assertThat(protectedVar.reaches(false, null)).isFalse();
        assertThat(protectedVar.reaches(true, null)).isTrue();
        assertThat(protectedVar.reaches(null, null)).as("protection unknown: it may have").isTrue();
    }
}
