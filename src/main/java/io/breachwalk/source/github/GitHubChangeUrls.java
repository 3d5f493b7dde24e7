package io.breachwalk.source.github;

import io.breachwalk.model.ChangeUrls;
import io.breachwalk.model.RotationItem;

import java.net.URI;
import java.util.List;

/**
 * GitHub's secret pages: the repository's, environment's or organization's Actions secrets settings, on the web host
 * the job URLs name (so GitHub Enterprise Server works), else on the web host of the API host.
 */
final class GitHubChangeUrls implements ChangeUrls {

    @Override
    public String of(RotationItem r, List<String> jobUrls) {
        String scope = r.secretScope() == null ? "" : r.secretScope();
        String owner = r.scopeOwner() == null ? "" : r.scopeOwner();
        String web = web(r, jobUrls);
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

    /** scheme://host[:port] of the jobs' web pages; from the API host when no job names one. */
    private static String web(RotationItem r, List<String> jobUrls) {
        for (String url : jobUrls) {
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
}
