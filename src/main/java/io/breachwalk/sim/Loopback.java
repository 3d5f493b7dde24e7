package io.breachwalk.sim;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP server every simulator runs on: a free port of the loopback address only (never reachable from the
 * network), one handler for every path, and a small pool of daemon threads so a test that forgets to close it does
 * not keep the JVM alive.
 */
public final class Loopback implements AutoCloseable {
    private static final int THREADS = 8;
    private static final int BACKLOG = 64;

    private final HttpServer server;
    private final ExecutorService executor;

    private Loopback(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves {@code handler} on a new loopback port; {@code threadName} names the pool's threads (e.g. github-sim). */
    public static Loopback start(String threadName, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return new Loopback(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** http://127.0.0.1:PORT, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
