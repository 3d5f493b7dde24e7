package io.breachwalk.detect.config;

import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.yaml.YNode;
import java.util.List;

/**
 * Reads one CI provider's configuration format. Readers are stateless. The GitHub Actions and Jenkins readers live
 * with their providers, as adapters over the analyzers their walks use (the same path, text and file lookup).
 */
public interface ConfigReader {
    /** The provider name written in reports ("travis-ci", "circleci", ...). */
    String provider();

    /** True when the repository path is where this provider keeps its configuration. */
    boolean conventionalPath(String repoPath);

    /** True when the content looks like this provider's configuration; {@code yaml} is null for non-YAML text. */
    boolean looksLike(String text, YNode yaml);

    /**
     * True when a file the user named, recognised by no reader's path or content, is still this reader's (a shell
     * script by its extension or shebang). Never asked for files found in folders or clones.
     */
    default boolean takesNamedFile(String displayPath, String text) { return false; }

    /** One report per job the file defines, in file order. */
    List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher indicators) throws ConfigParseException;
}
