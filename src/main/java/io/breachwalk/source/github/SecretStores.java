package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.model.SecretState;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The secret stores visible to one repository, listed lazily and once each: environment secrets (per environment a
 * job names), repository secrets, and the organization secrets shared with the repository (the per-repository view,
 * which already applies `all`/`private`/`selected` visibility). Names and updated_at only; values never exist here.
 */
final class SecretStores {
    /** Where a name resolved: scope and owner as exposures.csv writes them. */
    record Resolution(String scope, String owner, SecretState state, Instant updatedAt) {}

    /** One store's listing; {@code listable} false when the token may not read it. */
    record Listing(boolean listable, Map<String, Instant> updated) {}

    /** Lists one store's `secrets` items: the API online, the evidence folder offline. */
    interface Lister {
        List<JsonNode> list(String store, String path) throws IOException, GitHubRest.ApiError;
    }

    private final Lister rest;
    private final String fullName;
    private final String org;
    private final Consumer<String> unlistable;
    private final Map<String, Listing> cache = new ConcurrentHashMap<>();

    /** {@code unlistable} is told once per store that could not be listed (a SECRETS_UNLISTABLE gap). */
    SecretStores(Lister rest, String fullName, Consumer<String> unlistable) {
        this.rest = rest;
        this.fullName = fullName;
        this.org = fullName.substring(0, fullName.indexOf('/'));
        this.unlistable = unlistable;
    }

    /** Environment before repository before organization (GitHub's precedence). */
    Resolution resolve(String name, String environment) {
        for (String[] store : stores(environment)) {
            Listing l = listing(store[0], store[1]);
            if (!l.listable()) {
                return new Resolution("unresolved", fullName, SecretState.UNKNOWN, null);
            }
            Instant updated = l.updated().get(name.toUpperCase());
            if (updated != null || l.updated().containsKey(name.toUpperCase())) {
                return new Resolution(store[2], store[3], SecretState.PRESENT, updated);
            }
        }
        return new Resolution("unresolved", fullName, SecretState.MISSING, null);
    }

    /** Every secret the job could see (for toJSON(secrets)); null when some store could not be listed. */
    List<String> allNames(String environment) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (String[] store : stores(environment)) {
            Listing l = listing(store[0], store[1]);
            if (!l.listable()) {
                return null;
            }
            l.updated().keySet().forEach(n -> names.put(n, true));
        }
        return new ArrayList<>(names.keySet());
    }

    /** {key, path, scope, owner} in precedence order. */
    private List<String[]> stores(String environment) {
        List<String[]> out = new ArrayList<>();
        if (environment != null) {
            out.add(new String[] {"environment " + environment,
                    "/repos/" + fullName + "/environments/" + URLEncoder.encode(environment, StandardCharsets.UTF_8)
                            .replace("+", "%20") + "/secrets?per_page=100",
                    "environment", fullName + ":" + environment});
        }
        out.add(new String[] {"repository", "/repos/" + fullName + "/actions/secrets?per_page=100", "repository", fullName});
        out.add(new String[] {"organization", "/repos/" + fullName + "/actions/organization-secrets?per_page=100",
                "organization", org});
        return out;
    }

    /** The stores asked for so far (their listings are evidence). */
    List<String> asked() {
        return cache.keySet().stream().sorted().toList();
    }

    private Listing listing(String key, String path) {
        return cache.computeIfAbsent(key, k -> fetch(k, path));
    }

    private Listing fetch(String key, String path) {
        try {
            Map<String, Instant> updated = new LinkedHashMap<>();
            for (JsonNode s : rest.list(key, path)) {
                String at = s.path("updated_at").asText(null);
                updated.put(s.path("name").asText().toUpperCase(), at == null ? null : Instant.parse(at));
            }
            return new Listing(true, updated);
        } catch (GitHubRest.ApiError e) {
            if (e.status == 404 && key.startsWith("environment ")) {
                return new Listing(true, Map.of()); // the environment no longer exists: nothing stored there
            }
            unlistable.accept(key + " secrets of " + fullName + " could not be listed (" + e.getMessage() + ")");
            return new Listing(false, Map.of());
        } catch (IOException | RuntimeException e) {
            unlistable.accept(key + " secrets of " + fullName + " could not be listed (" + e.getMessage() + ")");
            return new Listing(false, Map.of());
        }
    }
}
