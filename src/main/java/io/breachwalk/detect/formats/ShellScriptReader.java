package io.breachwalk.detect.formats;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.detect.config.JobReport;
import io.breachwalk.detect.config.JobResult;
import io.breachwalk.detect.config.SecretNames;
import io.breachwalk.detect.shell.ShellGuard;
import io.breachwalk.detect.shell.ShellScan;
import io.breachwalk.detect.yaml.YNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A shell script named on the command line (`.sh`, `.bash`, a shell shebang) or forced with `--provider shell`: read
 * with the shell scanner every reader and walk uses, as one job named "script". Never recognised inside a folder or a
 * clone, where a script counts only when a configuration calls it. The script's environment is whatever its caller
 * gave it: the secret-looking variables it reads are the names it shows.
 */
public final class ShellScriptReader implements ConfigReader {
    private static final Pattern SHEBANG = Pattern.compile("^#!\\s*/\\S*/(?:env\\s+)?(?:ba|z|k|da)?sh\\b");

    @Override public String provider() { return "shell"; }

    /** Never by path: folders and clones hold many scripts that no configuration runs. */
    @Override public boolean conventionalPath(String repoPath) { return false; }

    @Override public boolean looksLike(String text, YNode yaml) { return false; }

    /** True for a file a user names that is a shell script by its extension or its first line. */
    @Override
    public boolean takesNamedFile(String path, String text) {
        String p = path.toLowerCase();
        return p.endsWith(".sh") || p.endsWith(".bash") || SHEBANG.matcher(text).find();
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) {
        JobResult r = new JobResult(file.displayPath(), provider(), "script");
        r.hits(new ShellScan(ind, lookup).scan(file.text(), file.displayPath(), 1, ShellGuard.unknownEnv()));
        return List.of(r.stepSecrets(SecretNames.shellRefs(file.text())).report());
    }
}
