package io.breachwalk.playbook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaybookLoaderTest {

    @Test
    void bundledCodecovPlaybookHasTheConservativeWindow() throws Exception {
        Playbook p = PlaybookLoader.load(null);
        assertThat(p.id()).isEqualTo("codecov-2021");
        assertThat(p.window().since()).isEqualTo(Instant.parse("2021-01-31T00:00:00Z"));
        assertThat(p.window().until()).isEqualTo(Instant.parse("2021-04-02T07:00:00Z"));
        assertThat(p.window().contains(Instant.parse("2021-04-02T06:59:59Z"))).isTrue();
        assertThat(p.window().contains(Instant.parse("2021-04-02T07:00:00Z"))).isFalse();
        assertThat(p.window().contains(Instant.parse("2021-01-30T23:59:59Z"))).isFalse();
        assertThat(p.actionCommits().get("codecov/codecov-action")).hasSizeGreaterThan(1000);
        assertThat(PlaybookLoader.bundledRunbook("codecov-2021")).isPresent();
    }

    @Test
    void aBadRegexIsReportedWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                id: bad
                title: Bad
                window: {since: 2021-01-31T00:00:00Z, until: 2021-04-02T07:00:00Z}
                indicators:
                  scripts:
                    - how: x
                      affected: true
                      pattern: "codecov(.io"
                """);
        assertThatThrownBy(() -> PlaybookLoader.load(file.toString()))
                .isInstanceOf(PlaybookException.class)
                .hasMessageContaining("bad.yaml: line 8")
                .hasMessageContaining("pattern")
                .hasMessageContaining("Unclosed group");
    }

    @Test
    void anUnknownFieldAndAnInvertedWindowAreNamed(@TempDir Path dir) throws Exception {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, """
                id: typo
                title: Typo
                window: {since: 2021-01-31T00:00:00Z, until: 2021-04-02T07:00:00Z}
                indicatorz: {}
                """);
        assertThatThrownBy(() -> PlaybookLoader.load(typo.toString())).hasMessageContaining("line 4")
                .hasMessageContaining("unknown field `indicatorz`");
        Path inverted = dir.resolve("inverted.yaml");
        Files.writeString(inverted, """
                id: inv
                title: Inverted
                window: {since: 2021-05-01T00:00:00Z, until: 2021-04-02T07:00:00Z}
                indicators: {scripts: [{how: x, affected: true, pattern: x}]}
                """);
        assertThatThrownBy(() -> PlaybookLoader.load(inverted.toString()))
                .hasMessageContaining("must be before `until`");
    }

    private static String problem(Path dir, String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        try {
            PlaybookLoader.load(file.toString());
        } catch (PlaybookException e) {
            assertThat(e.getMessage()).startsWith(file.toString() + ": ").doesNotContain("\n")
                    .doesNotContainPattern("java\\.|Exception|Cannot deserialize");
            return e.getMessage().substring(file.toString().length() + 2);
        }
        throw new AssertionError(name + " was accepted");
    }

    private static final String HEAD = """
            id: bad
            title: Bad
            window:
              since: 2021-01-31T00:00:00Z
              until: 2021-04-02T07:00:00Z
            indicators:
            """;

    @Test
    void yamlSyntaxErrorsAreSaidInWordsAtTheRightLine(@TempDir Path dir) throws Exception {
        assertThat(problem(dir, "quote.yaml", HEAD + """
                  scripts:
                    - how: x
                      affected: true
                      pattern: "codecov
                """)).isEqualTo("line 10: the quote opened at line 10 col 16 is never closed");
        assertThat(problem(dir, "tab.yaml", "id: bad\n\ttitle: Bad\n"))
                .isEqualTo("line 2: tab characters are not allowed for indentation; indent with spaces");
        assertThat(problem(dir, "twice.yaml", "id: a\ntitle: T\nid: b\n"))
                .isEqualTo("line 3: `id` is given twice (first at line 1)");
    }

    @Test
    void unknownKeysAreNamedAtEveryLevelWithTheLikelyOne(@TempDir Path dir) throws Exception {
        assertThat(problem(dir, "repo.yaml", HEAD + """
                  actions:
                    - repo: x/y
                      how: uses the action
                """)).isEqualTo("line 8 (indicators.actions[0]): unknown field `repo`; did you mean `repository`?");
        assertThat(problem(dir, "window.yaml", """
                id: bad
                title: Bad
                window:
                  since: 2021-01-31T00:00:00Z
                  untill: 2021-04-02T07:00:00Z
                """)).isEqualTo("line 5 (window): unknown field `untill`; did you mean `until`?");
        assertThat(problem(dir, "far.yaml", HEAD + """
                  scripts:
                    - how: x
                      affected: true
                      pattern: x
                      colour: red
                """)).startsWith("line 11 (indicators.scripts[0]): unknown field `colour`; known: how, affected");
    }

    @Test
    void valuesOfTheWrongKindSayWhatWasExpected(@TempDir Path dir) throws Exception {
        assertThat(problem(dir, "maybe.yaml", HEAD + """
                  scripts:
                    - how: x
                      affected: maybe
                      pattern: x
                """)).isEqualTo("line 9 (indicators.scripts[0].affected): expected true or false, got `maybe`");
        assertThat(problem(dir, "regex.yaml", HEAD + """
                  scripts:
                    - how: x
                      affected: true
                      pattern: "([unclosed"
                """)).isEqualTo("line 10 (indicators.scripts[0].pattern): `pattern` is not a valid regular "
                + "expression: Unclosed character class near index 9");
        assertThat(problem(dir, "level.yaml", HEAD + """
                  scripts: [{how: x, affected: true, pattern: x}]
                exposure:
                  required: [STEP, NOPE]
                """)).isEqualTo("line 9 (exposure.required[1]): expected one of STEP, JOB, got `NOPE`");
        assertThat(problem(dir, "missing.yaml", HEAD + """
                  actions:
                    - repository: a/b
                """)).isEqualTo("line 8 (indicators.actions[0].how): missing required field `how`");
    }

    @Test
    void anAliasBombIsRefused(@TempDir Path dir) throws Exception {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 10; k++) {
                yaml.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        Path bomb = dir.resolve("bomb.yaml");
        Files.writeString(bomb, yaml);
        assertThatThrownBy(() -> PlaybookLoader.load(bomb.toString())).isInstanceOf(PlaybookException.class)
                .hasMessageContaining("bomb.yaml");
    }

    @Test
    void aMissingPlaybookListsTheBundledOnes() {
        assertThatThrownBy(() -> PlaybookLoader.load("no-such-incident"))
                .hasMessageContaining("no-such-incident").hasMessageContaining("codecov-2021");
    }
}
