package io.breachwalk.detect.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Codecov 2021 indicator rules used until the core's playbook-driven IndicatorMatcher is on main; then
 * {@code CoreIndicators} adapts that matcher and this class goes.
 */
public final class InterimIndicators implements Indicators {
    private static final OffsetDateTime WINDOW_END = OffsetDateTime.parse("2021-04-02T07:00:00Z");
    private static final Pattern ACTION = Pattern.compile("(?i)^codecov/codecov-action@(.+)$");
    private static final Pattern SEMVER = Pattern.compile("^v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?$");
    private static final Pattern SHA = Pattern.compile("^[0-9a-fA-F]{40}$");

    /** sha -> class; tags file first because the commit file labels commits by the moving major tags. */
    private final Map<String, String> shaClass = new HashMap<>();

    public InterimIndicators() {
        for (Path dir : List.of(Path.of("../shared/playbook-data"), Path.of("../../shared/playbook-data"),
                Path.of("/work/shared/playbook-data"))) {
            if (Files.isDirectory(dir)) {
                load(dir);
                break;
            }
        }
    }

    private void load(Path dir) {
        try {
            for (String l : Files.readAllLines(dir.resolve("codecov-action-commits.tsv"))) {
                String[] f = l.split("\t");
                if (f.length < 4 || l.startsWith("#") || !SHA.matcher(f[0]).matches()) continue;
                boolean afterWindow = OffsetDateTime.parse(f[2]).isAfter(WINDOW_END);
                // A commit made after the window cannot have run during it, whatever release it belongs to.
                shaClass.put(f[0].toLowerCase(Locale.ROOT), afterWindow ? "after-window" : f[3]);
            }
            for (String l : Files.readAllLines(dir.resolve("codecov-action-tags.tsv"))) {
                String[] f = l.split("\t");
                if (f.length < 4 || l.startsWith("#") || !SHA.matcher(f[1]).matches()) continue;
                String cls = OffsetDateTime.parse(f[2]).isAfter(WINDOW_END) ? "after-window:" + f[0] : f[3];
                shaClass.put(f[1].toLowerCase(Locale.ROOT), cls);
            }
        } catch (IOException | RuntimeException e) {
            shaClass.clear();
        }
    }

    @Override
    public Optional<Hit> action(String uses) {
        if (uses == null) return Optional.empty();
        Matcher m = ACTION.matcher(uses.trim());
        if (!m.matches()) return Optional.empty();
        String ref = m.group(1).trim();
        String how = "codecov-action@" + ref;
        if (ref.equals("master") || ref.equals("main")) return Optional.of(new Hit(how, true, "moving ref in the window: v1.2.1-v1.3.1"));
        if (SHA.matcher(ref).matches()) {
            String cls = shaClass.get(ref.toLowerCase(Locale.ROOT));
            if (cls == null) return Optional.of(new Hit(how, true, "unknown commit of codecov-action: presume affected"));
            return Optional.of(new Hit(how, cls.equals("downloads-bash-unverified"), "commit class " + cls));
        }
        Matcher v = SEMVER.matcher(ref);
        if (!v.matches()) return Optional.of(new Hit(how, true, "unrecognised ref: presume affected"));
        int major = Integer.parseInt(v.group(1));
        int minor = v.group(2) == null ? -1 : Integer.parseInt(v.group(2));
        int patch = v.group(3) == null ? -1 : Integer.parseInt(v.group(3));
        boolean affected;
        if (major == 0) affected = true;
        else if (major == 1) affected = minor < 0 || minor < 3 || (minor == 3 && patch <= 2);
        else affected = false;
        return Optional.of(new Hit(how, affected, affected ? "downloads and runs codecov.io/bash" : "does not run the 2021 bash uploader"));
    }

