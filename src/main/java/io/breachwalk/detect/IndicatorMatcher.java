package io.breachwalk.detect;

import io.breachwalk.playbook.ActionIndicator;
import io.breachwalk.playbook.LogIndicator;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.ScriptIndicator;
import io.breachwalk.playbook.VersionedIndicator;
import io.breachwalk.playbook.WrapperIndicator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Matches configuration fragments and log lines against a playbook's indicators. Provider readers parse their
 * formats and hand the pieces (a `uses:` reference, a shell script, an orb, a log line) to this one class, so that
 * every provider applies the same version rules.
 */
public final class IndicatorMatcher {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,40}");
    /** Longest line we look at; longer lines are cut (a minified blob in a script is not a curl command). */
    private static final int MAX_LINE = 8192;

    private final Playbook playbook;

    public IndicatorMatcher(Playbook playbook) {
        this.playbook = playbook;
    }

    public Playbook playbook() {
        return playbook;
    }

    /**
     * A GitHub Actions `uses:` value such as `codecov/codecov-action@v1`, `owner/repo/path@ref` or a local
     * `./.github/actions/x` (never matched here: the caller follows local actions).
     */
    public Optional<Match> action(String uses) {
        return knownAction(uses).or(() -> wrapperAction(uses));
    }

    /** The playbook's own actions only (codecov/codecov-action with its version rules), no wrapper patterns. */
    public Optional<Match> knownAction(String uses) {
        if (uses == null || uses.isBlank() || uses.startsWith("./") || uses.startsWith("docker://")) {
            return Optional.empty();
        }
        String value = uses.trim();
        int at = value.lastIndexOf('@');
        String name = (at < 0 ? value : value.substring(0, at)).toLowerCase(Locale.ROOT);
        String ref = at < 0 ? "" : value.substring(at + 1).trim();
        String repo = repositoryOf(name);
        for (ActionIndicator indicator : playbook.indicators().actions()) {
            if (!repo.equals(indicator.repository().toLowerCase(Locale.ROOT))) {
                continue;
            }
            String how = indicator.how() + (ref.isEmpty() ? "" : "@" + shortRef(ref));
            if (ref.isEmpty()) {
                return Optional.of(new Match(indicator.repository(), how, true, true,
                        value + " has no ref; cannot tell the version"));
            }
            if (SHA.matcher(ref.toLowerCase(Locale.ROOT)).matches()) {
                return Optional.of(classifySha(indicator, value, ref.toLowerCase(Locale.ROOT), how));
            }
            boolean affected = indicator.affectedRefs().stream().anyMatch(glob -> Globs.matches(glob, ref));
            return Optional.of(new Match(indicator.repository(), how, affected, false,
                    value + (affected ? " is an affected version" : " is not an affected version")));
        }
        return Optional.empty();
    }

    /**
     * A third-party action whose name says it may wrap the compromised step (the playbook's wrapper patterns): at most
     * `possible`; readers follow it where they can read it.
     */
    public Optional<Match> wrapperAction(String uses) {
        if (uses == null || uses.isBlank() || uses.startsWith("./") || uses.startsWith("docker://")
                || knownAction(uses).isPresent()) {
            return Optional.empty();
        }
        String value = uses.trim();
        int at = value.lastIndexOf('@');
        String name = (at < 0 ? value : value.substring(0, at)).toLowerCase(Locale.ROOT);
        for (WrapperIndicator wrapper : playbook.indicators().wrapperActions()) {
            if (wrapper.pattern().matcher(name).find()) {
                return Optional.of(new Match(name, wrapper.how() + ":" + value, true, true,
                        value + " may wrap the compromised step (third-party action)"));
            }
        }
        return Optional.empty();
    }

    private Match classifySha(ActionIndicator indicator, String uses, String sha, String how) {
        Map<String, String> classes = playbook.actionCommits().getOrDefault(
                indicator.repository().toLowerCase(Locale.ROOT), Map.of());
        String cls = classes.get(sha);
        if (cls == null && sha.length() < 40) {
            for (Map.Entry<String, String> e : classes.entrySet()) {
                if (e.getKey().startsWith(sha)) {
                    cls = e.getValue();
                    break;
                }
            }
        }
        if (cls == null) {
            return new Match(indicator.repository(), how, true, true,
                    uses + " pins a commit not in the playbook's list of " + indicator.repository() + " commits");
        }
        boolean affected = indicator.affectedClasses().contains(cls);
        return new Match(indicator.repository(), how, affected, false, uses + " pins a commit of class " + cls);
    }

    /** `owner/repo/sub/path` -> `owner/repo`. */
    private static String repositoryOf(String name) {
        String[] parts = name.split("/");
        return parts.length >= 2 ? parts[0] + "/" + parts[1] : name;
    }

    private static String shortRef(String ref) {
        return SHA.matcher(ref.toLowerCase(Locale.ROOT)).matches() && ref.length() > 12 ? ref.substring(0, 12) : ref;
    }

    /**
     * Every line of a shell script that matches a script indicator (first indicator wins per line). Shell comment
     * lines are skipped: a commented-out uploader never ran. Line continuations are joined so that a curl split over
     * lines is seen whole; the reported line is the first of the joined lines.
     */
    public List<ScriptMatch> script(String text) {
        List<ScriptMatch> matches = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return matches;
        }
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i;
            StringBuilder joined = new StringBuilder(cut(lines[i]));
            while (endsWithContinuation(joined) && i + 1 < lines.length) {
                joined.setLength(joined.length() - 1);
                joined.append(' ').append(cut(lines[++i]).trim());
            }
            String line = ShellText.stripComment(joined.toString()).trim();
            if (line.isEmpty()) {
                continue;
            }
            for (ScriptIndicator indicator : playbook.indicators().scripts()) {
                if (indicator.pattern().matcher(line).find()) {
                    matches.add(new ScriptMatch(first + 1, indicator.how(), indicator.affected(),
                            "possible".equals(indicator.confidence()), line));
                    break;
                }
            }
        }
        return matches;
    }

    /** The affected matches of {@link #script}, for callers that only care whether a script runs the step. */
    public List<ScriptMatch> affectedScript(String text) {
        return script(text).stream().filter(ScriptMatch::affected).toList();
    }

    private static boolean endsWithContinuation(CharSequence s) {
        return s.length() > 0 && (s.charAt(s.length() - 1) == '\\' || s.charAt(s.length() - 1) == '`');
    }

    private static String cut(String line) {
        return line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line;
    }

    /** A CircleCI orb reference `codecov/codecov@1.0.5`. */
    public Optional<Match> orb(String orbRef) {
        return versioned(playbook.indicators().orbs(), orbRef, "/");
    }

    /** A Bitrise step reference `codecov@1.1.6` (a bare id takes the newest version). */
    public Optional<Match> bitriseStep(String stepRef) {
        if (stepRef == null) {
            return Optional.empty();
        }
        String ref = stepRef.trim();
        // Bitrise accepts `git::https://...codecov...@ref` and `steplib-url::id@ver`; keep the id@ver part.
        int sep = ref.lastIndexOf("::");
        if (sep >= 0) {
            ref = ref.substring(sep + 2);
        }
        return versioned(playbook.indicators().bitriseSteps(), ref, null);
    }

    private Optional<Match> versioned(List<VersionedIndicator> indicators, String reference, String mustContain) {
        if (reference == null || reference.isBlank()) {
            return Optional.empty();
        }
        String value = reference.trim();
        int at = value.lastIndexOf('@');
        String name = (at < 0 ? value : value.substring(0, at)).trim().toLowerCase(Locale.ROOT);
        String version = at < 0 ? "" : value.substring(at + 1).trim();
        for (VersionedIndicator indicator : indicators) {
            if (!name.equals(indicator.name().toLowerCase(Locale.ROOT))) {
                continue;
            }
            boolean affected = version.isEmpty()
                    ? indicator.affectedVersions().contains("*")
                    : indicator.affectedVersions().stream().anyMatch(glob -> Globs.matches(glob, version));
            String how = indicator.how() + (version.isEmpty() ? "" : "@" + version);
            return Optional.of(new Match(indicator.name(), how, affected, false,
                    value + (affected ? " is an affected version" : " is not an affected version")));
        }
        return Optional.empty();
    }

    /** A log line that shows the compromised step ran (or was fetched). The first matching indicator wins. */
    public Optional<LogMatch> log(String line) {
        if (line == null || line.isEmpty()) {
            return Optional.empty();
        }
        String text = cut(line);
        for (LogIndicator indicator : playbook.indicators().logs()) {
            if (indicator.pattern().matcher(text).find()) {
                return Optional.of(new LogMatch(indicator.id(), indicator.provesRan(), text.trim()));
            }
        }
        return Optional.empty();
    }
}
