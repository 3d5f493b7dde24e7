package io.breachwalk.source.jenkins;

import io.breachwalk.model.ChangeUrls;
import io.breachwalk.model.RotationItem;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jenkins credential store pages: the system store's, or a folder's, under the Jenkins root (with its context path)
 * the job URLs name. A credential no store holds has none.
 */
final class JenkinsChangeUrls implements ChangeUrls {

    @Override
    public String of(RotationItem r, List<String> jobUrls) {
        String owner = r.scopeOwner() == null ? "" : r.scopeOwner();
        if (!"jenkins-credential".equals(r.secretScope()) || owner.isBlank()) {
            return "";
        }
        String base = base(jobUrls);
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

    /** The Jenkins root (with its context path, e.g. https://ci.example/jenkins/) from a job URL. */
    private static String base(List<String> jobUrls) {
        for (String url : jobUrls) {
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
}