    private static final Pattern UPLOADER = Pattern.compile("(?i)codecov\\.io/bash\\b");
    private static final Pattern UPLOAD_API = Pattern.compile("(?i)codecov\\.io/(upload|api)");
    private static final Pattern PY_INSTALL = Pattern.compile("(?i)\\b(pip3?|conda|mamba)\\b[^\\n]*\\binstall\\b[^\\n]*(?<![\\w.-])codecov(?![\\w.-])");
    private static final Pattern EXE = Pattern.compile("(?i)codecov\\.exe|choco\\s+install\\s+codecov");
    private static final Pattern NPM = Pattern.compile("(?i)node_modules/\\.bin/codecov|\\bnpx\\s+codecov|\\b(npm|yarn)\\b[^\\n]*\\b(install|add|i)\\b[^\\n]*(?<![\\w@/.-])codecov(?![\\w.-])");
    private static final Pattern RUBY = Pattern.compile("(?i)gem\\s+install\\s+codecov|require\\s+['\"]codecov['\"]|Formatter::Codecov");
    private static final Pattern BARE = Pattern.compile("(?i)(^|[;&|(]\\s*|\\bpython3?\\s+-m\\s+|\\bpy\\s+-\\S+\\s+-m\\s+|\\[\\s*['\"])codecov(['\"]|\\s|$)");

    @Override
    public List<ScriptHit> script(String text) {
        List<ScriptHit> out = new ArrayList<>();
        if (text == null) return out;
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String code = stripComment(lines[i]);
            if (code.isBlank()) continue;
            String how = null;
            boolean affected = false;
            if (UPLOADER.matcher(code).find()) { how = "curl-bash"; affected = true; }
            else if (UPLOAD_API.matcher(code).find()) how = "curl-upload-api";
            else if (EXE.matcher(code).find()) how = "codecov-exe";
            else if (NPM.matcher(code).find()) how = "npm-codecov";
            else if (RUBY.matcher(code).find()) how = "ruby-codecov";
            else if (PY_INSTALL.matcher(code).find() || BARE.matcher(code.trim()).find()) how = "python-codecov";
            if (how != null) out.add(new ScriptHit(i + 1, how, affected, lines[i].trim()));
        }
        return out;
    }

    /** Drops shell, batch and Groovy comments, keeping anything inside quotes. */
    static String stripComment(String line) {
        String t = line.trim();
        if (t.startsWith("#") || t.startsWith("//") || t.startsWith("::") || t.regionMatches(true, 0, "rem ", 0, 4)) return "";
        boolean single = false, dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
            else if (c == '#' && !single && !dbl && i > 0 && Character.isWhitespace(line.charAt(i - 1))) return line.substring(0, i);
        }
        return line;
    }

    private static final Pattern ORB = Pattern.compile("(?i)^codecov/codecov@(.+)$");

    @Override
    public Optional<Hit> orb(String orbRef) {
        if (orbRef == null) return Optional.empty();
        Matcher m = ORB.matcher(orbRef.trim());
        if (!m.matches()) return Optional.empty();
        String ver = m.group(1);
        if (ver.equals("volatile")) return Optional.of(new Hit("orb", true, "volatile resolved to 1.1.x in the window"));
        Matcher v = SEMVER.matcher(ver);
        if (!v.matches()) return Optional.of(new Hit("orb", true, "unrecognised orb version: presume affected"));
        int major = Integer.parseInt(v.group(1));
        int minor = v.group(2) == null ? -1 : Integer.parseInt(v.group(2));
        int patch = v.group(3) == null ? -1 : Integer.parseInt(v.group(3));
        boolean affected = major == 1 && (minor < 1 || (minor == 1 && (patch < 0 || patch <= 3)));
        return Optional.of(new Hit("orb", affected, "codecov/codecov@" + ver));
    }

    private static final Pattern BITRISE = Pattern.compile("(?i)^(?:git::\\S*steps-codecov\\S*?|codecov)(?:@(.+))?$");

    @Override
    public Optional<Hit> bitriseStep(String stepRef) {
        if (stepRef == null) return Optional.empty();
        Matcher m = BITRISE.matcher(stepRef.trim());
        if (!m.matches()) return Optional.empty();
        String ver = m.group(1);
        if (ver == null || !SEMVER.matcher(ver).matches()) return Optional.of(new Hit("bitrise-step", true, stepRef + ": all releases to 1.1.6 run the bash uploader"));
        Matcher v = SEMVER.matcher(ver);
        v.matches();
        int major = Integer.parseInt(v.group(1));
        int minor = v.group(2) == null ? 0 : Integer.parseInt(v.group(2));
        int patch = v.group(3) == null ? 0 : Integer.parseInt(v.group(3));
        boolean affected = major < 1 || (major == 1 && (minor < 1 || (minor == 1 && patch <= 6)));
        return Optional.of(new Hit("bitrise-step", affected, stepRef));
    }
}
