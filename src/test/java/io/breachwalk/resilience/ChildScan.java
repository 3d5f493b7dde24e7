package io.breachwalk.resilience;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * breachwalk in a child JVM, so that a test can kill it the hard way (SIGKILL via destroyForcibly: no shutdown hook,
 * no flush) and start it again, as a power cut or `kill -9` would. The classpath is the test JVM's own (surefire puts
 * target/classes and every dependency on it).
 */
final class ChildScan {

    private ChildScan() { }

    static Process start(List<String> args, Map<String, String> env, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");   // a short-lived CLI: start fast
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add("io.breachwalk.cli.Main");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.endsWith("_TOKEN") || k.equals("JENKINS_USER"));
        pb.environment().putAll(env);
        return pb.start();
    }

    static String classpath() {
        String cp = System.getProperty("java.class.path");
        // surefire may hand the test JVM a manifest-only booter jar; its real classpath is in surefire.test.class.path
        String real = System.getProperty("surefire.test.class.path");
        if (real != null && !real.isBlank()) cp = real;
        List<String> keep = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) if (!e.contains("surefire")) keep.add(e);
        return String.join(File.pathSeparator, keep);
    }
}
