package io.breachwalk.source.gitlab;

import io.breachwalk.model.Gap;
import io.breachwalk.source.HttpFailure;
import io.breachwalk.source.Sink;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lists the CI/CD variable stores through a project's {@link GitLabData} (which shares group and instance answers
 * between projects), and says once per scan that the instance's variables could not be listed.
 */
final class VariableStores {
    private final String host;
    private final AtomicBoolean instanceGapRecorded = new AtomicBoolean();

    VariableStores(String host) {
        this.host = host;
    }

    CiVariables.Store project(GitLabData api, long id, String fullPath) {
        return store(api, "project", fullPath, "/projects/" + id + "/variables");
    }

    CiVariables.Store group(GitLabData api, String fullPath) {
        return store(api, "group", fullPath, "/groups/" + GitLabHttp.enc(fullPath) + "/variables");
    }

    /** The instance variables (admin only); the first project that cannot list them records the gap. */
    CiVariables.Store instance(GitLabData api, Sink sink) {
        CiVariables.Store s = store(api, "instance", host, "/admin/ci/variables");
        if (!s.listable() && instanceGapRecorded.compareAndSet(false, true)) {
            sink.gap(new Gap(GitLabSource.PROVIDER, host, "", "", Gap.SECRETS_UNLISTABLE, "the instance's CI/CD "
                    + "variables could not be listed (" + s.problem() + "; an administrator's token lists them): "
                    + "instance variables in reach of the jobs are not in the exposures", false));
        }
        return s;
    }

    /** Lists one store; a 401/403 (or any failure) makes it unlistable, with the reason in words. */
    private static CiVariables.Store store(GitLabData api, String scope, String owner, String path) {
        try {
            return new CiVariables.Store(scope, owner, true, "", CiVariables.of(api.list(path, 0).items()));
        } catch (HttpFailure f) {
            String why = f.kind() == HttpFailure.Kind.DENIED ? "HTTP " + f.status() + ": the token may not read them"
                    : f.getMessage();
            return new CiVariables.Store(scope, owner, false, why, List.of());
        } catch (IOException e) {
            return new CiVariables.Store(scope, owner, false, e.getMessage(), List.of());
        }
    }
}
