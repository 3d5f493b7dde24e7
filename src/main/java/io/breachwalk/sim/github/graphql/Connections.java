package io.breachwalk.sim.github.graphql;

import graphql.schema.DataFetchingEnvironment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Relay-style connections as GitHub serves them: {@code first}/{@code last} with {@code after}/{@code before}
 * cursors, {@code nodes}, {@code edges}, {@code pageInfo} and {@code totalCount}. The limits on first/last are
 * checked before execution ({@link QueryCost}), so here they are known to be in range.
 */
final class Connections {
    private Connections() {
    }

    /** One page of a connection. */
    record Connection(List<?> nodes, List<Map<String, Object>> edges, Map<String, Object> pageInfo, int totalCount)
            implements GitHubObjects.Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            return switch (field) {
                case "nodes" -> nodes;
                case "edges" -> edges;
                case "pageInfo" -> pageInfo;
                case "totalCount" -> totalCount;
                default -> null;
            };
        }
    }

    static String cursor(int position) {
        return Base64.getEncoder().encodeToString(("cursor:" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The 1-based position a cursor names, or -1 when it is not one of ours. */
    static int position(String cursor) {
        try {
            String s = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            return s.startsWith("cursor:") ? Integer.parseInt(s.substring(7)) : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    static Connection page(List<?> all, DataFetchingEnvironment env) {
        Integer first = env.getArgument("first");
        Integer last = env.getArgument("last");
        String after = env.getArgument("after");
        String before = env.getArgument("before");
        int from = 0;
        int to = all.size();
        if (after != null && position(after) >= 0) {
            from = Math.min(all.size(), position(after));
        }
        if (before != null && position(before) >= 1) {
            to = Math.max(from, Math.min(to, position(before) - 1));
        }
        if (first != null) {
            to = Math.min(to, from + Math.max(0, first));
        } else if (last != null) {
            from = Math.max(from, to - Math.max(0, last));
        }
        List<Object> nodes = new ArrayList<>(all.subList(from, to));
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("cursor", cursor(i + 1));
            e.put("node", all.get(i));
            edges.add(e);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("startCursor", from < to ? cursor(from + 1) : null);
        info.put("endCursor", from < to ? cursor(to) : null);
        info.put("hasNextPage", to < all.size());
        info.put("hasPreviousPage", from > 0);
        return new Connection(nodes, edges, info, all.size());
    }
}
