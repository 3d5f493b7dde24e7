package io.breachwalk.report;

import io.breachwalk.exposure.Ledger;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.SecretState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import io.breachwalk.text.SafeText;

/**
 * What a rotation row needs to be acted on beyond the ledger's fields, worked out from the row and the exposures
 * behind it: the page where the secret is changed (rotation.csv's `change_url`), its status in words (`status_note`)
 * and the projects whose jobs had it. Shared by rotation.csv and the tickets so that both say the same.
 */
public final class RotationNotes {

    private final Map<String, List<Exposure>> bySecret = new LinkedHashMap<>();

    private final java.util.function.Function<String, ProviderTraits> traits;

    public RotationNotes(ScanReport report) {
        this.traits = report::traits;
        for (Exposure e : report.exposures()) {
            bySecret.computeIfAbsent(Ledger.secretId(report.playbook().id(), e), k -> new ArrayList<>()).add(e);
        }
    }

    /** The exposures behind a rotation row, in report order. */
    public List<Exposure> exposures(RotationItem r) {
        return bySecret.getOrDefault(r.secretId(), List.of());
    }

    /** The projects (repositories, Jenkins job full names) whose jobs had the secret, sorted. */
    public List<String> projects(RotationItem r) {
        TreeSet<String> out = new TreeSet<>();
        for (Exposure e : exposures(r)) {
            if (e.job().project() != null && !e.job().project().isBlank()) {
                out.add(e.job().project());
            }
        }
        return List.copyOf(out);
    }

    public String changeUrl(RotationItem r) {
        return changeUrl(r, exposures(r), traits.apply(r.provider()));
    }

    public String statusNote(RotationItem r) {
        return statusNote(r, exposures(r), traits.apply(r.provider()));
    }

    /**
     * Where the secret's value is changed, as its provider says (the store's settings page on the web host the job
     * URLs name); "" where no store holds it or the provider has no such page.
     */
    public static String changeUrl(RotationItem r, List<Exposure> exposures, ProviderTraits traits) {
        return traits.changeUrls().of(r, urls(r, exposures));
    }

    /** The status in words: why the row says what it says and what settles it. */
    public static String statusNote(RotationItem r, List<Exposure> exposures, ProviderTraits traits) {
        String last = r.lastExposedAt() == null ? "its last exposure" : SafeText.time(r.lastExposedAt());
        String changed = SafeText.time(r.secretUpdatedAt());
        return switch (r.status()) {
            case ROTATE -> "changed at " + changed + ", before its last exposure at " + last
                    + ": rotate it and revoke the old value";
            case ROTATED -> "changed at " + changed + ", after its last exposure at " + last
                    + ": verify that the old value was revoked, not only replaced";
            case EPHEMERAL -> "issued for the job and expired with it: nothing to rotate; audit what it was used for"
                    + " during the job";
            case MISSING -> "no store visible to the jobs holds it now: confirm that the value was revoked where it"
                    + " was issued (deleting it from CI does not revoke it)";
            case REVIEW -> "no change time available (" + reviewReason(r, exposures, traits)
                    + "): rotate unless you can show it was changed after " + last;
        };
    }

    private static String reviewReason(RotationItem r, List<Exposure> exposures, ProviderTraits traits) {
        if ("literal".equals(r.secretScope())) {
            return "it is written into the job's configuration; only its issuer knows";
        }
        if ("unresolved".equals(r.secretScope())) {
            return "its store could not be listed; see coverage.csv";
        }
        if (!traits.keepsSecretChangeTimes()) {
            return traits.displayName() + " keeps none for " + traits.secretWord();
        }
        if (exposures.stream().anyMatch(e -> e.state() == SecretState.UNKNOWN)) {
            return "its store could not be listed; see coverage.csv";
        }
        return "the provider keeps none for it";
    }

    private static List<String> urls(RotationItem r, List<Exposure> exposures) {
        List<String> out = new ArrayList<>();
        for (Exposure e : exposures) {
            if (e.job().url() != null && !e.job().url().isBlank()) {
                out.add(e.job().url());
            }
        }
        if (r.exampleUrl() != null && !r.exampleUrl().isBlank()) {
            out.add(r.exampleUrl());
        }
        return out;
    }
}
