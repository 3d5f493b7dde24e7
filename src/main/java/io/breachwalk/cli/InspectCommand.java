package io.breachwalk.cli;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigInspector;
import io.breachwalk.detect.config.JobReport;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.Window;
import io.breachwalk.report.Cells;
import io.breachwalk.report.CsvReports;
import io.breachwalk.report.Order;
import io.breachwalk.report.OutputFiles;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
                + "compromised step and which secrets are in its reach. A git clone is read commit by commit on every "
                + "branch in the window.", ""},
        footer = {"", "Exit status: 0 no job uses the indicator, 1 at least one does, 2 usage error, "
                + "3 some path could not be inspected (wins over 1)."})
final class InspectCommand implements Callable<Integer> {
    static final long MAX_FILE_BYTES = 5L * 1024 * 1024;
    static final String[] HEADER = {"file", "commit", "provider", "job", "uses_indicator", "how", "confidence",
            "secrets_in_step", "secrets_in_job", "evidence"};
    private static final Set<String> SKIP_DIRS = Set.of(".git", "node_modules", ".tox", ".venv", "venv", "target", "build");

    @ParentCommand
    Main main;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "a CI file, a folder, or a git clone")
    List<Path> paths;

    @Mixin
    IncidentOptions incident = new IncidentOptions();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "breachwalk-out",
            description = "folder for inspect.csv (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--provider", paramLabel = "P",
            description = "read every file as this provider's format (github-actions, travis-ci, circleci, gitlab-ci, "
                    + "jenkins, azure-pipelines, appveyor, bitrise, bitbucket-pipelines, buildkite)")
    String provider;

    private record Row(String file, String commit, JobReport job) { }

    @Override
    public Integer call() {
        IncidentOptions.Incident loaded = incident.load(main.err);
        if (loaded == null) {
            return Exits.USAGE;
        }
        Playbook pb = loaded.playbook();
        Window window = loaded.window();
        ConfigInspector inspector = new ConfigInspector(ConfigInspector.standardReaders(),
                new IndicatorMatcher(pb));
        if (provider != null && inspector.byProvider(provider).isEmpty()) {
            main.err.println("breachwalk: inspect: unknown --provider `" + provider + "`; use one of: "
                    + String.join(", ", ConfigInspector.standardReaders().stream().map(r -> r.provider()).toList()));
            return Exits.USAGE;
        }
        List<Row> rows = new ArrayList<>();
        int problems = 0;
        int files = 0;
        int commits = 0;
        for (Path p : paths) {
            try {
                if (!Files.exists(p)) {
                    problems += problem(p, "no such file or directory");
                } else if (Files.isDirectory(p) && GitConfigHistory.isRepository(p.toFile())) {
                    List<GitConfigHistory.CommitResult> results = new GitConfigHistory(inspector, provider, MAX_FILE_BYTES)
                            .walk(p.toFile(), window.since(), window.until());
                    commits += results.size();
                    for (GitConfigHistory.CommitResult c : results) {
                        for (String pr : c.problems()) problems += problem(p, pr);
                        // A clone reports the commits whose configuration ran the step; the rest is the summary count.
                        for (JobReport j : c.jobs()) if (j.usesIndicator()) rows.add(new Row(j.file(), c.commit(), j));
                    }
                } else if (Files.isDirectory(p)) {
                    List<Path> found = folderFiles(p, inspector);
                    for (Path f : found) {
                        String rel = p.relativize(f).toString().replace('\\', '/');
                        Optional<String> text = readText(f, true);
                        if (text.isEmpty()) continue;
                        files++;
                        ConfigInspector.Outcome o = inspector.inspect(new CiFile(display(f), rel, text.get()),
                                folderLookup(p), provider, inspector.isConventional(rel));
                        if (o.problem().isPresent()) problems += problem(f, o.problem().get());
                        for (JobReport j : o.jobs()) rows.add(new Row(j.file(), "", j));
                    }
                } else {
                    Optional<String> text;
                    try {
                        text = readText(p, false);
                    } catch (IOException e) {
                        problems += problem(p, e.getMessage());
                        continue;
                    }
                    files++;
                    Path root = repoRoot(p);
                    String rel = root.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
                    ConfigInspector.Outcome o = inspector.inspect(new CiFile(display(p), rel, text.orElseThrow()),
                            folderLookup(root), provider, true);
                    if (o.problem().isPresent()) problems += problem(p, o.problem().get());
                    for (JobReport j : o.jobs()) rows.add(new Row(j.file(), "", j));
                }
            } catch (IOException | RuntimeException e) {
                problems += problem(p, "could not read: " + e.getMessage());
            }
        }
        rows.sort(Comparator.comparing(Row::file, Order.NATURAL).thenComparing(Row::commit, Order.NATURAL)
                .thenComparing(r -> r.job().provider(), Order.NATURAL).thenComparing(r -> r.job().job(), Order.NATURAL));
        try {
            writeCsv(rows);
        } catch (IOException e) {
            main.err.println("breachwalk: inspect: cannot write " + out.resolve("inspect.csv") + ": " + e.getMessage());
            return Exits.USAGE;
        }
        printTable(rows);
        long using = rows.stream().filter(r -> r.job().usesIndicator()).count();
        main.out.println("inspect: " + files + " file(s), " + commits + " commit(s) in the window, " + rows.size()
                + " job row(s), " + using + " using the indicator, " + problems + " problem(s); wrote "
                + out.resolve("inspect.csv"));
        if (problems > 0) return Exits.INCOMPLETE;
        return using > 0 ? Exits.ROTATE : Exits.CLEAN;
    }

    private int problem(Path p, String why) {
        main.err.println("breachwalk: inspect: " + Cells.terminal(p.toString()) + ": " + Cells.terminal(why));
        return 1;
    }

    private static String display(Path p) { return p.toString().replace('\\', '/'); }

    /** Files of a folder worth reading: conventional CI paths, and YAML files or Jenkinsfiles whose content may be CI. */
    private static List<Path> folderFiles(Path dir, ConfigInspector inspector) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                return !d.equals(dir) && SKIP_DIRS.contains(d.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                String name = f.getFileName().toString().toLowerCase();
                if (a.isRegularFile() && (inspector.isConventional(rel) || name.endsWith(".yml") || name.endsWith(".yaml")
                        || name.contains("jenkinsfile"))) out.add(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) { return FileVisitResult.CONTINUE; }
        });
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    /**
     * The file's text; too large or binary files are refused with a one-line reason (an IOException), or skipped
     * quietly when {@code quiet} (a folder walk meets many files that are not CI configuration).
     */
    private Optional<String> readText(Path f, boolean quiet) throws IOException {
        long size = Files.size(f);
        if (size > MAX_FILE_BYTES) {
            if (quiet) return Optional.empty();
            throw new IOException("too large to be a CI file (" + size + " bytes; limit " + MAX_FILE_BYTES + ")");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(f)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        }
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                if (quiet) return Optional.empty();
                throw new IOException("binary file, not CI configuration");
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            if (quiet) return Optional.empty();
            throw new IOException("not UTF-8 text, not CI configuration");
        }
    }

    /** The git work tree containing the file, else its folder: scripts and templates resolve from there. */
    private static Path repoRoot(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        for (Path d = abs.getParent(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) return d;
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
        new OutputFiles(out).write("inspect.csv", w -> {
            try (CSVPrinter printer = new CSVPrinter(w, CsvReports.format(HEADER))) {
                for (Row r : rows) {
                    JobReport j = r.job();
                    printer.printRecord(Cells.cell(r.file()), Cells.cell(r.commit()), Cells.cell(j.provider()),
                            Cells.cell(j.job()), j.usesIndicator(), Cells.cell(j.how()), Cells.cell(j.confidence()),
                            Cells.cell(String.join(";", j.secretsInStep())), Cells.cell(String.join(";", j.secretsInJob())),
                            Cells.cell(j.evidence()));
                }
            }
        });
    }

    private void printTable(List<Row> rows) {
        if (rows.isEmpty()) return;
        String fmt = "%-40s %-8s %-16s %-28s %-5s %-28s %-9s %s%n";
        main.out.printf(fmt, "FILE", "COMMIT", "PROVIDER", "JOB", "USES", "HOW", "CONF", "SECRETS IN STEP");
        for (Row r : rows) {
            JobReport j = r.job();
            main.out.printf(fmt, clip(r.file(), 40), clip(r.commit(), 8), clip(j.provider(), 16), clip(j.job(), 28),
                    j.usesIndicator() ? "yes" : "no", clip(j.how(), 28), j.confidence(), Cells.terminal(String.join(";", j.secretsInStep())));
        }
    }

    private static String clip(String s, int n) {
        String t = Cells.terminal(s);
        if (t.length() <= n) return t;
        return n <= 1 ? t.substring(0, n) : "…" + t.substring(t.length() - n + 1);
    }
}
