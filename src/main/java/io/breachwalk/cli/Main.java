package io.breachwalk.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** breachwalk's entry point: which CI jobs ran a compromised step in an incident window, and what to rotate. */
@Command(name = "breachwalk", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Finds the CI jobs that ran a compromised step during an incident window, the secrets they "
                + "exposed, and what to rotate.", ""},
        subcommands = {ScanCommand.class, DemoCommand.class, PlaybooksCommand.class, InspectCommand.class,
                TicketsCommand.class, ExplainCommand.class, Main.VersionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Start with `breachwalk demo`. Exit status: 0 complete, nothing to rotate or review; 1 at least "
                + "one ROTATE, REVIEW or MISSING row; 2 usage or configuration error; 3 incomplete: blocking coverage "
                + "gaps (wins over 1); 130 interrupted.",
                "Set BREACHWALK_DEBUG=1 to see the stack trace of an internal error."})
public class Main implements Runnable {

    /**
     * Libraries log through java.util.logging to stderr (github-api logs each connection retry at INFO); the user's
     * stderr carries breachwalk's own one-line messages only. Held here so the configured loggers are not collected.
     */
    private static final java.util.List<java.util.logging.Logger> QUIET_LOGGERS = java.util.stream.Stream.of(
            "org.kohsuke.github", "org.jclouds", "jclouds", "org.eclipse.jgit").map(name -> {
                java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
                logger.setLevel(java.util.logging.Level.SEVERE);
                return logger;
            }).toList();

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;
    /** This command line's providers, each holding the flags `scan` parsed into it. */
    final Providers providers;

    Main(Map<String, String> env, PrintStream out, PrintStream err, Providers providers) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.providers = providers;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), out, err));
    }

    /** Runs one command line; tests call this in-process with their own environment and streams. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, Providers.STANDARD);
    }

    /** The same with another provider list (a test registers a provider of its own this way). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                   List<Providers.Entry> providerList) {
        Providers providers = new Providers(providerList);
        CommandLine cli = new CommandLine(new Main(env, out, err, providers));
        ScanCommand.addProviders(cli.getSubcommands().get("scan"), providers.all());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // Wide enough that no default, URL or path in a description is broken across lines (picocli breaks at
        // '.', ':' and '/' when a line is full); a terminal narrower than this soft-wraps, which copies whole.
        cli.setUsageHelpWidth(HELP_WIDTH);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("breachwalk: " + parameterProblem(ex));
            CommandLine c = ex.getCommandLine();
            err.println("  see `" + c.getCommandSpec().qualifiedName() + " --help`");
            return Exits.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            // A bug should still end with one line, not a stack trace over the summary; BREACHWALK_DEBUG shows it.
            String detail = ex.getMessage() == null || ex.getMessage().isBlank() ? "no detail"
                    : ex.getMessage().replaceAll("\\s+", " ");
            err.println("breachwalk: internal error (" + detail + "); set BREACHWALK_DEBUG=1 for the stack trace "
                    + "and report it");
            if (env.containsKey("BREACHWALK_DEBUG")) {
                ex.printStackTrace(err);
            }
            return Exits.USAGE;
        });
        return cli.execute(args);
    }

    static final int HELP_WIDTH = 100;

    /**
     * picocli's message, except for a mistyped command or option: that one names it and what was probably meant
     * ("unknown command `scna`; did you mean scan?"), from picocli's own suggestions.
     */
    static String parameterProblem(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return ex.getMessage();
        }
        String arg = unmatched.getUnmatched().get(0);
        List<String> suggestions = unmatched.getSuggestions();
        boolean takesCommands = !ex.getCommandLine().getSubcommands().isEmpty();
        String what = arg.startsWith("-") ? "unknown option `" + arg + "`"
                : takesCommands ? "unknown command `" + arg + "`" : "unexpected argument `" + arg + "`";
        if (!suggestions.isEmpty()) {
            return what + "; did you mean " + suggestions.get(0) + "?"; // the most similar comes first
        }
        if (takesCommands && !arg.startsWith("-")) {
            return what + "; commands: " + String.join(", ", ex.getCommandLine().getSubcommands().keySet());
        }
        return what;
    }

    @Override
    public void run() {
        CommandLine cli = new CommandLine(this);
        ScanCommand.addProviders(cli.getSubcommands().get("scan"), providers.all());
        cli.usage(out);
    }

    /** `breachwalk version`, the same as `breachwalk --version` (as with `gh version`, `git version`). */
    @Command(name = "version", description = "Print the version and exit (the same as --version).")
    static final class VersionCommand implements Runnable {
        @CommandLine.ParentCommand
        Main main;

        @Override
        public void run() {
            for (String line : new Version().getVersion()) {
                main.out.println(line);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"breachwalk " + io.breachwalk.report.ReportBuilder.version()};
        }
    }
}
