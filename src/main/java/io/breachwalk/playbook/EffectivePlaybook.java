package io.breachwalk.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A playbook as breachwalk applies it, as YAML: every field, with the defaults filled in (a playbook without
 * `exposure:` gets STEP required and git remote credentials counted), so that a reader sees what a scan will do
 * rather than what the file happens to say. The YAML loads back as the same playbook.
 */
public final class EffectivePlaybook {

    private EffectivePlaybook() {
    }

    public static String yaml(Playbook p) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("id", p.id());
        root.put("title", p.title());
        root.put("summary", p.summary());
        root.put("references", p.references());
        root.put("window", ordered("since", p.window().since().toString(), "until", p.window().until().toString()));
        Indicators i = p.indicators();
        Map<String, Object> indicators = new LinkedHashMap<>();
        indicators.put("actions", list(i.actions(), a -> {
            Map<String, Object> m = ordered("repository", a.repository(), "how", a.how(), "affected_refs",
                    a.affectedRefs());
            if (a.commitsFile() != null) {
                m.put("commits_file", a.commitsFile());
            }
            m.put("affected_classes", a.affectedClasses());
            return m;
        }));
        indicators.put("wrapper_actions", list(i.wrapperActions(),
                w -> ordered("pattern", w.pattern().pattern(), "how", w.how())));
        indicators.put("scripts", list(i.scripts(), s -> {
            Map<String, Object> m = ordered("how", s.how(), "affected", s.affected(), "pattern", s.pattern().pattern());
            if (s.confidence() != null) {
                m.put("confidence", s.confidence());
            }
            return m;
        }));
        Function<VersionedIndicator, Object> versioned = v -> ordered("name", v.name(), "how", v.how(),
                "affected_versions", v.affectedVersions());
        indicators.put("orbs", list(i.orbs(), versioned));
        indicators.put("bitrise_steps", list(i.bitriseSteps(), versioned));
        indicators.put("logs", list(i.logs(), l -> ordered("id", l.id(), "proves", l.proves(), "pattern",
                l.pattern().pattern())));
        root.put("indicators", indicators);
        ExposurePolicy e = p.exposure();
        root.put("exposure", ordered("required", e.required().stream().map(Enum::name).toList(),
                "recommended", e.recommended().stream().map(Enum::name).toList(),
                "git_remote_credentials", e.gitRemoteCredentials()));
        try {
            return "# " + p.source() + " (valid), the effective playbook: every field, defaults filled in.\n"
                    + "# Field reference: docs/playbooks.md. Saved to a file, it loads back as the same playbook"
                    + (i.actions().stream().anyMatch(a -> a.commitsFile() != null)
                    ? "\n# (a commits_file is read beside the file, else from the bundled playbooks)." : ".")
                    + "\n" + mapper().writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException("cannot write the playbook as YAML", ex);
        }
    }

    private static <T> List<Object> list(List<T> items, Function<T, Object> row) {
        return items.stream().map(row).toList();
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < keysAndValues.length; k += 2) {
            m.put((String) keysAndValues[k], keysAndValues[k + 1]);
        }
        return m;
    }

    private static ObjectMapper mapper() {
        org.yaml.snakeyaml.DumperOptions wide = new org.yaml.snakeyaml.DumperOptions();
        wide.setWidth(116); // the summary reads as a paragraph, not at 80 columns
        wide.setIndent(2);
        wide.setIndicatorIndent(2);
        wide.setIndentWithIndicator(true);
        YAMLFactory factory = YAMLFactory.builder().dumperOptions(wide)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build();
        return new ObjectMapper(factory);
    }
}
