package io.breachwalk.cli;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.StepHit;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigInspector;
import io.breachwalk.detect.config.JobReport;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.Window;
import io.breachwalk.text.SafeText;
import io.breachwalk.report.CsvReports;
import io.breachwalk.model.Order;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.source.git.GitConfigHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * `breachwalk inspect PATH...`: reads CI configuration files, folders and git clones without any CI provider API,
 * and says job by job whether the configuration runs the compromised step and which secrets it reaches.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read CI configuration files, folders or git clones and report, job by job, which run the "
                + "compromised step and which secrets are in its reach. A git clone is read on every branch: each commit "
                + "in the window and the last one before it (the configuration in effect when the window opened).", ""},
        footer = {"", "Exit status: 0 no job uses the indicator, 1 at least one does, 2 usage error, "
                + "3 some path could not be inspected, or a job calls a script that is not there (wins over 1)."})
final class InspectCommand implements Callable<Integer> {
    static final long MAX_FILE_BYTES = 5L * 1024 * 1024;
    static final String[] HEADER = {"file", "commit", "provider", "job", "uses_indicator", "how", "confidence",
            "secrets_in_step", "secrets_in_job", "evidence", "first_commit", "last_commit", "first_date", "last_date",
            "branches"};
    private static final Set<String> SKIP_DIRS = Set.of(".git", "node_modules", ".tox", ".venv", "venv", "target", "build");

