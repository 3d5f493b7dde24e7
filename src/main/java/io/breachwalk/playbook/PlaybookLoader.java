package io.breachwalk.playbook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads and validates playbooks: the bundled ones (classpath `playbooks/`) by id, or a YAML file by path. Every
 * problem is reported as one {@link PlaybookException} line naming the file, the line and what is wrong.
 */
public final class PlaybookLoader {

    public static final String DEFAULT_ID = "codecov-2021";
    /** Bundled playbook ids; `playbooks/index.txt` on the classpath lists them so a jar needs no directory scan. */
    private static final String INDEX = "playbooks/index.txt";
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private PlaybookLoader() {
    }

    /** A bundled id, or a path to a YAML file. */
    public static Playbook load(String idOrFile) throws PlaybookException {
        String ref = idOrFile == null || idOrFile.isBlank() ? DEFAULT_ID : idOrFile;
        if (bundledIds().contains(ref)) {
            return loadBundled(ref);
        }
        Path path = Path.of(ref);
        if (Files.isRegularFile(path)) {
            return loadFile(path);
        }
        throw new PlaybookException("playbook `" + ref + "`: no bundled playbook has that id and no such file exists; "
                + "bundled: " + String.join(", ", bundledIds()) + " (see `breachwalk playbooks`)");
    }

