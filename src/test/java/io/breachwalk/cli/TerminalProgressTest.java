package io.breachwalk.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9 / F9: the progress line fits the terminal and never wraps; off a terminal, a status line per interval. */
class TerminalProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong requests = new AtomicLong(5);
    private final AtomicLong clock = new AtomicLong();

    private TerminalProgress progress(boolean terminal, int width, Duration interval) {
        return new TerminalProgress(err, terminal, () -> width, requests::get, clock::get, interval);
    }

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What a terminal shows after each redraw: the text between carriage returns, padding trimmed. */
    private List<String> redraws() {
        return Arrays.stream(written().split("\r")).filter(s -> !s.isBlank()).toList();
    }

    @Test
    void everyRedrawFitsAnEightyColumnTerminalAndNoneStartsANewLine() {
        TerminalProgress p = progress(true, 80, Duration.ofHours(1));
        p.start("GitHub repositories", 40);
        for (int i = 1; i <= 5; i++) {
            clock.addAndGet(Duration.ofSeconds(10).toNanos());
            p.step("acme/a-repository-with-a-rather-long-name-that-does-not-fit-" + i);
            p.examinedRun();
            p.examinedJob();
        }
        p.waiting("GitHub rate limit (secondary), resets at 12:00:00 UTC after a long pause", 3600);
        assertThat(written()).doesNotContain("\n");
        // At most 79 characters drawn on each redraw, padding included: the 80th column would wrap on some terminals.
        assertThat(Arrays.stream(written().split("\r"))).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(79));
        String last = redraws().get(redraws().size() - 1).stripTrailing();
        assertThat(last).startsWith("GitHub repositories 5/40 | ").contains("requests");
        p.step("");
        assertThat(written()).endsWith("\r");
    }

    @Test
    void theLineShowsCountsRequestsAndAnEtaAndCutsTheProjectNameFirst() {
        TerminalProgress p = progress(true, 200, Duration.ofHours(1));
        p.start("GitHub repositories", 4);
        p.step("acme/api");
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        for (int i = 0; i < 1200; i++) {
            p.examinedRun();
        }
        p.examinedJob();
        requests.addAndGet(2400);
        p.step("acme/web-app-with-a-much-longer-name"); // one project finished in 30 s: three left, 90 s
        assertThat(p.line(200)).isEqualTo("GitHub repositories 2/4 | 1,200 runs, 1 jobs, 2,400 requests | ETA 00:01:30 "
                + "| acme/web-app-with-a-much-longer-name");
        assertThat(p.line(100)).hasSize(99).endsWith("| ETA 00:01:30 | acme/web-app-with-...");
        assertThat(p.line(80)).isEqualTo("GitHub repositories 2/4 | 1,200 runs, 1 jobs, 2,400 requests | ETA 00:01:30");
        assertThat(p.line(40)).hasSizeLessThanOrEqualTo(39).startsWith("2/4 | 1,200 runs");
        assertThat(p.line(20)).hasSize(19);
    }

    @Test
    void offATerminalAStatusLineComesEveryIntervalAndStopsWithTheWalk() throws Exception {
        TerminalProgress p = progress(false, 80, Duration.ofMillis(50));
        p.start("GitHub repositories", 40);
        p.step("acme/api");
        p.step("acme/web-app");
        p.step("acme/docs");
        for (int i = 0; i < 1200; i++) {
            p.examinedRun();
        }
        requests.addAndGet(2400);
        clock.addAndGet(Duration.ofSeconds(90).toNanos());
        for (int i = 0; i < 100 && !written().contains("\n"); i++) {
            Thread.sleep(20);
        }
        String first = written().lines().findFirst().orElse("");
        assertThat(first).startsWith("breachwalk: 3/40 GitHub repositories, 1,200 runs, 0 jobs, 2,400 requests, "
                + "00:01:30 elapsed, ETA ");
        assertThat(written()).doesNotContain("\r").doesNotContain("acme/");
        p.step("");
        int lines = written().split("\n").length;
        Thread.sleep(200);
        assertThat(written().split("\n")).hasSize(lines);
    }

    @Test
    void nothingIsWrittenBeforeTheFirstIntervalOffATerminal() {
        TerminalProgress p = progress(false, 80, Duration.ofHours(1));
        p.start("Jenkins jobs", 3);
        p.step("team/app");
        p.step("");
        assertThat(written()).isEmpty();
    }

    @Test
    void widthComesFromColumnsWhenSetAndIsEightyWithoutATerminal() {
        assertThat(TerminalProgress.columns(Map.of("COLUMNS", "132"))).isEqualTo(132);
        // The tests run without a controlling terminal (or with one whose size stty reports): never below 1.
        assertThat(TerminalProgress.columns(Map.of("COLUMNS", "wide"))).isPositive();
        assertThat(TerminalProgress.stderrIsTerminal(Map.of("TERM", "dumb"))).isFalse();
    }
}
