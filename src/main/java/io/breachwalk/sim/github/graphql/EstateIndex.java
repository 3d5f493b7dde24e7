package io.breachwalk.sim.github.graphql;

import io.breachwalk.sim.github.Estate;
import io.breachwalk.sim.github.Estate.Attempt;
import io.breachwalk.sim.github.Estate.Job;
import io.breachwalk.sim.github.Estate.Repo;
import io.breachwalk.sim.github.Estate.Run;
import io.breachwalk.sim.github.Estate.Workflow;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The estate looked up by database id, built once: GraphQL resolves global node ids, and a batch of 100 ids must
 * not scan every repository 100 times.
 */
final class EstateIndex {
    record RunAt(Repo repo, Run run) {}

    record JobAt(Repo repo, Run run, Attempt attempt, Job job) {}

    record WorkflowAt(Repo repo, Workflow workflow) {}

    private final Estate estate;
    private final Map<Long, Repo> repos = new HashMap<>();
    private final Map<Long, RunAt> runs = new HashMap<>();
    private final Map<Long, JobAt> jobs = new HashMap<>();
    private final Map<Long, WorkflowAt> workflows = new HashMap<>();

    EstateIndex(Estate estate) {
        this.estate = estate;
        for (Estate.Org org : estate.orgs()) {
            for (Repo repo : org.repos()) {
                repos.put(repo.id(), repo);
                repo.workflows().forEach(w -> workflows.put(w.id(), new WorkflowAt(repo, w)));
                for (Run run : repo.runs()) {
                    runs.put(run.id(), new RunAt(repo, run));
                    for (Attempt a : run.attempts()) {
                        a.jobs().forEach(j -> jobs.put(j.id(), new JobAt(repo, run, a, j)));
                    }
                }
            }
        }
    }

    Estate estate() {
        return estate;
    }

    String web() {
        return estate.webUrl();
    }

    Optional<Repo> repo(long id) {
        return Optional.ofNullable(repos.get(id));
    }

    Optional<RunAt> run(long id) {
        return Optional.ofNullable(runs.get(id));
    }

    Optional<RunAt> runOfCheckSuite(long checkSuiteId) {
        return run(checkSuiteId - NodeIds.CHECK_SUITE_OFFSET);
    }

    Optional<JobAt> job(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    Optional<WorkflowAt> workflow(long id) {
        return Optional.ofNullable(workflows.get(id));
    }
}
