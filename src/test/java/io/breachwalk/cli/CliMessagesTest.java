package io.breachwalk.cli;

import io.breachwalk.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user sees for typos, bad option values and --help: words, the likely fix, values that copy whole. */
class CliMessagesTest {


    static Result run(Map<String, String> env, String... args) {
        return Cli.exec(env, args);
    }

    static Result run(String... args) {
        return run(Map.of("GITHUB_TOKEN", "ghp_notused"), args);
    }

    @Test
    void mistypedCommandsAndOptionsGetTheLikelyOne() {
        Result command = run("scna");
        assertThat(command.exit()).isEqualTo(2);
        assertThat(command.err().lines().findFirst()).hasValue("breachwalk: unknown command `scna`; did you mean scan?");
        Result option = run("scan", "--githb-org", "acme");
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err().lines().findFirst())
                .hasValue("breachwalk: unknown option `--githb-org`; did you mean --github-org?");
        Result nothingLike = run("xyzzy");
        assertThat(nothingLike.err()).contains("unknown command `xyzzy`; commands: scan, demo");
        assertThat(command.err() + option.err() + nothingLike.err()).doesNotContain("Unmatched argument");
    }

    @Test
    void versionIsACommandToo() {
        Result command = run("version");
        Result option = run("--version");
        assertThat(command.exit()).isZero();
        assertThat(command.out()).startsWith("breachwalk ").isEqualTo(option.out());
    }

    @Test
    void retriesAndMaxWaitEachSayWhatIsWrongWithThem(@TempDir Path dir) {
        Result retries = run("scan", "--github-org", "acme", "--retries", "0", "--out", dir.resolve("a").toString());
        assertThat(retries.exit()).isEqualTo(2);
        assertThat(retries.err().strip()).startsWith("breachwalk: --retries must be at least 1").endsWith("got 0")
                .doesNotContain("--max-wait");
        Result maxWait = run("scan", "--github-org", "acme", "--max-wait", "-5", "--out", dir.resolve("b").toString());
        assertThat(maxWait.exit()).isEqualTo(2);
        assertThat(maxWait.err().strip()).startsWith("breachwalk: --max-wait must be 0 or more seconds")
                .endsWith("got -5").doesNotContain("--retries");
    }

    @Test
    void anUnknownInspectProviderListsTheValidOnes(@TempDir Path dir) {
        Result r = run("inspect", dir.toString(), "--provider", "nonsense", "--out", dir.resolve("o").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("breachwalk: inspect: unknown --provider `nonsense`; use one of: ")
                .contains("github-actions").contains("jenkins").contains("gitlab-ci");
    }

    @Test
    void anAnonymousJenkinsWalkIsWarnedAbout(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run(Map.of(), "scan", "--jenkins-url", "http://127.0.0.1:" + port + "/", "--out",
                dir.resolve("o").toString(), "--quiet");
        assertThat(r.err().lines().findFirst()).hasValueSatisfying(l -> assertThat(l)
                .startsWith("breachwalk: warning: JENKINS_USER and JENKINS_TOKEN are not set").contains("anonymous"));
        Result withCredentials = run(Map.of("JENKINS_USER", "a", "JENKINS_TOKEN", "b"), "scan", "--jenkins-url",
                "http://127.0.0.1:" + port + "/", "--out", dir.resolve("p").toString(), "--quiet");
        assertThat(withCredentials.err()).doesNotContain("warning");
    }

    @Test
    void helpKeepsValuesWholeAndSaysWhatEachCommandDoes() {
        Result scan = run("scan", "--help");
        assertThat(scan.out()).contains("./breachwalk-out").contains("https://HOST/api/v3")
                .contains("https://api.github.com").contains("Example:").contains("Exit status: 0")
                .contains("130 interrupted").doesNotContain("inspect");
        Result tickets = run("tickets", "--help");
        assertThat(tickets.out()).contains("REPORT.json");
        Result playbooks = run("playbooks", "--help");
        assertThat(playbooks.out()).doesNotContain("`show`\n").containsPattern("\\[show\\|runbook\\|init]\\s+show: validate one playbook");
        Result top = run("--help");
        assertThat(top.out()).contains("BREACHWALK_DEBUG").contains("version");
        for (Result r : new Result[]{scan, tickets, playbooks, top}) {
            // No line ends inside a value: not after "https:", "./" or a dot inside a word.
            assertThat(r.out().lines()).noneMatch(l -> l.endsWith("https:") || l.endsWith("(default: .")
                    || l.matches(".*[A-Za-z]\\.$") && l.endsWith("REPORT."));
        }
    }
}
