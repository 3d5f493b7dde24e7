package io.breachwalk.files;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The output folder: folders it creates are owner-only and files are written owner-only (reports describe
 * credentials), each through a temporary sibling and an atomic move so that a reader never sees half a report. A
 * folder that already exists keeps its mode: `--out .` or a shared folder must not become owner-only. The static
 * helpers do the same for the files every stage keeps beside the reports (resume journal, evidence store).
 */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    /**
     * Folders that hold other people's or the system's files: writing reports into them (or creating them
     * owner-only) is never what was meant.
     */
    private static final Set<String> SYSTEM_FOLDERS = Set.of("/", "/tmp", "/var/tmp", "/dev/shm", "/dev", "/proc",
            "/sys", "/run", "/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr", "/usr/bin", "/usr/lib",
            "/usr/local", "/usr/local/bin", "/usr/share", "/etc", "/var", "/var/lib", "/var/log", "/opt", "/srv",
            "/mnt", "/media", "/home", "/root", "/Users", "/private/tmp", "/private/var/tmp", "/System", "/Library",
            "/Applications", "/Volumes");

    private final Path dir;
    private final Path base;

    public OwnerOnlyFiles(Path dir) throws IOException {
        this.dir = dir;
        this.base = dir.toAbsolutePath().normalize();
        createOwnerOnlyDirectory(base);
    }

    public Path dir() {
        return dir;
    }

    /** `x/../y` as `y`, `./` as `.`: the folder as the user means it, for messages and for creating it. */
    public static Path normalized(Path dir) {
        Path n = dir.normalize();
        return n.toString().isEmpty() ? Path.of(".") : n;
    }

    /**
     * Why {@code dir} cannot be an output folder, in words ("exists and is not a folder", "permission denied", a
     * system folder); empty when it can. Creates nothing, so that a command can refuse before any work.
     */
    public static Optional<String> problem(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (isSystemFolder(abs)) {
            return Optional.of("is a system folder (the reports describe credentials); give a folder of their own, "
                    + "e.g. --out " + abs.resolve("breachwalk-out"));
        }
        try {
            Path real = Files.exists(abs) ? abs.toRealPath() : null;
            if (real != null && isSystemFolder(real)) {
                return Optional.of("is the system folder " + real + "; give a folder of its own inside it");
            }
        } catch (IOException e) {
            // Unresolvable: the checks below say why.
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            if (Files.isSymbolicLink(existing)) {
                return Optional.of(existing.equals(abs) ? "is a link to nothing" : existing + " is a link to nothing");
            }
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.empty();
        }
        String where = existing.equals(abs) ? "" : " (" + existing + ")";
        if (!Files.isDirectory(existing)) {
            return Optional.of(existing.equals(abs) ? "exists and is not a folder"
                    : existing + " exists and is not a folder");
        }
        if (!Files.isWritable(existing) || !Files.isExecutable(existing)) {
            return Optional.of("permission denied" + where);
        }
        return Optional.empty();
    }

    private static boolean isSystemFolder(Path abs) {
        if (abs.getRoot() != null && abs.equals(abs.getRoot())) {
            return true;
        }
        if (SYSTEM_FOLDERS.contains(abs.toString().replace('\\', '/'))) {
            return true;
        }
        for (String p : new String[]{System.getProperty("user.home"), System.getProperty("java.io.tmpdir")}) {
            if (p != null && !p.isBlank() && Path.of(p).toAbsolutePath().normalize().equals(abs)) {
                return true;
            }
        }
        return false;
    }

    /** An I/O failure on an output path in words, without Java class names. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "exists and is not a folder";
        }
        if (e instanceof NoSuchFileException) {
            return "no such folder";
        }
        String m = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (m == null || m.isBlank()) {
            return "input/output error";
        }
        if (m.contains("Not a directory")) {
            return "exists and is not a folder";
        }
        if (m.contains("Permission denied")) {
            return "permission denied";
        }
        return m.toLowerCase(java.util.Locale.ROOT).startsWith("no space") ? "no space left on the device" : m;
    }

    /**
     * Creates {@code dir} (and missing parents) if it does not exist, the folder itself owner-only, and returns the
     * outermost folder it created, so that a failed start can remove exactly that; empty when {@code dir} existed.
     * An existing folder is left as it is.
     */
    public static Optional<Path> createFolder(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            return Optional.empty();
        }
        Path outermost = abs;
        for (Path p = abs.getParent(); p != null && !Files.exists(p); p = p.getParent()) {
            outermost = p;
        }
        createOwnerOnlyDirectory(abs);
        return Optional.of(outermost);
    }

    /** Creates {@code dir} owner-only if it does not exist; an existing folder keeps its mode. */
    public static void createOwnerOnlyDirectory(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            return;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(abs, asAttribute(DIR));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
            return; // made by someone else meanwhile: not ours to change
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(abs);
        }
        setPermissions(abs, DIR);
    }

    /**
     * The path of a file in the folder, as the user wrote the folder (`./jobs.csv` for `--out .`); names are ours,
     * never from a CI system, but check anyway.
     */
    public Path resolve(String name) {
        absolute(name);
        return normalized(dir).resolve(name);
    }

    private Path absolute(String name) {
        Path p = base.resolve(name).normalize();
        if (!p.startsWith(base) || p.equals(base)) {
            throw new IllegalArgumentException("refusing to write outside the output folder: " + name);
        }
        return p;
    }

    public interface Body {
        void write(Writer writer) throws IOException;
    }

    public Path write(String name, Body body) throws IOException {
        Path target = absolute(name);
        if (!target.getParent().equals(base)) {
            createOwnerOnlyDirectory(target.getParent());
        }
        replace(target, body);
        return resolve(name);
    }

    /**
     * Writes {@code target} owner-only through a temporary sibling and an atomic move, so that a reader (or a
     * resumed scan) never sees half a file; for files outside an output folder's checks (journal, evidence).
     */
    public static void replace(Path target, Body body) throws IOException {
        replaceWith(target, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                body.write(w);
            }
        });
    }

    /** {@link #replace(Path, Body)} with text (UTF-8). */
    public static void replace(Path target, CharSequence content) throws IOException {
        replace(target, w -> w.append(content));
    }

    /**
     * {@link #replace(Path, Body)} with these exact bytes (content-addressed files are named by their hash). The
     * evidence store writes one per stored answer, so the temporary file is created owner-only and written in one
     * open, with no separate delete, existence check or chmod, then moved over the target atomically.
     */
    public static void replace(Path target, byte[] content) throws IOException {
        Path tmp = temporarySibling(target);
        try {
            try (SeekableByteChannel out = createOwnerOnly(tmp)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    /**
     * Writes {@code content} to {@code target} created new and owner-only, in place: one directory entry made, no
     * temporary file and no rename (an evidence folder takes tens of thousands of files, and each directory
     * operation costs kernel time). Returns false, writing nothing, when {@code target} exists. A failed write
     * removes what it wrote. For content-addressed files only: a reader checks the content against its name, and a
     * file cut short by a killed process has the wrong size, so the next store of that content replaces it.
     */
    public static boolean createNew(Path target, byte[] content) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        SeekableByteChannel out;
        try {
            try {
                out = Files.newByteChannel(target, options, asAttribute(FILE));
            } catch (UnsupportedOperationException e) {
                out = Files.newByteChannel(target, options);
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        try (SeekableByteChannel channel = out) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(target, e);
            throw e;
        }
        return true;
    }

    /**
     * Creates {@code file} new, owner-only from its first moment, open for writing. A file of that name left by a
     * killed write is removed first. Without POSIX permissions (Windows) it is created plain: the folder's ACLs apply.
     */
    private static SeekableByteChannel createOwnerOnly(Path file) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try {
                return Files.newByteChannel(file, options, asAttribute(FILE));
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(file);
                return Files.newByteChannel(file, options, asAttribute(FILE));
            }
        } catch (UnsupportedOperationException e) {
            Files.deleteIfExists(file);
            return Files.newByteChannel(file, options);
        }
    }

    /**
     * A channel appending to {@code file}, which is created owner-only if it does not exist (an existing file keeps
     * its mode), for a file that grows by one line at a time (the evidence index): opened once, not once per line.
     */
    public static FileChannel openOwnerOnlyAppend(Path file) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            return FileChannel.open(file, options, asAttribute(FILE));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, options);
        }
    }

    private interface Fill {
        void into(Path tmp) throws IOException;
    }

    private static void replaceWith(Path target, Fill fill) throws IOException {
        Path tmp = temporarySibling(target);
        Files.deleteIfExists(tmp);
        createOwnerOnlyFile(tmp);
        try {
            fill.into(tmp);
            setPermissions(tmp, FILE);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    private static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    /** Half a file (it describes credentials) is not left behind as a hidden temporary file. */
    private static void deleteQuietly(Path tmp, Exception cause) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    /** Creates {@code file} empty and owner-only if it does not exist (a file that is then appended to). */
    public static void createOwnerOnlyFile(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createFile(file, asAttribute(FILE));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    public Path writeString(String name, String content) throws IOException {
        return write(name, w -> w.write(content));
    }

    private static java.nio.file.attribute.FileAttribute<Set<PosixFilePermission>> asAttribute(
            Set<PosixFilePermission> perms) {
        return PosixFilePermissions.asFileAttribute(perms);
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the folder's ACLs apply.
        }
    }
}
