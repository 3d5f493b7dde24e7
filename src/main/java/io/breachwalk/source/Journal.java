package io.breachwalk.source;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.WalkResult;
import io.breachwalk.files.Json;
import io.breachwalk.files.OwnerOnlyFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The resume journal: one JSON line per finished unit (repository, Jenkins job), in `OUT/.state/journal.jsonl`,
 * forced to disk after each line so that `kill -9` or a power cut loses at most the unit in progress. The first line
 * records what the scan was (playbook, window, targets); a different scan in the same folder starts a new journal.
 */
public final class Journal implements AutoCloseable {

    /** Where the journal of a different scan goes when this one starts afresh, until this one has a report. */
    public static final String REPLACED_FILE = "journal.replaced.jsonl";

    private static final ObjectMapper MAPPER = Json.mapper().copy().disable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final List<Entry> entries;
    private final boolean resumed;
    private final String replaced;
    private FileChannel channel;
    private OutputStream out;

    private Journal(Path file, List<Entry> entries, boolean resumed, String replaced) {
        this.file = file;
        this.entries = entries;
        this.resumed = resumed;
        this.replaced = replaced;
    }

    /** Opens the journal of this scan in {@code outDir}, keeping earlier entries only if {@code identity} matches. */
    public static Journal open(Path outDir, String identity) throws IOException {
        return open(outDir, identity, "");
    }

    /**
     * Opens the journal of this scan in {@code outDir}, keeping earlier entries only if {@code identity} matches;
     * {@code about} describes the scan in words, for the message a later, different scan gives when it starts afresh.
     */
    public static Journal open(Path outDir, String identity, String about) throws IOException {
        Path dir = outDir.resolve(".state");
        OwnerOnlyFiles.createOwnerOnlyDirectory(dir);
        Path file = dir.resolve("journal.jsonl");
        List<Entry> entries = new ArrayList<>();
        boolean keep = false;
        String replaced = null;
        if (Files.isRegularFile(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Header earlier = lines.isEmpty() ? null : Header.parse(lines.get(0));
            if (earlier != null && identity.equals(earlier.scan())) {
                keep = true;
                for (String line : lines.subList(1, lines.size())) {
                    try {
                        entries.add(MAPPER.readValue(line, Entry.class));
                    } catch (IOException e) {
                        // The last line of a killed scan may be cut short: that unit is walked again.
                        break;
                    }
                }
            } else {
                String what = earlier == null || earlier.about() == null || earlier.about().isBlank()
                        ? "an earlier scan" : earlier.about();
                replaced = what + ", stopped " + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .withZone(java.time.ZoneOffset.UTC).format(Files.getLastModifiedTime(file).toInstant());
            }
        }
        if (replaced != null) {
            // Kept aside, not deleted: if this scan cannot start, the interrupted one can still be resumed.
            Files.move(file, dir.resolve(REPLACED_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else if (!keep) {
            Files.deleteIfExists(file);
        }
        Journal journal = new Journal(file, entries, keep, replaced);
        journal.openForAppend(identity, about, keep);
        return journal;
    }

    /** The first line of a journal: what the scan was. */
    record Header(@JsonProperty("breachwalk_journal") int version, @JsonProperty("scan") String scan,
                          @JsonProperty("about") String about) {
        static Header parse(String line) {
            try {
                return MAPPER.readValue(line, Header.class);
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static String header(String identity, String about) {
        return "{\"breachwalk_journal\":1,\"scan\":" + quote(identity)
                + (about == null || about.isBlank() ? "" : ",\"about\":" + quote(about)) + "}";
    }

    /** True when this scan's own journal was found (an interrupted run of the same scan), entries or not. */
    public boolean resumed() {
        return resumed;
    }

    /** The journal of a different scan that this one replaced, in words (what and when); null if none. */
    public String replaced() {
        return replaced;
    }

    private static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void openForAppend(String identity, String about, boolean keep) throws IOException {
        // Rewrite the file with only the complete entries, so a torn last line does not sit before new ones.
        StringBuilder clean = new StringBuilder(header(identity, about)).append('\n');
        for (Entry e : entries) {
            clean.append(MAPPER.writeValueAsString(e)).append('\n');
        }
        OwnerOnlyFiles.replace(file, clean);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        out = java.nio.channels.Channels.newOutputStream(channel);
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    synchronized void append(Entry entry) throws IOException {
        byte[] line = (MAPPER.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(line);
        out.flush();
        channel.force(false);
        entries.add(entry);
    }

    /** Removes the journal after the final reports are written: a finished scan starts afresh next time. */
    public synchronized void finish() throws IOException {
        close();
        Files.deleteIfExists(file);
        try {
            Files.deleteIfExists(file.getParent());
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // Something else of ours lives there; leave it.
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null && channel.isOpen()) {
            channel.close();
        }
    }

    public record Entry(@JsonProperty("provider") String provider, @JsonProperty("unit") String unit,
                        @JsonProperty("jobs") List<JobFinding> jobs,
                        @JsonProperty("exposures") List<Exposure> exposures,
                        @JsonProperty("gaps") List<Gap> gaps,
                        @JsonProperty("counts") WalkResult.Counts counts,
                        @JsonProperty("evidence") List<EvidenceRecord> evidence) {
        public Entry {
            evidence = evidence == null ? List.of() : evidence; // journals written before evidence existed
        }
    }
}
