package io.breachwalk.cli;

import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.sim.jenkins.JenkinsSimulator;

import java.util.List;

/** The simulators `demo` serves, in banner order: a provider with a simulator adds one line here. */
final class Simulators {
    private Simulators() {
    }

    static List<DemoEstate.Starter> demos() {
        return List.of(
                GitHubSimulator::startDemo,
                JenkinsSimulator::startDemo
        );
    }
}