    @ParentCommand
    Main main;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "a CI file, a folder, or a git clone")
    List<Path> paths;

    @Mixin
    IncidentOptions incident = new IncidentOptions();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "breachwalk-inspect",
            description = "folder for inspect.csv (default: ./${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--force", description = "replace the inspect.csv the --out folder already holds")
    boolean force;

    @Option(names = "--provider", paramLabel = "P",
            description = "read every file as this provider's format (github-actions, travis-ci, circleci, gitlab-ci, "
                    + "jenkins, azure-pipelines, appveyor, bitrise, bitbucket-pipelines, buildkite, shell)")
    String provider;

    @Option(names = "--all", description = "list every configuration in the table, clean ones included (default: those "
            + "that use the indicator or cannot be told, and a count of the clean ones)")
    boolean all;

    @Option(names = "--quiet", description = "print only the summary line (problems and warnings still go to stderr)")
    boolean quiet;

    /** Script files a folder holds: named as skipped, read only when a configuration calls them. */
    private static final List<String> SCRIPT_SUFFIXES = List.of(".sh", ".bash", ".ps1", ".bat", ".cmd");

    /** One configuration of one job as one commit (or a plain file, commit "") had it. */
    private record Seen(String commit, Instant time, List<String> branches, JobReport job) { }

    /** One distinct configuration: the commits that had it, first and last, and their branches. */
    private record Row(String file, String commit, Instant firstTime, String lastCommit, Instant lastTime,
                       List<String> branches, JobReport job) { }

    /** What the paths gave: counts, skipped files ("path (reason)") and problems so far. */
    private static final class Tally {
        final List<Seen> seen = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        int problems;
        int files;
        int commits;
        int startCommits;
        boolean clones;
    }

    @Override
    public Integer call() {
        IncidentOptions.Incident loaded = incident.load(main.err);
        if (loaded == null) {
            return Exits.USAGE;
        }
        Playbook pb = loaded.playbook();
        Window window = loaded.window();
        ConfigInspector inspector = new ConfigInspector(main.providers.configReaders(),
                new IndicatorMatcher(pb));
        if (provider != null && inspector.byProvider(provider).isEmpty()) {
            main.err.println("breachwalk: inspect: unknown --provider `" + SafeText.terminal(provider) + "`; use one of: "
                    + String.join(", ", inspector.providers()));
            return Exits.USAGE;
        }
        out = OwnerOnlyFiles.normalized(out);
        if (!OutputFolder.usable(out, "inspect.csv", force, "inspect: ", main.err)) {
            return Exits.USAGE;
        }
        Tally t = new Tally();
        for (Path p : paths) {
            try {
                if (!Files.exists(p)) {
                    t.problems += problem(p, "no such file or directory");
                } else if (Files.isDirectory(p) && GitConfigHistory.isRepository(p.toFile())) {
                    inspectClone(p, inspector, window, t);
                } else if (Files.isDirectory(p)) {
                    inspectFolder(p, inspector, t);
                } else {
                    inspectFile(p, inspector, t);
                }
            } catch (IOException | RuntimeException e) {
                t.problems += problem(p, "could not read: " + e.getMessage());
            }
        }
        List<Row> rows = distinct(t.seen);
        rows.sort(Comparator.comparing(Row::file, Order.NATURAL).thenComparing(r -> r.job().provider(), Order.NATURAL)
                .thenComparing(r -> r.job().job(), Order.NATURAL).thenComparing(Row::firstTime, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Row::commit, Order.NATURAL));
        try {
            writeCsv(rows);
        } catch (IOException e) {
            main.err.println("breachwalk: inspect: cannot write " + out.resolve("inspect.csv") + ": "
                    + OwnerOnlyFiles.reason(e));
            return Exits.USAGE;
        }
        long using = rows.stream().filter(r -> r.job().usesIndicator()).count();
        long unknown = rows.stream().filter(r -> r.job().unknown()).count();
        long clean = rows.size() - using - unknown;
        if (!quiet) {
            printTable(rows, clean);
            if (!t.skipped.isEmpty()) {
                main.out.println("skipped " + t.skipped.size() + " file(s): " + String.join(", ", t.skipped));
            }
        }
        String commitPart = t.clones ? t.commits + " commit(s) in the window" + (t.startCommits > 0
                ? " (+" + t.startCommits + " in effect at its start)" : "") + ", " : "";
        main.out.println("inspect: " + t.files + " file(s), " + commitPart + rows.size() + " configuration(s): " + using
                + " using the indicator, " + unknown + " unknown, " + clean + " clean; " + t.skipped.size() + " skipped, "
                + t.problems + " problem(s); wrote " + out.resolve("inspect.csv"));
        if (t.problems > 0 || unknown > 0) return Exits.INCOMPLETE;
        return using > 0 ? Exits.ROTATE : Exits.CLEAN;
    }

    /** Every commit in the window on every branch, and the last one before it; a shallow clone is a problem. */
    private void inspectClone(Path p, ConfigInspector inspector, Window window, Tally t) throws IOException {
        t.clones = true;
        GitConfigHistory.History h = new GitConfigHistory(inspector, provider, MAX_FILE_BYTES)
                .walk(p.toFile(), window.since(), window.until());
        if (h.shallow()) {
            main.err.println("breachwalk: inspect: " + SafeText.terminal(p.toString())
                    + " is a shallow clone: fetch the full history (git fetch --unshallow)");
            t.problems++;
        }
        t.commits += h.inWindow();
        t.startCommits += h.commits().size() - h.inWindow();
        if (h.inWindow() == 0) {
            main.err.println("breachwalk: inspect: " + SafeText.terminal(p.toString()) + ": warning: 0 commits in the window "
                    + SafeText.time(window.since()) + " .. " + SafeText.time(window.until()) + " on any branch; "
                    + (h.commits().isEmpty() ? "no commit before it either: nothing was inspected"
                    : "inspected the configuration in effect at its start (" + h.commits().size() + " commit(s))"));
        }
        for (GitConfigHistory.CommitResult c : h.commits()) {
            for (String pr : c.problems()) t.problems += problem(p, pr);
            for (JobReport j : c.jobs()) t.seen.add(new Seen(c.commit(), c.time(), c.branches(), j));
        }
    }

    /**
     * CI files at their conventional paths, and YAML files or Jenkinsfiles whose content may be CI. Every other
     * candidate (scripts, YAML that is not CI) is named as skipped; a CI file that cannot be read is a problem.
     */
    private void inspectFolder(Path p, ConfigInspector inspector, Tally t) throws IOException {
        boolean shellForced = provider != null && inspector.byProvider(provider).map(r -> r.provider().equals("shell")).orElse(false);
        for (Path f : folderFiles(p)) {
            String rel = p.relativize(f).toString().replace('\\', '/');
            String name = f.getFileName().toString().toLowerCase();
            boolean conventional = inspector.isConventional(rel);
            if (!conventional && isScript(name) && !shellForced) {
                t.skipped.add(display(f) + " (" + (name.endsWith(".sh") || name.endsWith(".bash") ? "shell script" : "script")
                        + ", inspected only when a configuration calls it)");
                continue;
            }
            if (!conventional && !isScript(name) && !name.endsWith(".yml") && !name.endsWith(".yaml") && !name.contains("jenkinsfile")) {
                continue;
            }
            Text text = readText(f);
            if (text.skip() != null) {
                t.skipped.add(display(f) + " (" + text.skip() + ")");
                // Where CI configuration lives, a file that cannot be read may be a workflow that ran.
                if (conventional) t.problems += problem(f, text.skip());
                continue;
            }
            ConfigInspector.Outcome o = inspector.inspect(new CiFile(display(f), rel, text.text()),
                    folderLookup(p), provider, conventional);
            if (o.problem().isPresent()) t.problems += problem(f, o.problem().get());
            if (o.provider().isEmpty() && o.problem().isEmpty()) {
                t.skipped.add(display(f) + " (not CI configuration of a known provider)");
                continue;
            }
            t.files++;
            for (JobReport j : o.jobs()) t.seen.add(new Seen("", null, List.of(), j));
        }
    }

    /** A file named on the command line: anything unreadable or unrecognised is a problem. */
    private void inspectFile(Path p, ConfigInspector inspector, Tally t) throws IOException {
        Text text = readText(p);
        if (text.skip() != null) {
            t.problems += problem(p, text.skip());
            return;
        }
        t.files++;
        Path root = repoRoot(p, inspector);
        String rel = root.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
        ConfigInspector.Outcome o = inspector.inspect(new CiFile(display(p), rel, text.text()),
                folderLookup(root), provider, true);
        if (o.problem().isPresent()) t.problems += problem(p, o.problem().get());
        for (JobReport j : o.jobs()) t.seen.add(new Seen("", null, List.of(), j));
    }

    /** One row per distinct job configuration, with the first and last commit that had it and their branches. */
    private static List<Row> distinct(List<Seen> seen) {
        Map<JobReport, List<Seen>> byConfig = new LinkedHashMap<>();
        for (Seen s : seen) byConfig.computeIfAbsent(s.job(), k -> new ArrayList<>()).add(s);
        List<Row> out = new ArrayList<>();
        for (var e : byConfig.entrySet()) {
            List<Seen> list = new ArrayList<>(e.getValue());
            list.sort(Comparator.comparing(Seen::time, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Seen::commit));
            Seen first = list.get(0);
            Seen last = list.get(list.size() - 1);
            TreeSet<String> branches = new TreeSet<>(Order.NATURAL);
            list.forEach(s -> branches.addAll(s.branches()));
            out.add(new Row(e.getKey().file(), first.commit(), first.time(), last.commit(), last.time(), List.copyOf(branches), e.getKey()));
        }
        return out;
    }

    private int problem(Path p, String why) {
        main.err.println("breachwalk: inspect: " + SafeText.terminal(p.toString()) + ": " + SafeText.terminal(why));
        return 1;
    }

    private static String display(Path p) { return p.toString().replace('\\', '/'); }

    /** Files of a folder worth reading: conventional CI paths, and YAML files or Jenkinsfiles whose content may be CI. */
    private static List<Path> folderFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                return !d.equals(dir) && SKIP_DIRS.contains(d.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                if (a.isRegularFile()) out.add(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) { return FileVisitResult.CONTINUE; }
        });
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    private static boolean isScript(String lowerName) {
        return SCRIPT_SUFFIXES.stream().anyMatch(lowerName::endsWith);
    }

    /** A file's text, or why it is not read (one line). */
    private record Text(String text, String skip) { }

    /** The file's text, or the reason it cannot be CI configuration: too large, binary, not UTF-8. */
    private static Text readText(Path f) throws IOException {
        long size = Files.size(f);
        if (size > MAX_FILE_BYTES) {
            return new Text(null, "too large to be a CI file (" + size + " bytes; limit " + MAX_FILE_BYTES + ")");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(f)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        }
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) return new Text(null, "binary file, not CI configuration");
        }
        try {
            return new Text(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString(), null);
        } catch (CharacterCodingException e) {
            return new Text(null, "not UTF-8 text, not CI configuration");
        }
    }

    /**
     * The git work tree containing the file; else the folder where the file's path is its provider's conventional
     * one (two levels above `.github/workflows/ci.yml`); else its folder. Scripts and templates resolve from there.
     */
    private static Path repoRoot(Path file, ConfigInspector inspector) {
        Path abs = file.toAbsolutePath().normalize();
        for (Path d = abs.getParent(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) return d;
        }
        Path d = abs.getParent();
        for (int up = 0; d != null && up < 4; up++, d = d.getParent()) {
            if (inspector.isConventional(d.relativize(abs).toString().replace('\\', '/'))) return d;
        }
        return abs.getParent();
    }

    private static FileLookup folderLookup(Path root) {
        Path base = root.toAbsolutePath().normalize();
        return repoPath -> {
            Path f = base.resolve(repoPath).normalize();
            if (!f.startsWith(base) || !Files.isRegularFile(f)) return Optional.empty();
            try {
                if (Files.size(f) > MAX_FILE_BYTES) return Optional.empty();
                return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        };
    }

    private void writeCsv(List<Row> rows) throws IOException {
        new OwnerOnlyFiles(out).write("inspect.csv", w -> {
            try (CSVPrinter printer = new CSVPrinter(w, CsvReports.format(HEADER))) {
                for (Row r : rows) {
                    JobReport j = r.job();
                    printer.printRecord(SafeText.cell(r.file()), SafeText.cell(r.commit()), SafeText.cell(j.provider()),
                            SafeText.cell(j.job()), j.indicator(), SafeText.cell(j.how()), SafeText.cell(j.confidence()),
                            SafeText.cell(String.join(";", j.secretsInStep())), SafeText.cell(String.join(";", j.secretsInJob())),
                            SafeText.cell(j.evidence()), SafeText.cell(r.commit()), SafeText.cell(r.lastCommit()),
                            SafeText.time(r.firstTime()), SafeText.time(r.lastTime()), SafeText.cell(String.join(";", r.branches())));
                }
            }
        });
    }

    /**
     * Hits first (probable before possible), then unknowns, then (with --all) clean rows; one row per distinct
     * configuration, its commits as short prefixes (first..last) and the date it was first seen.
     */
    private void printTable(List<Row> rows, long clean) {
        List<Row> shown = new ArrayList<>(rows.stream().filter(r -> all || r.job().usesIndicator() || r.job().unknown()).toList());
        shown.sort(Comparator.comparingInt(InspectCommand::rank).thenComparing(Row::file, Order.NATURAL)
                .thenComparing(r -> r.job().job(), Order.NATURAL)
                .thenComparing(Row::firstTime, Comparator.nullsFirst(Comparator.naturalOrder())));
        if (!shown.isEmpty()) {
            boolean commits = shown.stream().anyMatch(r -> !r.commit().isEmpty());
            // A path keeps twice the room of the other cells (its folders and name tell rows apart); job names
            // lose their middle (matrix.include[12] stays told apart). Narrow terminals lose SINCE first, then STEP
            // SECRETS (inspect.csv keeps every column).
            InspectTable table = new InspectTable().column("USES", InspectTable.Cut.NONE, 0, 0)
                    .column("FILE", InspectTable.Cut.MIDDLE, 16, 0, 2).column("JOB", InspectTable.Cut.MIDDLE, 10, 0)
                    .column("HOW", InspectTable.Cut.RIGHT, 10, 0);
            if (commits) table.column("COMMITS", InspectTable.Cut.NONE, 0, 0).column("SINCE", InspectTable.Cut.NONE, 0, 2);
            table.column("STEP SECRETS", InspectTable.Cut.RIGHT, 12, 1);
            for (Row r : shown) {
                JobReport j = r.job();
                String uses = j.usesIndicator() ? (StepHit.POSSIBLE.equals(j.confidence()) ? "possible" : "yes")
                        : j.unknown() ? "unknown" : "no";
                String step = String.join(";", j.secretsInStep());
                if (commits) {
                    String range = r.commit().isEmpty() ? "" : shortSha(r.commit())
                            + (r.lastCommit().equals(r.commit()) ? "" : ".." + shortSha(r.lastCommit()));
                    String since = r.firstTime() == null ? "" : SafeText.time(r.firstTime()).substring(0, 10);
                    table.row(uses, r.file(), j.job(), j.how(), range, since, step);
                } else {
                    table.row(uses, r.file(), j.job(), j.how(), step);
                }
            }
            for (String line : table.render(InspectTable.width(main.env.get("COLUMNS")))) main.out.println(line);
        }
        if (!all && clean > 0) {
            main.out.println(clean + " clean configuration(s) not listed (--all lists them; inspect.csv has every row)");
        }
    }

    private static int rank(Row r) {
        JobReport j = r.job();
        if (j.usesIndicator()) return StepHit.POSSIBLE.equals(j.confidence()) ? 1 : 0;
        return j.unknown() ? 2 : 3;
    }

    /** Git's abbreviation: the first 7 hex digits, which `git show` accepts. */
    static String shortSha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
