package io.breachwalk.cli;

import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.detect.formats.AppVeyorReader;
import io.breachwalk.detect.formats.AzurePipelinesReader;
import io.breachwalk.detect.formats.BitbucketPipelinesReader;
import io.breachwalk.detect.formats.BitriseReader;
import io.breachwalk.detect.formats.BuildkiteReader;
import io.breachwalk.detect.formats.CircleCiReader;
import io.breachwalk.detect.formats.GitLabReader;
import io.breachwalk.detect.formats.ShellScriptReader;
import io.breachwalk.detect.formats.TravisReader;
import io.breachwalk.source.github.workflow.GitHubWorkflowReader;
import io.breachwalk.source.jenkins.pipeline.JenkinsfileReader;
import java.util.List;

/**
 * The configuration readers `inspect` knows: those of providers with a walk (their pure analyzers' adapters) and the
 * formats of CI systems without one. Assembled here so that `detect` names no provider; a later step lets each
 * provider give its own readers.
 */
final class ConfigReaders {
    private ConfigReaders() { }

    /** Every reader, in the order content sniffing needs: the more specific formats first. */
    static List<ConfigReader> all() {
        return List.of(new GitHubWorkflowReader(), new BitriseReader(), new BitbucketPipelinesReader(),
                new CircleCiReader(), new AzurePipelinesReader(), new AppVeyorReader(), new TravisReader(),
                new GitLabReader(), new BuildkiteReader(), new JenkinsfileReader(), new ShellScriptReader());
    }
}
