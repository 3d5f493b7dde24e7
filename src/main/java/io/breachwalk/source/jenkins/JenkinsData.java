package io.breachwalk.source.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.evidence.ProviderData;
import io.breachwalk.model.EvidenceLink;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where the Jenkins walk reads what a build is judged from: Jenkins itself, storing each answer as evidence
 * ({@link LiveJenkinsData}), or an evidence folder ({@link StoredJenkinsData}, `scan --offline`). Names are the
 * same either way, so the offline re-analysis runs the online walk's code.
 */
interface JenkinsData extends ProviderData {
    String BUILD = "jenkins-build";
    String CONSOLE = "jenkins-console";
    String CONFIG = "jenkins-config";
    String SCM_FILE = "jenkins-scm-file";
    String WFAPI = "jenkins-wfapi";
    String CREDENTIALS = "jenkins-credentials";
    String SCM_HISTORY = "jenkins-scm-history";

    /** The build record (number, timestamp, revision, remotes, parameters); null when gone. Name: job/number. */
    JsonNode build(String jobName, String buildPath, int number) throws IOException;

    /** The console log scanned; null when gone. Name: job/number. */
    ConsoleScan.Result console(String jobName, String buildPath, int number) throws IOException;

    /** config.xml; null when not found. Name: the job's full name. */
    String config(String jobName, List<String> names) throws IOException;

    /**
     * The files of a revision from the job's remotes (the Jenkinsfile, and the scripts it calls), each read once per
     * revision from one fetch and stored as it is read. Name of each file: path@sha. Close it when the analysis is done.
     */
    Revision revision(List<String> remotes, String sha);

    /** Files at one revision. */
    interface Revision extends AutoCloseable {
        /** A file's text; empty with why[0] set when the remote, the commit or the file cannot be reached. */
        Optional<String> read(String path, String[] why) throws IOException;

        /** Why no remote gave the revision at all (a script lookup then says nothing), or null. */
        default String unreachable() { return null; }

        @Override
        default void close() { }
    }

    /**
     * The versions of a job's Jenkinsfile in effect during [since, until) on one branch, read from the first of the
     * remotes that answers (one fetch), and the files at those commits. Name: the job's full name (the version list),
     * path@sha (each file). Close it when the analysis is done.
     */
    History history(String jobName, List<String> remotes, String branch, String path, java.time.Instant since,
                    java.time.Instant until);

    /** A Jenkinsfile's versions in a window, or why they could not be read. */
    interface History extends AutoCloseable {
        List<ScmFiles.Version> versions();

        /** Why the history could not be read (remote unreachable, branch missing), or null. */
        String failure();

        /** The files at one of the versions' commits. */
        Revision at(String sha);

        @Override
        default void close() { }
    }

    /** The stage names the pipeline API knows for a build; empty when it cannot tell. Name: job/number. */
    List<String> stages(String jobName, List<String> names, int number) throws IOException;

    /** A credential store's listing (null: no store there); IOException when it could not be listed. Name: owner. */
    JsonNode credentials(String owner, String path) throws IOException;
}
