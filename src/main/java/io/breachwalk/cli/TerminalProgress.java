package io.breachwalk.cli;

import io.breachwalk.text.SafeText;
import io.breachwalk.model.WalkResult;
import io.breachwalk.source.DaemonThreads;
import io.breachwalk.source.Findings;
import io.breachwalk.source.Progress;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The scan's progress on stderr. When stderr is a terminal: one line redrawn in place (phase, projects done/total,
 * runs and jobs examined, requests made, an ETA, the current project), fitted to the terminal's width so that it
 * never wraps. When it is not (a CI log, `2> file`): a one-line status every 30 s, so that a long scan is not silence.
 * Nothing with --quiet.
 */
final class TerminalProgress implements Progress {
    static final Duration STATUS_EVERY = Duration.ofSeconds(30);
    /** How often the terminal line is redrawn without a call from the walk (requests and the clock move on). */
    private static final Duration REDRAW_EVERY = Duration.ofMillis(500);
    /** Calls from the walk redraw at most this often: thousands of jobs must not mean thousands of writes. */
    private static final long MIN_REDRAW_NANOS = Duration.ofMillis(100).toNanos();
    private static final Duration WIDTH_EVERY = Duration.ofSeconds(5);
    static final int DEFAULT_WIDTH = 80;

    private final PrintStream err;
    private final boolean terminal;
    private final IntSupplier width;
    private final LongSupplier requests;
    private final LongSupplier nanos;
    private final Duration interval;
    private final long requestsAtStart;
    private final long scanStart;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong jobs = new AtomicLong();

    private String label = "";
    private long total = -1;
    private long done;
    private long phaseStart;
    private String detail = "";
    private String waiting = "";
    private int drawn;
    private long lastDraw;
    private int columns;
    private long columnsAt;
    private boolean started;
    private ScheduledExecutorService ticker;

    /**
     * @param terminal whether {@code err} is a terminal (a line redrawn in place) or not (a status line per interval)
     * @param width    the terminal's width in columns, asked again every few seconds (a window can be resized)
     * @param requests requests made so far by the whole scan
     * @param nanos    a monotonic clock (System::nanoTime)
     * @param interval how often the status line is printed when not on a terminal
     */
    TerminalProgress(PrintStream err, boolean terminal, IntSupplier width, LongSupplier requests, LongSupplier nanos,
                     Duration interval) {
        this.err = err;
        this.terminal = terminal;
        this.width = width;
        this.requests = requests;
        this.nanos = nanos;
        this.interval = interval;
        this.requestsAtStart = requests.getAsLong();
        this.scanStart = nanos.getAsLong();
        this.phaseStart = scanStart;
    }

    /** The scan's progress: nothing with --quiet, else a line on a terminal or a periodic status line elsewhere. */
    static Progress forScan(PrintStream err, Map<String, String> env, boolean quiet, Findings findings) {
        if (quiet) {
            return Progress.NONE;
        }
        LongSupplier requests = () -> findings.counts().values().stream().mapToLong(WalkResult.Counts::requests).sum();
        return new TerminalProgress(err, stderrIsTerminal(env), () -> columns(env), requests, System::nanoTime,
                STATUS_EVERY);
    }

    // --- Progress ------------------------------------------------------------------------------------------------

    @Override
    public synchronized void start(String label, long total) {
        this.label = label;
        this.total = total;
        this.done = 0;
        this.detail = "";
        this.waiting = "";
        this.phaseStart = nanos.getAsLong();
        this.started = true;
        startTicker();
        draw(true);
    }

    @Override
    public synchronized void step(String detail) {
        if (detail == null || detail.isEmpty()) {
            finish();
            return;
        }
        done++;
        this.detail = detail;
        this.waiting = "";
        draw(true);
    }

    @Override
    public synchronized void waiting(String why, long seconds) {
        this.waiting = "waiting " + seconds + "s: " + why;
        draw(true);
    }

    @Override
    public void examinedRun() {
        runs.incrementAndGet();
        redrawSoon();
    }

    @Override
    public void examinedJob() {
        jobs.incrementAndGet();
        redrawSoon();
    }

    private void redrawSoon() {
        if (terminal) {
            synchronized (this) {
                draw(false);
            }
        }
    }

