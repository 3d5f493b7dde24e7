package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.sim.QueryString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * GitHub's pagination for the {@link GitHubSimulator}'s lists: per_page and page, Link headers pointing back at the
 * simulator ({@code baseUrl}), total_count for wrapped lists, and the result cap of filtered run listings.
 */
record Pager(String baseUrl) {

    /**
     * One page of a list: per_page (default 30, at most 100), page, Link rel=next/last/first/prev, and total_count
     * when {@code field} wraps the list. {@code cap} > 0 stops the listing after that many results.
     */
    Reply page(List<JsonNode> all, QueryString q, String path, String field, int cap) {
        return page(all, x -> x, q, path, field, cap);
    }

    /** As above, turning only the items of the page into JSON (run listings can be long). */
    <T> Reply page(List<T> all, Function<T, JsonNode> toJson, QueryString q, String path, String field, int cap) {
        int perPage = Math.max(1, Math.min(100, q.intValue("per_page", 30)));
        int page = Math.max(1, q.intValue("page", 1));
        int reachable = cap > 0 ? Math.min(cap, all.size()) : all.size();
        int from = Math.min(reachable, (page - 1) * perPage);
        int to = Math.min(reachable, from + perPage);
        ArrayNode items = Payloads.JSON.createArrayNode();
        all.subList(from, to).forEach(x -> items.add(toJson.apply(x)));
        JsonNode body;
        if (field == null) {
            body = items;
        } else {
            ObjectNode o = Payloads.JSON.createObjectNode();
            o.put("total_count", all.size());
            o.set(field, items);
            body = o;
        }
        int last = Math.max(1, (reachable + perPage - 1) / perPage);
        List<String> links = new ArrayList<>();
        if (page < last) {
            links.add("<" + baseUrl + path + "?" + q.withPage(page + 1) + ">; rel=\"next\"");
            links.add("<" + baseUrl + path + "?" + q.withPage(last) + ">; rel=\"last\"");
        }
        if (page > 1) {
            links.add("<" + baseUrl + path + "?" + q.withPage(1) + ">; rel=\"first\"");
            links.add("<" + baseUrl + path + "?" + q.withPage(Math.min(page - 1, last)) + ">; rel=\"prev\"");
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (!links.isEmpty()) {
            h.put("Link", String.join(", ", links));
        }
        return Reply.json(200, body, h);
    }

}
