package io.breachwalk.text;

import java.net.URI;

/** URL text safe for reports: a URL flag may carry credentials; what breachwalk writes never does. */
public final class Urls {
    private Urls() {
    }

    /** `https://user:token@host/` reads `https://host/`. */
    public static String withoutUserInfo(String url) {
        try {
            URI u = URI.create(url);
            if (u.getRawUserInfo() == null) {
                return url;
            }
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), u.getFragment())
                    .toString();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return url.replaceAll("//[^/@]*@", "//");
        }
    }
}
