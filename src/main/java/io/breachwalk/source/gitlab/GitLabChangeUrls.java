package io.breachwalk.source.gitlab;

import io.breachwalk.model.ChangeUrls;
import io.breachwalk.model.RotationItem;

import java.net.URI;
import java.util.List;

/**
 * GitLab's CI/CD variable pages: a project's or a group's Settings > CI/CD, or the instance's Admin settings, under
 * the instance root that the job URLs name (`ROOT/GROUP/PROJECT/-/jobs/ID`; a relative URL root is kept when the
 * owner's path shows where it ends).
 */
final class GitLabChangeUrls implements ChangeUrls {

    @Override
    public String of(RotationItem r, List<String> jobUrls) {
        String scope = r.secretScope() == null ? "" : r.secretScope();
        String owner = r.scopeOwner() == null ? "" : r.scopeOwner();
        String root = root(r, owner, jobUrls);
        if (root.isEmpty() || owner.isBlank() && !"instance".equals(scope)) {
            return "";
        }
        return switch (scope) {
            case "project" -> root + "/" + owner + "/-/settings/ci_cd";
            case "group" -> root + "/groups/" + owner + "/-/settings/ci_cd";
            case "instance" -> root + "/admin/application_settings/ci_cd";
            default -> "";
        };
    }

    /** The instance root: a job URL up to its project's path; else the host's https root. Never with user info. */
    private static String root(RotationItem r, String owner, List<String> jobUrls) {
        for (String url : jobUrls) {
            int dash = url.indexOf("/-/");
            try {
                URI u = URI.create(url);
                if (dash < 0 || u.getHost() == null || u.getScheme() == null) {
                    continue;
                }
                String origin = u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
                String path = u.getRawPath();
                int projectEnd = path.indexOf("/-/");
                String before = projectEnd < 0 ? "" : path.substring(0, projectEnd);
                // The relative URL root is what precedes the owner's path (the project, or the group it is in).
                int at = owner.isEmpty() ? -1 : (before + "/").indexOf("/" + owner + "/");
                return origin + (at > 0 ? before.substring(0, at) : "");
            } catch (IllegalArgumentException e) {
                // not a URL: try the next job
            }
        }
        String host = r.host() == null ? "" : r.host();
        return host.isBlank() ? "" : "https://" + host;
    }
}
