package io.breachwalk.sim.jenkins;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Jenkins URL segments: names are percent-encoded once, so a branch job "feature%2Fx" appears as "feature%252Fx". */
final class Urls {
    private Urls() { }

    static String encodeSegment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String decodeSegment(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