    public static List<String> bundledIds() {
        try (InputStream in = PlaybookLoader.class.getClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            List<String> ids = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    ids.add(line.trim());
                }
            }
            return ids;
        } catch (IOException e) {
            return List.of();
        }
    }

    public static Playbook loadBundled(String id) throws PlaybookException {
        String yaml = resource("playbooks/" + id + ".yaml")
                .orElseThrow(() -> new PlaybookException("playbook `" + id + "` is not bundled"));
        return parse(yaml, "bundled:" + id, name -> resource("playbooks/" + name));
    }

    /** The bundled runbook (Markdown) of a playbook, if any. */
    public static Optional<String> bundledRunbook(String id) {
        return resource("playbooks/" + id + ".md");
    }

    public static Playbook loadFile(Path path) throws PlaybookException {
        String yaml;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new PlaybookException(path + ": the playbook is larger than 4 MB; is this the right file?");
            }
            yaml = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PlaybookException(path + ": cannot read the playbook (" + e.getMessage() + ")");
        }
        Path dir = path.toAbsolutePath().getParent();
        return parse(yaml, path.toString(), name -> {
            Path side = dir.resolve(name).normalize();
            if (!side.startsWith(dir) || !Files.isRegularFile(side)) {
                return resource("playbooks/" + name);
            }
            try {
                return Optional.of(Files.readString(side, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    interface SideFiles {
        Optional<String> read(String name);
    }

    static Playbook parse(String yaml, String source, SideFiles sideFiles) throws PlaybookException {
        PlaybookYaml tree = PlaybookYaml.compose(yaml, source, loaderOptions());
        if (tree.isEmpty()) {
            throw new PlaybookException(source + ": the playbook is empty");
        }
        if (!tree.isMapping()) {
            throw new PlaybookException(source + ": a playbook is a YAML mapping with " + String.join(", ", TOP_LEVEL));
        }
        // Jackson reports a missing required field before an unknown one, so a typo (`repo:` for `repository:`)
        // would read as "missing repository" at the end of the mapping; name the typo first, with its line.
        tree.checkKeys(PlaybookFile.class, source);
        PlaybookFile file;
        try {
            file = mapper().readValue(yaml, PlaybookFile.class);
        } catch (JsonProcessingException e) {
            throw new PlaybookException(source + describe(e, tree));
        } catch (RuntimeException e) {
            // SnakeYAML limits (aliases, nesting) and other parser failures surface as runtime exceptions.
            throw new PlaybookException(source + ": not a valid playbook: " + firstLine(e.getMessage()));
        }
        if (file == null) {
            throw new PlaybookException(source + ": the playbook is empty");
        }
        Map<String, Map<String, String>> commits = new HashMap<>();
        for (ActionIndicator action : file.indicators().actions()) {
            if (action.commitsFile() == null) {
                continue;
            }
            String tsv = sideFiles.read(action.commitsFile()).orElseThrow(() -> new PlaybookException(source
                    + ": commits_file `" + action.commitsFile() + "` of " + action.repository()
                    + " was not found beside the playbook"));
            commits.put(action.repository().toLowerCase(Locale.ROOT), readCommits(tsv));
        }
        return new Playbook(file.id(), file.title(), file.summary() == null ? "" : file.summary().trim(),
                file.references(), new Window(file.window().since(), file.window().until()), file.indicators(),
                file.exposure(), Map.copyOf(commits), source, yaml);
    }

    private static final List<String> TOP_LEVEL = List.of("id", "title", "summary", "references", "window",
            "indicators", "exposure");

    private static Map<String, String> readCommits(String tsv) {
        Map<String, String> bySha = new HashMap<>();
        for (String line : tsv.split("\n")) {
            if (line.startsWith("#") || line.startsWith("sha\t") || line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t");
            if (cells.length >= 4) {
                bySha.put(cells[0].trim().toLowerCase(Locale.ROOT), cells[3].trim());
            }
        }
        return Map.copyOf(bySha);
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowDuplicateKeys(false);
        return options;
    }

    private static ObjectMapper mapper() {
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(loaderOptions()).build();
        return new ObjectMapper(factory)
                .registerModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /**
     * ": line N (path): what is wrong", in the playbook's words: the line from the YAML tree (Jackson's own location
     * is where it stopped reading, often the end of the mapping), no Java type names.
     */
    private static String describe(JsonProcessingException e, PlaybookYaml tree) {
        List<Object> path = new ArrayList<>();
        StringBuilder dotted = new StringBuilder();
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    path.add(ref.getFieldName());
                    dotted.append(dotted.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.add(ref.getIndex());
                    dotted.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        int lineNr = tree.lineOf(path);
        JsonLocation where = e.getLocation();
        if (lineNr <= 0 && where != null) lineNr = where.getLineNr();
        String line = lineNr > 0 ? ": line " + lineNr : "";
        String field = dotted.length() == 0 ? "" : " (" + dotted + ")";
        String name = path.isEmpty() || !(path.get(path.size() - 1) instanceof String f) ? "the value" : "`" + f + "`";
        return line + field + ": " + what(e, name);
    }

    private static String what(JsonProcessingException e, String name) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof PatternSyntaxException bad) {
                return name + " is not a valid regular expression: " + bad.getDescription()
                        + (bad.getIndex() >= 0 ? " near index " + bad.getIndex() : "");
            }
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field `" + unknown.getPropertyName() + "`";
        }
        if (e instanceof InvalidFormatException bad && bad.getTargetType() == Pattern.class
                && bad.getValue() instanceof String regex) {
            // Jackson keeps only the text of the PatternSyntaxException; compiling again gives its parts.
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException syntax) {
                return name + " is not a valid regular expression: " + syntax.getDescription()
                        + (syntax.getIndex() >= 0 ? " near index " + syntax.getIndex() : "");
            }
        }
        if (e instanceof InvalidFormatException bad) {
            return "expected " + expected(bad.getTargetType()) + ", got `" + bad.getValue() + "`";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = firstLine(root == e ? e.getOriginalMessage() : root.getMessage());
        java.util.regex.Matcher missing = Pattern.compile("Missing required creator property '([^']*)'.*").matcher(message);
        if (missing.matches()) {
            return "missing required field `" + missing.group(1) + "`";
        }
        if (e instanceof MismatchedInputException mismatch && root == e) {
            boolean nothing = message.contains("`null`") || message.toLowerCase(Locale.ROOT).contains("null value");
            return "expected " + expected(mismatch.getTargetType()) + (nothing ? ", got nothing" : "");
        }
        return message;
    }

    /** What a value of this type is written as, in the playbook's terms. */
    private static String expected(Class<?> type) {
        if (type == null) return "another value";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type.isEnum()) {
            return "one of " + String.join(", ", java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .toList());
        }
        if (type == java.time.Instant.class) return "a time such as 2021-01-31T00:00:00Z";
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) return "a list";
        if (type == String.class) return "text";
        if (type == Pattern.class) return "a regular expression";
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) return "a number";
        if (type.isRecord() || Map.class.isAssignableFrom(type)) return "a mapping of `key: value` lines";
        return "another value";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static Optional<String> resource(String name) {
        try (InputStream in = PlaybookLoader.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
