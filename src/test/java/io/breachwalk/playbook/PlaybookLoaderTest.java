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
