package io.breachwalk.detect.formats;

import io.breachwalk.detect.config.ConfigReader;

import java.util.List;

/**
 * The readers of CI systems breachwalk cannot walk yet: `inspect` reads their files after the providers' own readers.
 * A reader leaves this list for `source/<provider>` when its provider's walk arrives.
 */
public final class FormatReaders {
    private FormatReaders() {
    }

    /** In the order content sniffing needs: the more specific formats first. */
    public static List<ConfigReader> withoutWalk() {
        return List.of(new BitriseReader(), new BitbucketPipelinesReader(), new CircleCiReader(),
                new AzurePipelinesReader(), new AppVeyorReader(), new TravisReader(), new BuildkiteReader());
    }

    /** The last resort: a shell script named on the command line or called by a configuration. */
    public static ConfigReader fallback() {
        return new ShellScriptReader();
    }
}
