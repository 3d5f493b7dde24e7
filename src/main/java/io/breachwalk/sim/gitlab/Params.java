package io.breachwalk.sim.gitlab;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A request's query string, decoded, in the order sent (so Link URLs keep the client's parameters). */
record Params(List<String[]> params) {
    static Params parse(String raw) {
        List<String[]> params = new ArrayList<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.add(new String[] {k, v});
            }
        }
        return new Params(params);
    }

    String get(String key) {
        for (String[] p : params) {
            if (p[0].equals(key)) {
                return p[1];
            }
        }
        return null;
    }

    List<String> all(String key) {
        return params.stream().filter(p -> p[0].equals(key)).map(p -> p[1]).toList();
    }

    boolean flag(String key) {
        return "true".equalsIgnoreCase(get(key));
    }

    int intValue(String key, int fallback) {
        try {
            return get(key) == null ? fallback : Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The query with {@code page} set, for pagination links. */
    String withPage(int page) {
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
