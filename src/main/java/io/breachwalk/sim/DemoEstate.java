package io.breachwalk.sim;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A simulator serving its bundled sample estate, with what a scan of it needs: the environment holding the sample's
 * (fictional) credentials, the `scan` arguments naming the estate, and the banner's words for it. `demo` merges the
 * environments and concatenates the arguments of every simulator, so it never names a provider option itself.
 *
 * @param simulator   the running simulator; closing the estate closes it
 * @param env         credential variables for the scan, e.g. GITHUB_TOKEN (values are never printed)
 * @param scanArgs    e.g. {@code --github-url URL --github-org acme}
 * @param description e.g. {@code GitHub organization acme at URL}, for the demo's one-line banner
 */
public record DemoEstate<S extends Simulator>(S simulator, Map<String, String> env, List<String> scanArgs,
                                              String description) implements AutoCloseable {

    public DemoEstate {
        env = Map.copyOf(env);
        scanArgs = List.copyOf(scanArgs);
    }

    /** The simulator's base URL. */
    public String url() {
        return simulator.baseUrl();
    }

    @Override
    public void close() {
        simulator.close();
    }

    /** Starts one provider's simulator on its sample estate, e.g. {@code GitHubSimulator::startDemo}. */
    @FunctionalInterface
    public interface Starter {
        DemoEstate<?> start() throws IOException;
    }
}
