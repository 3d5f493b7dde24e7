package io.breachwalk.report;

import io.breachwalk.exposure.Ledger;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.SecretState;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
        return changeUrl(r, exposures(r));
    }

    public String statusNote(RotationItem r) {
        return statusNote(r, exposures(r), traits.apply(r.provider()));
    }

    /**
     * Where the secret's value is changed: GitHub's repository, environment or organization secrets page (on the web
     * host the job URLs name, so GitHub Enterprise Server works), the Jenkins credential store's page; "" where no
     * store holds it (literal, ephemeral, a Jenkins credential no store has) or the provider has no such page.
     */
    public static String changeUrl(RotationItem r, List<Exposure> exposures) {
        String scope = r.secretScope() == null ? "" : r.secretScope();
        String owner = r.scopeOwner() == null ? "" : r.scopeOwner();
        if ("github-actions".equals(r.provider())) {
            String web = githubWeb(r, exposures);
            if (web.isEmpty()) {
                return "";
            }
            String repo = owner.contains(":") ? owner.substring(0, owner.indexOf(':')) : owner;
            boolean isRepo = repo.matches("[^/\\s]+/[^/\\s]+");
            return switch (scope) {
                // An unresolved secret is a repository's, an environment's or its organization's: the repository's
                // secrets page lists the repository's own and the organization secrets it can use.
                case "repository", "unresolved" -> isRepo ? web + "/" + repo + "/settings/secrets/actions" : "";
                case "environment" -> isRepo ? web + "/" + repo + "/settings/environments" : "";
                case "organization" -> owner.matches("[^/\\s:]+")
                        ? web + "/organizations/" + owner + "/settings/secrets/actions" : "";
                default -> "";
            };
        }
        if ("jenkins".equals(r.provider()) && "jenkins-credential".equals(scope) && !owner.isBlank()) {
            String base = jenkinsBase(r, exposures);
            if (base.isEmpty()) {
                return "";
            }
            if ("system".equals(owner)) {
                return base + "manage/credentials/";
            }
            StringBuilder folder = new StringBuilder(base);
            for (String part : owner.split("/")) {
                folder.append("job/").append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"))
                        .append('/');
            }
            return folder.append("credentials/").toString();
        }
        return "";
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

    /** scheme://host[:port] of the jobs' web pages; from the API host when no job names one. */
    private static String githubWeb(RotationItem r, List<Exposure> exposures) {
        for (String url : urls(r, exposures)) {
            try {
                URI u = URI.create(url);
                if (u.getScheme() != null && u.getScheme().startsWith("http") && u.getHost() != null) {
                    return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
                }
            } catch (IllegalArgumentException e) {
                // not a URL: try the next job
            }
        }
        String host = r.host() == null ? "" : r.host();
        if (host.isBlank()) {
            return "";
        }
        return "https://" + ("api.github.com".equals(host) ? "github.com" : host);
    }

    /** The Jenkins root (with its context path, e.g. https://ci.example/jenkins/) from a job URL. */
    private static String jenkinsBase(RotationItem r, List<Exposure> exposures) {
        for (String url : urls(r, exposures)) {
            int job = url.indexOf("/job/");
            if (job > 0 && url.startsWith("http")) {
                String base = url.substring(0, job + 1);
                int at = base.indexOf('@');
                int slashes = base.indexOf("//");
                // Never carry user:password@ from a URL into a link.
                return at > slashes && slashes > 0 && at < base.indexOf('/', slashes + 2)
                        ? base.substring(0, slashes + 2) + base.substring(at + 1) : base;
            }
        }
        return "";
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
