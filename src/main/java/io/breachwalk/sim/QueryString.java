package io.breachwalk.sim;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulator request's query string, decoded, in the order sent (so Link URLs keep the client's parameters).
 * Shared by the GitHub and GitLab simulators, which read their parameters the same way.
 */
public record QueryString(List<String[]> params) {
    public static QueryString parse(String raw) {
        List<String[]> params = new ArrayList<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.add(new String[] {k, v});
            }
        }
        return new QueryString(params);
    }

    /** The first value of the key, or null when it was not sent. */
    public String get(String key) {
        for (String[] p : params) {
            if (p[0].equals(key)) {
                return p[1];
            }
        }
        return null;
    }

    /** Every value of a repeated key, in the order sent. */
    public List<String> all(String key) {
        return params.stream().filter(p -> p[0].equals(key)).map(p -> p[1]).toList();
    }

    public boolean flag(String key) {
        return "true".equalsIgnoreCase(get(key));
    }

    /** The key as a number; the fallback when it is missing or not a number. */
    public int intValue(String key, int fallback) {
        try {
            return get(key) == null ? fallback : Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The query with {@code page} set, for pagination links. */
    public String withPage(int page) {
        StringBuilder sb = new StringBuilder();
        boolean done = false;
        for (String[] p : params) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            if (p[0].equals("page")) {
                sb.append("page=").append(page);
                done = true;
            } else {
                sb.append(URLEncoder.encode(p[0], StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(p[1], StandardCharsets.UTF_8));
            }
        }
        if (!done) {
            sb.append(sb.length() > 0 ? "&" : "").append("page=").append(page);
        }
        return sb.toString();
    }
}
