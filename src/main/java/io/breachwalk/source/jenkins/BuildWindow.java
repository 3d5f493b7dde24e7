package io.breachwalk.source.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.playbook.Window;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds every retained build of one job that started in the window, without reading the whole history.
 * {@code allBuilds} is newest first and build timestamps grow with build numbers, so: read the newest page; if even
 * its oldest build is after the window, gallop ({@code {i}} single-build ranges at 100, 200, 400, ...) and then
 * binary-search for the first build that started before the window's end; from there read pages of 100 until a build
 * started before the window. A 10,000-build job with the window at its very start costs about 30 requests, not 100.
 */
final class BuildWindow {

    record Build(int number, Instant timestamp, String result, String url) { }

    /**
     * The in-window builds (newest first); the nearest retained build after the window and before it (null when
     * none); and the newest build number (0 when no build is retained).
     */
    record Result(List<Build> inWindow, Build after, Build before, int newest, int requests) { }

    static final String FIELDS = "number,timestamp,result,url";
    private static final int PAGE = 100;

    private final JenkinsHttp http;
    private final String jobPath;
    private int requests;

    BuildWindow(JenkinsHttp http, String jobPath) {
        this.http = http;
        this.jobPath = jobPath;
    }

    Result find(Window window) throws IOException {
        List<Build> current = page(0, PAGE);
        if (current.isEmpty()) return new Result(List.of(), null, null, 0, requests);
        int newest = current.get(0).number();
        int offset = 0;
        int requested = PAGE;
        if (firstIndexBefore(current, window.until()) < 0 && current.size() == PAGE) {
            // Gallop: every build up to index lo started at or after the window's end.
            int lo = PAGE - 1;
            int step = PAGE;
            int hi;
            while (true) {
                hi = lo + step;
                Build b = single(hi);
                if (b == null || b.timestamp().isBefore(window.until())) break;
                lo = hi;
                step *= 2;
            }
            // Narrow (lo, hi] to one page, then read that page: it holds the first build before the end.
            while (hi - lo > PAGE) {
                int mid = (lo + hi) >>> 1;
                Build b = single(mid);
                if (b == null || b.timestamp().isBefore(window.until())) hi = mid; else lo = mid;
            }
            offset = lo;
            requested = PAGE + 1;
            current = page(lo, lo + requested);
        }
        Build after = null;
        List<Build> in = new ArrayList<>();
        while (true) {
            for (Build b : current) {
                if (!b.timestamp().isBefore(window.until())) {
                    after = b;
                } else if (b.timestamp().isBefore(window.since())) {
                    return new Result(in, after, b, newest, requests);
                } else {
                    in.add(b);
                }
            }
            if (current.size() < requested) break;   // the oldest retained build was in this page
            offset += current.size();
            requested = PAGE;
            current = page(offset, offset + PAGE);
            if (current.isEmpty()) break;
        }
        return new Result(in, after, null, newest, requests);
    }

    private static int firstIndexBefore(List<Build> builds, Instant until) {
        for (int i = 0; i < builds.size(); i++) if (builds.get(i).timestamp().isBefore(until)) return i;
        return -1;
    }

    private Build single(int index) throws IOException {
        List<Build> p = page(index, index + 1);
        return p.isEmpty() ? null : p.get(0);
    }

    private List<Build> page(int from, int to) throws IOException {
        requests++;
        JsonNode n = http.json(jobPath + "api/json?tree=allBuilds[" + FIELDS + "]{" + from + "," + to + "}");
        List<Build> out = new ArrayList<>();
        if (n == null) throw new io.breachwalk.source.HttpFailure(io.breachwalk.source.HttpFailure.Kind.NOT_FOUND, 404, null, "HTTP 404 for " + jobPath);
        for (JsonNode b : n.path("allBuilds")) {
            out.add(new Build(b.path("number").asInt(), Instant.ofEpochMilli(b.path("timestamp").asLong()),
                    b.path("result").isNull() ? null : b.path("result").asText(), b.path("url").asText()));
        }
        return out;
    }
}
