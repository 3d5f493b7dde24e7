package io.breachwalk.source.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.model.SecretState;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credential stores a job can see: its folders' stores (nearest first) and the system store, global domain.
 * They list ids and types only; Jenkins keeps no change time, so a found credential is PRESENT with no updated_at
 * (rotation status REVIEW) and an id found in no store is MISSING, unless a store could not be listed (UNKNOWN).
 */
final class CredentialStores {

    /** Where an id resolved: the store's owner (`system` or the folder path) and the state. */
    record Resolution(String scope, String owner, SecretState state) { }

    private static final String TREE = "api/json?tree=credentials[id,typeName]";
    private static final Object UNLISTABLE = new Object();

    private final JenkinsData data;
    /** Owner -> ids, or UNLISTABLE. */
    private final Map<String, Object> stores = new ConcurrentHashMap<>();

    CredentialStores(JenkinsData data) { this.data = data; }

    /** The store owners a job in these folders can see, nearest last: `system`, then each folder path. */
    static List<String> owners(List<String> folders) {
        List<String> out = new java.util.ArrayList<>();
        for (int n = 0; n <= folders.size(); n++) out.add(n == 0 ? "system" : String.join("/", folders.subList(0, n)));
        return out;
    }

    /** Loads a store; false when it could not be listed (the caller records SECRETS_UNLISTABLE). */
    boolean load(List<String> folder) {
        String owner = folder.isEmpty() ? "system" : String.join("/", folder);
        Object got = stores.computeIfAbsent(owner, o -> fetch(o, folder));
        return got != UNLISTABLE;
    }

    private Object fetch(String owner, List<String> folder) {
        String path = folder.isEmpty() ? "credentials/store/system/domain/_/" + TREE
                : JenkinsSource.jobPath(folder) + "credentials/store/folder/domain/_/" + TREE;
        try {
            JsonNode n = data.credentials(owner, path);
            Set<String> ids = new HashSet<>();
            // 404: no store here (a folder without credentials, or the credentials plugin is absent).
            if (n != null) n.path("credentials").forEach(c -> ids.add(c.path("id").asText()));
            return ids;
        } catch (IOException e) {
            return UNLISTABLE;
        }
    }

    /** Resolves an id for a job in the given folder path (the job's parent folders, outermost first). */
    @SuppressWarnings("unchecked")
    Resolution resolve(String id, List<String> folders) {
        boolean unknown = false;
        for (int n = folders.size(); n >= 0; n--) {
            List<String> f = folders.subList(0, n);
            load(f);
            Object got = stores.get(f.isEmpty() ? "system" : String.join("/", f));
            if (got == UNLISTABLE) {
                unknown = true;
            } else if (((Set<String>) got).contains(id)) {
                return new Resolution("jenkins-credential", f.isEmpty() ? "system" : String.join("/", f), SecretState.PRESENT);
            }
        }
        return unknown ? new Resolution("jenkins-credential", "", SecretState.UNKNOWN)
                : new Resolution("jenkins-credential", "", SecretState.MISSING);
    }
}
