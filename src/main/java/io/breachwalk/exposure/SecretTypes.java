package io.breachwalk.exposure;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Classifies secrets by name (or by a value shape seen in a log) using the bundled `playbooks/secret-types.yaml`. */
public final class SecretTypes {

    private static final String RESOURCE = "playbooks/secret-types.yaml";
    /** Where a scan writes rotation.md, relative to its output folder: a path the user has, unlike the jar's. */
    public static final String GUIDE = "guide/rotation.md";
    private static final SecretTypes BUNDLED = load();

    private final List<Entry> entries;

    private SecretTypes(List<Entry> entries) {
        this.entries = entries;
    }

    public static SecretTypes bundled() {
        return BUNDLED;
    }

    /** The first type whose name pattern matches (case-insensitive); `generic` when nothing else does. */
    public SecretType byName(String secretName) {
        String name = secretName == null ? "" : secretName.toUpperCase(Locale.ROOT);
        for (Entry e : entries) {
            for (Pattern p : e.names) {
                if (p.matcher(name).find() || p.matcher(secretName == null ? "" : secretName).find()) {
                    return e.type;
                }
            }
        }
        return new SecretType("generic", false, false, GUIDE + "#generic", null);
    }

    /** The type whose value shape occurs in the text (e.g. an `AKIA...` key printed in a log), if any. */
    public Optional<SecretType> byValue(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Entry e : entries) {
            for (Pattern p : e.values) {
                if (p.matcher(text).find()) {
                    return Optional.of(e.type);
                }
            }
        }
        return Optional.empty();
    }

    /** The value shapes of every type, for redacting anything token-like before it is written anywhere. */
    public List<Pattern> valuePatterns() {
        return entries.stream().flatMap(e -> e.values.stream()).toList();
    }

    public List<SecretType> all() {
        return entries.stream().map(e -> e.type).toList();
    }

    private static SecretTypes load() {
        try (InputStream in = SecretTypes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            File file = new ObjectMapper(new YAMLFactory()).readValue(in, File.class);
            return new SecretTypes(file.types.stream().map(Entry::of).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " is unreadable", e);
        }
    }

    private record File(@JsonProperty("types") List<TypeFile> types) {
    }

    private record TypeFile(@JsonProperty("id") String id, @JsonProperty("critical") boolean critical,
                            @JsonProperty("ephemeral") boolean ephemeral, @JsonProperty("names") List<String> names,
                            @JsonProperty("values") List<String> values, @JsonProperty("guide") String guide,
                            @JsonProperty("vendor") String vendor) {
    }

    private record Entry(SecretType type, List<Pattern> names, List<Pattern> values) {
        static Entry of(TypeFile f) {
            String guide = f.guide() == null ? "rotation.md#" + f.id() : f.guide();
            if (guide.startsWith("rotation.md")) {
                guide = "guide/" + guide;
            }
            return new Entry(new SecretType(f.id(), f.critical(), f.ephemeral(), guide, f.vendor()),
                    compile(f.names()), compile(f.values()));
        }

        private static List<Pattern> compile(List<String> patterns) {
            return patterns == null ? List.of() : patterns.stream().map(Pattern::compile).toList();
        }
    }
}
