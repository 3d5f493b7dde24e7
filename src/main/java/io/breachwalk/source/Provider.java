package io.breachwalk.source;

import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.ProviderTraits;

import java.util.List;
import java.util.Map;

/**
 * One CI provider, as the rest of the tool sees it: everything outside the provider's own folders (`source/<p>`,
 * `sim/<p>`) reaches it through this object, and `cli`'s provider list names it once. A fresh instance per command
 * line: {@link #options()} is the picocli mixin that `scan` parses the provider's flags into.
 * <p>
 * To add a provider, copy the shape of {@code source/github}: a {@code <Name>Provider} with an options mixin, a live
 * {@link CiSource} (its units and the judging of one; {@link UnitDriver} drives it), an offline one over stored
 * evidence, its config readers for `inspect`, and a simulator in {@code sim/<name>}; then add one line to
 * {@code cli/Providers}.
 */
public interface Provider {

    /** The provider column value: `github-actions`, `jenkins`, `gitlab-ci`. */
    String name();

    /**
     * The picocli mixin holding this provider's `scan` options (`--github-org`, `--jenkins-url`, ...): an object with
     * {@code @Option} fields, whose options carry an {@code order} between 10 and 49 so that `scan --help` lists
     * them after `--out` and before the shared tuning options.
     */
    Object options();

    /** What `scan --help` says about where this provider's credentials come from, e.g. "GITHUB_TOKEN (or GH_TOKEN)". */
    String credentialHelp();

    /** The flags that name what to walk (`--github-org`, `--github-repo`), for "nothing to scan: give ...". */
    List<String> targetFlags();

    /** Whether the parsed options ask to walk this provider (a target flag was given). */
    boolean requested();

    /** The target flags as given, for messages (`--github-org acme`); none when not requested. */
    List<String> targetWords();

    /**
     * The targets for report.json's `scan` block (`github_orgs: [...]`, `jenkins_url: ...`), URLs without user info;
     * empty when not requested.
     */
    Map<String, Object> reportTargets();

    /** This provider's part of what makes two scans the same scan (resume): its targets and URLs. */
    String resumeKey();

    /** Warnings before a walk that will run (e.g. anonymous access), one line each, never a credential. */
    default List<String> warnings(Map<String, String> env) {
        return List.of();
    }

    /**
     * The live source, built from the parsed options and the environment (credentials come only from there).
     * Called only when {@link #requested()}; a {@link SourceException} names the flag or variable to fix.
     */
    CiSource<?> create(Map<String, String> env) throws SourceException;

    /**
     * `scan --offline`: a source that judges this provider's records of an evidence folder again, making no request;
     * usually an {@link OfflineSource} whose judge is the live walk's own per-unit code.
     */
    CiSource<?> offline(EvidenceStore store, List<EvidenceRecord> records);

    /** The readers `inspect` uses for this provider's configuration files (workflows, Jenkinsfiles, ...). */
    List<ConfigReader> configReaders();

    /** The environment variables that hold this provider's credentials: their values are redacted everywhere. */
    List<String> credentialVariables();

    /** How the reports speak of this provider's secret stores (change times, the account, what to grant). */
    ProviderTraits traits();
}
