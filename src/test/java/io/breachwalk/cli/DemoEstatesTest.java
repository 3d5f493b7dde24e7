package io.breachwalk.cli;

import io.breachwalk.sim.DemoEstate;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `demo` runs `scan` on the arguments its simulators name: each list must be a valid `scan` command line. */
class DemoEstatesTest {

    @Test
    void everyDemoEstateNamesItsTargetsAsScanArguments() throws Exception {
        List<String> providers = new ArrayList<>();
        Providers standard = Providers.standard();
        for (DemoEstate.Starter starter : standard.demos()) {
            try (DemoEstate<?> demo = starter.start()) {
                providers.add(demo.simulator().provider());
                ScanCommand scan = new ScanCommand();
                CommandLine line = new CommandLine(scan);
                ScanCommand.addProviders(line, standard.all());
                CommandLine.ParseResult parsed = line.parseArgs(demo.scanArgs().toArray(String[]::new));
                assertThat(parsed.unmatched()).as(demo.description()).isEmpty();
                assertThat(parsed.matchedOptions()).as(demo.description()).isNotEmpty();
                assertThat(String.join(" ", demo.scanArgs())).contains(demo.url());
                assertThat(demo.description()).contains(demo.url()).doesNotContain("\n");
                assertThat(demo.env()).isNotEmpty();
            }
        }
        assertThat(providers).containsExactly("github-actions", "jenkins", "gitlab-ci");
    }
}
