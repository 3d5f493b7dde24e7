package io.breachwalk.playbook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        PlaybookFile file;
        try {
            unknownTopLevelKey(yaml, source);
            file = mapper().readValue(yaml, PlaybookFile.class);
        } catch (JsonProcessingException e) {
            throw new PlaybookException(source + describe(e));
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

    /**
     * Jackson reports a missing required field before an unknown one, so a typo (`indicatorz:`) would read as
     * "missing indicators"; name the typo first, with its line.
     */
    private static void unknownTopLevelKey(String yaml, String source) throws JsonProcessingException,
            PlaybookException {
        com.fasterxml.jackson.databind.JsonNode tree = mapper().readTree(yaml);
        if (tree == null || !tree.isObject()) {
            throw new PlaybookException(source + ": a playbook is a YAML mapping with " + String.join(", ", TOP_LEVEL));
        }
        for (java.util.Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_LEVEL.contains(key)) {
                String[] lines = yaml.split("\n", -1);
                int line = 0;
                for (int i = 0; i < lines.length; i++) {
                    if (lines[i].startsWith(key + ":")) {
                        line = i + 1;
                        break;
                    }
                }
                throw new PlaybookException(source + (line > 0 ? ": line " + line : "") + ": unknown field `" + key
                        + "`; known: " + String.join(", ", TOP_LEVEL));
            }
        }
    }

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

    private static ObjectMapper mapper() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(options).build();
        return new ObjectMapper(factory)
                .registerModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** ": line N: what is wrong", from Jackson's location and the root cause's message. */
    private static String describe(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        String line = where != null && where.getLineNr() > 0 ? ": line " + where.getLineNr() : "";
        String field = "";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            field = " (" + path + ")";
        }
        String what;
        if (e instanceof UnrecognizedPropertyException unknown) {
            what = "unknown field `" + unknown.getPropertyName() + "`; known: " + unknown.getKnownPropertyIds();
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            what = firstLine(root == e ? e.getOriginalMessage() : root.getMessage())
                    .replaceAll("Missing required creator property '([^']*)'.*", "missing required field `$1`");
        }
        return line + field + ": " + what;
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
