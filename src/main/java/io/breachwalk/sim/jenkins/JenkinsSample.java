package io.breachwalk.sim.jenkins;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The bundled sample Jenkins (classpath samples/jenkins/estate.yaml) running on loopback, with what a scan of it
 * needs: the URL for --jenkins-url and the environment (JENKINS_USER/JENKINS_TOKEN of the sample's fictional user).
 */
public record JenkinsSample(JenkinsSimulator simulator, String url, Map<String, String> env, List<String> jobs)
        implements AutoCloseable {

    public static JenkinsSample start() throws IOException {
        JenkinsSimulator sim = JenkinsSimulator.startSample();
        return new JenkinsSample(sim, sim.baseUrl(),
                Map.of("JENKINS_USER", JenkinsSimulator.SAMPLE_USER, "JENKINS_TOKEN", JenkinsSimulator.SAMPLE_TOKEN),
                List.of());
    }

    @Override
    public void close() {
        simulator.close();
    }
}
