package io.breachwalk.evidence;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.breachwalk.files.Json;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.text.Redactor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The evidence folder (`OUT/evidence/`): every file a verdict rests on, stored once under the sha256 of its content.
 * File names are hashes only, never names from a CI system, so nothing a CI system says can place a file outside
 * the folder. Content and source URLs pass the {@link Redactor} first: tokens never land here. `index.jsonl` says
 * for each (hash, URL) where and when it was retrieved; storing the same content again changes nothing, so a resumed
 * or repeated scan leaves the same files (the index keeps the first retrieval time).
 */
public final class EvidenceStore {

    public static final String DIR = "evidence";
    public static final String INDEX = "index.jsonl";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper LINE = Json.mapper().copy().disable(SerializationFeature.INDENT_OUTPUT);

    /** One line of index.jsonl. */
    public record IndexEntry(@JsonProperty("hash") String hash, @JsonProperty("kind") String kind,
                             @JsonProperty("url") String url, @JsonProperty("retrieved_at") Instant retrievedAt,
                             @JsonProperty("media_type") String mediaType, @JsonProperty("size") long size) {
    }

    /** Computes hashes and stores nothing: for walks run without an output folder (unit tests). */
    public static final EvidenceStore NONE = new EvidenceStore(null, Redactor.none(), Clock.systemUTC(), false);

    private final Path dir;
    private final Redactor redactor;
    private final Clock clock;
    private final boolean writable;
    private final Map<String, IndexEntry> index = new LinkedHashMap<>();
    /** Appends to index.jsonl; open from the first new entry until {@link #finish()}. Guarded by {@code this}. */
    private FileChannel indexOut;

    private EvidenceStore(Path dir, Redactor redactor, Clock clock, boolean writable) {
        this.dir = dir;
        this.redactor = redactor;
        this.clock = clock;
        this.writable = writable;
    }

    /** Opens (creating owner-only) the evidence folder of a scan's output folder, keeping what is already there. */
    public static EvidenceStore open(Path outDir, Redactor redactor, Clock clock) throws IOException {
        Path dir = outDir.resolve(DIR);
        OwnerOnlyFiles.createOwnerOnlyDirectory(dir);
        EvidenceStore store = new EvidenceStore(dir, redactor, clock, true);
        store.loadIndex();
        return store;
    }

    /** Opens an evidence folder to read from (`scan --offline`): nothing is written there. */
    public static EvidenceStore readOnly(Path evidenceDir) throws IOException {
        if (!Files.isDirectory(evidenceDir)) {
            throw new IOException(evidenceDir + " is not a folder");
        }
        EvidenceStore store = new EvidenceStore(evidenceDir, Redactor.none(), Clock.systemUTC(), false);
        store.loadIndex();
        return store;
    }

    public Path dir() {
        return dir;
    }

    private void loadIndex() throws IOException {
        Path file = dir.resolve(INDEX);
        if (!Files.isRegularFile(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                IndexEntry e = LINE.readValue(line, IndexEntry.class);
                if (e.hash() != null && HASH.matcher(e.hash()).matches()) {
                    index.putIfAbsent(e.hash() + " " + e.url(), e);
                }
            } catch (IOException e) {
                // A line cut short by a killed scan: its file is stored again when the resumed scan meets it.
            }
        }
    }

    /**
     * Stores {@code content} (redacted) and returns its hash. {@code url} is where it came from (redacted too);
     * {@code mediaType} what it is (`application/json`, `text/plain`, `application/xml`, `text/yaml`).
     */
    public String put(String kind, String url, String mediaType, String content) {
        String clean = redactor.redact(content == null ? "" : content);
        byte[] bytes = clean.getBytes(StandardCharsets.UTF_8);
        String hash = sha256(bytes);
        if (!writable) {
            return hash;
        }
        String source = redactor.redact(url == null ? "" : url);
        synchronized (this) {
            try {
                Path file = dir.resolve(hash);
                if (!storedWithSize(file, bytes.length) && !OwnerOnlyFiles.createNew(file, bytes)) {
                    OwnerOnlyFiles.replace(file, bytes); // there, but cut short (a killed scan): written again
                }
                String key = hash + " " + source;
                if (!index.containsKey(key)) {
                    IndexEntry e = new IndexEntry(hash, kind, source, clock.instant().truncatedTo(ChronoUnit.SECONDS),
                            mediaType, bytes.length);
                    index.put(key, e);
                    appendToIndex(LINE.writeValueAsString(e) + "\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store evidence in " + dir, e);
            }
        }
        return hash;
    }

    /** Whether {@code file} is a regular file of this size: one stat instead of two. */
    private static boolean storedWithSize(Path file, long size) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.isRegularFile() && a.size() == size;
        } catch (IOException e) {
            return false; // not there (or unreadable): written (again)
        }
    }

    /**
     * Appends one line to index.jsonl in one write, through a channel kept open between entries (a scan adds one per
     * stored answer); opened owner-only on first use, again after {@link #finish()} closed it.
     */
    private void appendToIndex(String line) throws IOException {
        if (indexOut == null) {
            indexOut = OwnerOnlyFiles.openOwnerOnlyAppend(dir.resolve(INDEX));
        }
        ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            indexOut.write(buffer);
        }
    }

    /** The stored content of a hash, checked against it; empty when the folder does not hold it. */
    public Optional<String> read(String hash) throws IOException {
        if (hash == null || !HASH.matcher(hash).matches() || dir == null) {
            return Optional.empty();
        }
        Path file = dir.resolve(hash);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(file);
        if (!sha256(bytes).equals(hash)) {
            throw new IOException("evidence file " + hash + " does not match its hash (altered?)");
        }
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    public synchronized List<IndexEntry> index() {
        List<IndexEntry> out = new ArrayList<>(index.values());
        out.sort(Comparator.comparing(IndexEntry::hash).thenComparing(IndexEntry::url));
        return out;
    }

    /** Rewrites the index sorted (appended lines arrive in walk order), for stable files between runs. */
    public synchronized void finish() throws IOException {
        if (!writable) {
            return;
        }
        if (indexOut != null) {
            // Closed before the rewrite replaces the file: a later put reopens the new one.
            FileChannel open = indexOut;
            indexOut = null;
            open.close();
        }
        StringBuilder text = new StringBuilder();
        for (IndexEntry e : index()) {
            text.append(LINE.writeValueAsString(e)).append('\n');
        }
        new OwnerOnlyFiles(dir).writeString(INDEX, text.toString());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
