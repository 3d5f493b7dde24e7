package io.breachwalk.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's chromium, headless, driven over the DevTools protocol with the JDK's WebSocket client: loads a page
 * and records what a user's browser would do with it (console errors, uncaught exceptions, dialogs, every network
 * request). No test dependency beyond the JDK; CI installs chromium (`apt-get install -y chromium`).
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private String session;

    /** The page as the browser saw it. */
    record Load(List<String> requests, List<String> consoleErrors, List<String> dialogs) {
    }

    static Path binary() {
        String override = System.getenv("BREACHWALK_CHROMIUM");
        List<String> candidates = new ArrayList<>();
        if (override != null && !override.isBlank()) {
            candidates.add(override);
        }
        candidates.addAll(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        // Fail, never skip: CI must prove the page in a real browser.
        throw new IllegalStateException("no headless browser: install Debian's chromium (`apt-get install -y chromium`;"
                + " .ci/run does this in CI) or point BREACHWALK_CHROMIUM at a Chromium binary. Looked at "
                + candidates);
    }

    HeadlessChromium() throws IOException, InterruptedException {
        profile = Files.createTempDirectory("breachwalk-chromium-");
        process = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                "--mute-audio", "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=1200,900", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
            endpoint.completeExceptionally(new IOException("chromium exited before listening"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        String ws;
        try {
            ws = endpoint.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("chromium did not start its DevTools endpoint: " + e + "\n" + stderr(), e);
        }
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(URI.create(ws), new Listener()).join();
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** Opens a fresh tab, loads the URL, waits for `load` and a moment for late console output. */
    Load load(String url) throws Exception {
        String target = call("Target.createTarget", obj().put("url", "about:blank"), null)
                .path("targetId").asText();
        session = call("Target.attachToTarget", obj().put("targetId", target).put("flatten", true), null)
                .path("sessionId").asText();
        for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
            call(domain + ".enable", obj(), session);
        }
        events.clear();
        call("Page.navigate", obj().put("url", url), session);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (events.stream().noneMatch(e -> "Page.loadEventFired".equals(e.path("method").asText()))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the page did not finish loading: " + url);
            }
            Thread.sleep(25);
        }
        Thread.sleep(500);
        List<String> requests = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> dialogs = new ArrayList<>();
        for (JsonNode e : events) {
            JsonNode p = e.path("params");
            switch (e.path("method").asText()) {
                case "Network.requestWillBeSent" -> requests.add(p.path("request").path("url").asText());
                case "Runtime.consoleAPICalled" -> {
                    if (List.of("error", "assert").contains(p.path("type").asText())) {
                        errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
                    }
                }
                case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails"));
                case "Log.entryAdded" -> {
                    if ("error".equals(p.path("entry").path("level").asText())) {
                        errors.add("log: " + p.path("entry").path("text").asText() + " "
                                + p.path("entry").path("url").asText());
                    }
                }
                case "Page.javascriptDialogOpening" -> dialogs.add(p.path("message").asText());
                default -> {
                }
            }
        }
        return new Load(requests, errors, dialogs);
    }

    /** Evaluates an expression in the page; the result comes back as JSON (wrap objects in JSON.stringify). */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", obj().put("expression", expression).put("returnByValue", true), session);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("evaluation failed: " + r.path("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A PNG of the page at the given CSS width, `height` pixels tall from the top (0 = the whole page). */
    byte[] screenshot(int width, int height) throws Exception {
        JsonNode metrics = call("Page.getLayoutMetrics", obj(), session);
        int full = (int) Math.ceil(metrics.path("cssContentSize").path("height").asDouble(900));
        int h = height <= 0 ? full : Math.min(height, full);
        call("Emulation.setDeviceMetricsOverride", obj().put("width", width).put("height", h)
                .put("deviceScaleFactor", 1).put("mobile", false), session);
        JsonNode shot = call("Page.captureScreenshot", obj().put("format", "png").put("captureBeyondViewport", false),
                session);
        return Base64.getDecoder().decode(shot.path("data").asText());
    }

    private static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    private JsonNode call(String method, ObjectNode params, String sessionId) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = obj().put("id", id).put("method", method);
        msg.set("params", params);
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(msg), true).join();
        JsonNode r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + ": " + r.path("error"));
        }
        return r.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.path("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        events.add(msg);
                    }
                } catch (IOException e) {
                    events.add(JSON.createObjectNode().put("method", "unparsable").put("text", partial.toString()));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.sendText("{\"id\":" + ids.incrementAndGet() + ",\"method\":\"Browser.close\"}", true)
                        .get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // The browser may already be gone; the process is ended below either way.
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary profile left behind is harmless.
        }
    }
}
