package io.breachwalk.cli;

import io.breachwalk.playbook.EffectivePlaybook;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.PlaybookLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.breachwalk.cli.ExplainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** `playbooks show` prints what a scan applies; `runbook` and `init` give the rest of F24's wishes. */
class PlaybooksCommandTest {

    @Test
    void showPrintsTheEffectivePlaybookAsYamlThatLoadsBackEqual(@TempDir Path dir) throws Exception {
        ExplainCommandTest.Run r = run("playbooks", "show", "codecov-2021");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\nexposure:\n  required:\n    - STEP\n  recommended:\n    - JOB\n"
                + "  git_remote_credentials: true\n").endsWith("# runbook: breachwalk playbooks runbook codecov-2021\n");
        Path saved = dir.resolve("codecov-copy.yaml");
        Files.writeString(saved, r.out());
        assertSame(PlaybookLoader.loadFile(saved), PlaybookLoader.loadBundled("codecov-2021"));
    }

    @Test
    void showFillsInTheDefaultsAFileLeavesOut(@TempDir Path dir) throws Exception {
        Path minimal = dir.resolve("tj.yaml");
        Files.writeString(minimal, """
                id: tj
                title: tj-actions/changed-files
                window: {since: 2025-03-14T00:00:00Z, until: 2025-03-16T00:00:00Z}
                indicators:
                  actions: [{repository: tj-actions/changed-files, how: changed-files, affected_refs: ["*"]}]
                """);
        ExplainCommandTest.Run r = run("playbooks", "show", minimal.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("summary: \"\"\nreferences: []\n")
                .contains("  wrapper_actions: []\n  scripts: []\n  orbs: []\n  bitrise_steps: []\n  logs: []\n")
                .contains("\nexposure:\n  required:\n    - STEP\n  recommended: []\n  git_remote_credentials: true\n")
                .doesNotContain("# runbook");
        assertThat(run("playbooks", "runbook", minimal.toString()).exit()).isEqualTo(2);
    }

    @Test
    void runbookPrintsTheBundledRunbook() throws Exception {
        ExplainCommandTest.Run r = run("playbooks", "runbook", "codecov-2021");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(Path.of("playbooks/codecov-2021.md")));
    }

    @Test
    void initPrintsAValidPlaybookWithTheGivenIdAndTheSchemaPageExampleLoads(@TempDir Path dir) throws Exception {
        ExplainCommandTest.Run r = run("playbooks", "init", "tj-actions-2025b");
        assertThat(r.exit()).as(r.err()).isZero();
        Path file = dir.resolve("tj-actions-2025b.yaml");
        Files.writeString(file, r.out());
        Playbook p = PlaybookLoader.loadFile(file);
        assertThat(p.id()).isEqualTo("tj-actions-2025b");
        assertThat(p.indicators().actions()).extracting(a -> a.repository()).containsExactly("tj-actions/changed-files");
        assertThat(run("playbooks", "show", file.toString()).exit()).isZero();
        assertThat(run("playbooks", "init", "Not An Id").exit()).isEqualTo(2);

        // docs/playbooks.md's complete example is the same playbook.
        Matcher example = Pattern.compile("(?s)```yaml\n(id: tj-actions-2025\n.*?)```")
                .matcher(Files.readString(Path.of("docs/playbooks.md")));
        assertThat(example.find()).as("docs/playbooks.md has the tj-actions example").isTrue();
        Path documented = dir.resolve("documented.yaml");
        Files.writeString(documented, example.group(1));
        assertSame(PlaybookLoader.loadFile(documented), PlaybookLoader.loadFile(Path.of("playbooks/template.yaml")));
    }

    /** Equal as a scan applies them: every field (patterns by their text), whatever the source and comments. */
    private static void assertSame(Playbook actual, Playbook expected) {
        assertThat(actual.id()).isEqualTo(expected.id());
        assertThat(actual.title()).isEqualTo(expected.title());
        assertThat(actual.summary()).isEqualTo(expected.summary());
        assertThat(actual.references()).isEqualTo(expected.references());
        assertThat(actual.window()).isEqualTo(expected.window());
        assertThat(actual.exposure()).isEqualTo(expected.exposure());
        assertThat(actual.actionCommits()).isEqualTo(expected.actionCommits());
        assertThat(body(EffectivePlaybook.yaml(actual))).isEqualTo(body(EffectivePlaybook.yaml(expected)));
    }

    private static String body(String yaml) {
        return yaml.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }
}
