package io.breachwalk.source.gitlab.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Include;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Pipeline;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Configurations written to hurt the reader: loops, bombs and paths out of the repository end fast, with a problem. */
class HostileGitLabConfigTest {
    private static IndicatorMatcher matcher;

    @BeforeAll
    static void load() throws Exception {
        matcher = new IndicatorMatcher(PlaybookLoader.loadBundled("codecov-2021"));
    }

    private static Pipeline analyze(String text, Map<String, String> tree) throws ConfigParseException {
        FileLookup lookup = p -> Optional.ofNullable(tree.get(p));
        return GitLabPipelineAnalyzer.analyze(".gitlab-ci.yml", text, lookup, matcher);
    }

    @Test
    void includeLoopsAndPathsOutOfTheRepository() throws Exception {
        Map<String, String> tree = Map.of(
                "a.yml", "include: b.yml\njob-a:\n  script: [echo a]\n",
                "b.yml", "include: [a.yml, .gitlab-ci.yml]\njob-b:\n  script: [echo b]\n",
                ".gitlab-ci.yml", "include: a.yml\n");
        Pipeline p = analyze("include:\n  - local: a.yml\n  - local: ../../etc/passwd\nroot:\n  script: [echo r]\n", tree);
        assertThat(p.jobs()).extracting(GitLabPipelineModel.Job::name).containsExactlyInAnyOrder("job-a", "job-b", "root");
        assertThat(p.unresolvedIncludes()).extracting(Include::reason).containsExactly("outside the repository");
    }

    @Test
    @Timeout(20)
    void referenceLoopsAndFanOutEndWithinTheBudget() {
        StringBuilder yml = new StringBuilder(".a:\n  script: [!reference [.b, script]]\n.b:\n  script: [!reference [.a, script]]\n");
        for (int i = 0; i < 12; i++) {
            yml.append(".r").append(i).append(":\n  script:\n    - !reference [.r").append(i + 1).append(", script]\n")
                    .append("    - !reference [.r").append(i + 1).append(", script]\n");
        }
        yml.append(".r12:\n  script: [bash <(curl -s https://codecov.io/bash)]\n");
        yml.append("loop:\n  script: [!reference [.a, script]]\nfan:\n  script: [!reference [.r0, script]]\n");
        org.assertj.core.api.Assertions.assertThatCode(() -> {
            Pipeline p = analyze(yml.toString(), Map.of());
            assertThat(p.job("loop")).isPresent();
            assertThat(p.job("fan")).isPresent();
        }).doesNotThrowAnyException();
    }

    @Test
    void aliasBombIsRejected() {
        StringBuilder yml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            yml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) yml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            yml.append("]\n");
        }
        yml.append("job:\n  script: *a11\n");
        assertThatThrownBy(() -> analyze(yml.toString(), Map.of())).isInstanceOf(ConfigParseException.class);
    }

    @Test
    void referenceTextInsideAScriptIsLeftAlone() throws Exception {
        Pipeline p = analyze("job:\n  script:\n    - echo \"use !reference [a, b] in templates\"\n", Map.of());
        assertThat(p.job("job").orElseThrow().scripts()).singleElement()
                .extracting(GitLabPipelineModel.ScriptLine::text).isEqualTo("echo \"use !reference [a, b] in templates\"");
    }
}
