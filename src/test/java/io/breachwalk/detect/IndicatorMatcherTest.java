package io.breachwalk.detect;

import io.breachwalk.playbook.PlaybookLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IndicatorMatcherTest {

    static IndicatorMatcher matcher;

    @BeforeAll
    static void load() throws Exception {
        matcher = new IndicatorMatcher(PlaybookLoader.loadBundled("codecov-2021"));
    }

    @Test
    void codecovActionVersionsFollowThePlaybook() {
        assertThat(matcher.action("codecov/codecov-action@v1").orElseThrow().affected()).isTrue();
        assertThat(matcher.action("codecov/codecov-action@v1.0.13").orElseThrow().affected()).isTrue();
        assertThat(matcher.action("codecov/codecov-action@v1.3.2").orElseThrow().affected()).isTrue();
        assertThat(matcher.action("codecov/codecov-action@master").orElseThrow().affected()).isTrue();
        assertThat(matcher.action("codecov/codecov-action@v1.4.0").orElseThrow().affected()).isFalse();
        assertThat(matcher.action("codecov/codecov-action@v2").orElseThrow().affected()).isFalse();
        assertThat(matcher.action("codecov/codecov-action@v1").orElseThrow().how()).isEqualTo("codecov-action@v1");
        assertThat(matcher.action("actions/checkout@v2")).isEmpty();
        assertThat(matcher.action("./.github/actions/codecov")).isEmpty();
    }

    @Test
    void commitShasAreClassifiedFromTheShippedList() {
        // v1.2.1 and v2.0.0 tag commits, from playbooks/codecov-2021.codecov-action-commits.tsv
        String v1 = firstShaOfClass("downloads-bash-unverified");
        String v2 = firstShaOfClass("new-uploader");
        assertThat(matcher.action("codecov/codecov-action@" + v1).orElseThrow().affected()).isTrue();
        assertThat(matcher.action("codecov/codecov-action@" + v2).orElseThrow().affected()).isFalse();
        Match unknown = matcher.action("codecov/codecov-action@" + "0".repeat(40)).orElseThrow();
        assertThat(unknown.affected()).isTrue();
        assertThat(unknown.possible()).isTrue();
    }

    private static String firstShaOfClass(String cls) {
        return matcher.playbook().actionCommits().get("codecov/codecov-action").entrySet().stream()
                .filter(e -> e.getValue().equals(cls)).map(java.util.Map.Entry::getKey).sorted().findFirst()
                .orElseThrow();
    }

    @Test
    void wrapperActionsArePossible() {
        Match m = matcher.action("gatzka/codecov-action@v1").orElseThrow();
        assertThat(m.affected()).isTrue();
        assertThat(m.possible()).isTrue();
    }

    @Test
    void scriptFormsThatRunTheUploader() {
        assertThat(matcher.affectedScript("bash <(curl -s https://codecov.io/bash)")).hasSize(1);
        assertThat(matcher.affectedScript("curl -s https://codecov.io/bash | bash -s - -t $CODECOV_TOKEN")).hasSize(1);
        assertThat(matcher.affectedScript("make test\ncurl -fLso codecov https://codecov.io/bash\nbash codecov -f x"))
                .extracting(ScriptMatch::line).containsExactly(2);
        assertThat(matcher.affectedScript("curl -s \\\n  https://codecov.io/bash | bash")).hasSize(1);
        assertThat(matcher.affectedScript("ci_env=$(bash <(curl -s https://codecov.io/env))").get(0).possible()).isTrue();
    }

    @Test
    void formsThatDoNotRunIt() {
        assertThat(matcher.affectedScript("# bash <(curl -s https://codecov.io/bash)")).isEmpty();
        assertThat(matcher.affectedScript("pip install codecov\ncodecov")).isEmpty();
        assertThat(matcher.script("pip install codecov\ncodecov")).extracting(ScriptMatch::how)
                .containsExactly("python-codecov", "python-codecov");
        assertThat(matcher.affectedScript("npx codecov")).isEmpty();
        assertThat(matcher.affectedScript("curl -X POST --data-binary @cov.xml https://codecov.io/upload/v2?token=x")).isEmpty();
        assertThat(matcher.affectedScript("make test # then bash <(curl -s https://codecov.io/bash)")).isEmpty();
    }

    @Test
    void orbsAndBitriseSteps() {
        assertThat(matcher.orb("codecov/codecov@1.0.5").orElseThrow().affected()).isTrue();
        assertThat(matcher.orb("codecov/codecov@1.1.3").orElseThrow().affected()).isTrue();
        assertThat(matcher.orb("codecov/codecov@1.1.4").orElseThrow().affected()).isFalse();
        assertThat(matcher.orb("codecov/codecov@3.0.0").orElseThrow().affected()).isFalse();
        assertThat(matcher.orb("circleci/node@1.0")).isEmpty();
        assertThat(matcher.bitriseStep("codecov@1.1.6").orElseThrow().affected()).isTrue();
        assertThat(matcher.bitriseStep("codecov").orElseThrow().affected()).isTrue();
    }

    @Test
    void logLines() {
        assertThat(matcher.log("                              Bash-20210309-2b87ace").orElseThrow().provesRan()).isTrue();
        assertThat(matcher.log("2021-03-02T10:00:00Z ==> GitHub Actions detected.").orElseThrow().provesRan()).isTrue();
        assertThat(matcher.log("+ curl -s https://codecov.io/bash").orElseThrow().provesRan()).isTrue();
        assertThat(matcher.log("Download action repository 'codecov/codecov-action@v1' (SHA:abc)").orElseThrow()
                .provesRan()).isFalse();
        assertThat(matcher.log("Running tests")).isEmpty();
    }
}