    /** The walk is over: the line is cleared (the summary follows) and the periodic status stops. */
    private void finish() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        if (terminal && drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
        }
        drawn = 0;
        started = false;
    }

    private void startTicker() {
        if (ticker != null) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("breachwalk-progress"));
        long every = (terminal ? REDRAW_EVERY : interval).toMillis();
        ticker.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        if (!started) {
            return;
        }
        if (terminal) {
            draw(true);
        } else {
            err.println(statusLine());
            err.flush();
        }
    }

    // --- what is shown -------------------------------------------------------------------------------------------

    /** `breachwalk: 3/40 GitHub repositories, 1,200 runs, 2,400 jobs, 2,400 requests, 00:01:30 elapsed`. */
    synchronized String statusLine() {
        long now = nanos.getAsLong();
        StringBuilder b = new StringBuilder("breachwalk: ");
        b.append(count()).append(' ').append(label.isEmpty() ? "projects" : label);
        b.append(", ").append(number(runs.get())).append(" runs, ").append(number(jobs.get())).append(" jobs, ")
                .append(number(requests.getAsLong() - requestsAtStart)).append(" requests, ")
                .append(clock(now - scanStart)).append(" elapsed");
        String eta = eta(now);
        if (!eta.isEmpty()) {
            b.append(", ETA ").append(eta);
        }
        if (!waiting.isEmpty()) {
            b.append(", ").append(SafeText.terminal(waiting));
        }
        return b.toString();
    }

    /**
     * The terminal line, at most {@code width - 1} characters (a character in the last column makes some terminals
     * wrap): the richest of a few forms that fits, the current project's name cut first.
     */
    synchronized String line(int width) {
        int max = Math.max(10, width - 1);
        long now = nanos.getAsLong();
        String eta = eta(now);
        String counts = number(runs.get()) + " runs, " + number(jobs.get()) + " jobs, "
                + number(requests.getAsLong() - requestsAtStart) + " requests";
        String head = (label.isEmpty() ? "" : label + " ") + count();
        String what = SafeText.terminal(waiting.isEmpty() ? detail : waiting);
        List<String> forms = new ArrayList<>();
        String full = head + " | " + counts + (eta.isEmpty() ? "" : " | ETA " + eta);
        forms.add(what.isEmpty() ? full : full + " | " + what);
        if (!what.isEmpty()) {
            int room = max - full.length() - 3;
            if (room >= 12 && what.length() > room) {
                forms.add(full + " | " + what.substring(0, room - 3) + "...");
            }
        }
        forms.add(full);
        forms.add(head + " | " + counts);
        forms.add(count() + " | " + number(runs.get()) + " runs, " + number(requests.getAsLong() - requestsAtStart)
                + " req" + (eta.isEmpty() ? "" : " | ETA " + eta));
        for (String f : forms) {
            if (f.length() <= max) {
                return f;
            }
        }
        String last = forms.get(forms.size() - 1);
        return last.substring(0, max - 3) + "...";
    }

    private String count() {
        return total >= 0 ? done + "/" + total : String.valueOf(done);
    }

    /** Time left in this phase, from the projects finished so far (the current one is not); empty when unknown. */
    private String eta(long now) {
        long finished = Math.max(0, done - 1);
        if (total <= 0 || finished == 0 || finished >= total) {
            return "";
        }
        long spent = now - phaseStart;
        return clock(spent / finished * (total - finished));
    }

    private void draw(boolean always) {
        if (!terminal || !started) {
            return;
        }
        long now = nanos.getAsLong();
        if (!always && now - lastDraw < MIN_REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        if (columns == 0 || now - columnsAt > WIDTH_EVERY.toNanos()) {
            columns = width.getAsInt();
            columnsAt = now;
        }
        String line = line(columns);
        // Padding covers what is left of a longer previous line; never more than was drawn, so it cannot wrap.
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        err.flush();
        drawn = line.length();
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String clock(long nanos) {
        long s = Math.max(0, nanos) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    // --- the terminal --------------------------------------------------------------------------------------------

    /**
     * Whether fd 2 is a terminal (isatty(2), which Java 17 cannot ask directly; System.console() answers for stdin
     * and stdout, and is null whenever stdout is redirected). On Linux /proc/self/fd/2 names the device: a pty or
     * tty is a terminal, a pipe or file is not. Elsewhere `test -t 2` is run with this process's stderr as its own.
     * TERM=dumb (an editor's shell buffer) gets the status lines: it cannot redraw a line in place.
     */
    static boolean stderrIsTerminal(Map<String, String> env) {
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(Path.of("/proc/self/fd"))) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        try {
            Process p = new ProcessBuilder("test", "-t", "2").redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** COLUMNS when set; else `stty size` on the controlling terminal (/dev/tty); else 80. */
    static int columns(Map<String, String> env) {
        Integer fromEnv = positive(env.get("COLUMNS"));
        if (fromEnv != null) {
            return fromEnv;
        }
        File tty = new File("/dev/tty");
        if (tty.exists()) {
            try {
                Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    String[] rowsCols = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                            .trim().split("\\s+");
                    Integer cols = rowsCols.length == 2 ? positive(rowsCols[1]) : null;
                    if (cols != null) {
                        return cols;
                    }
                } else {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                // no usable terminal: the default below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return DEFAULT_WIDTH;
    }

    private static Integer positive(String s) {
        if (s == null || !s.trim().matches("\\d{1,5}")) {
            return null;
        }
        int n = Integer.parseInt(s.trim());
        return n > 0 ? n : null;
    }
}
