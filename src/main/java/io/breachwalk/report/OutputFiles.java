package io.breachwalk.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the output folder and its files owner-only (reports describe credentials), writing each file through a
 * temporary sibling and an atomic move so that a reader never sees half a report.
 */
public final class OutputFiles {

    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    public OutputFiles(Path dir) throws IOException {
        this.dir = dir;
        createOwnerOnlyDirectory(dir);
    }

    public Path dir() {
        return dir;
    }

    public static void createOwnerOnlyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, asAttribute(DIR));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        setPermissions(dir, DIR);
    }

    /** The path of a file in the folder; names are ours, never from a CI system, but check anyway. */
    public Path resolve(String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir.normalize())) {
            throw new IllegalArgumentException("refusing to write outside the output folder: " + name);
        }
        return p;
    }

    public interface Body {
        void write(Writer writer) throws IOException;
    }

    public Path write(String name, Body body) throws IOException {
        Path target = resolve(name);
        if (target.getParent() != null && !target.getParent().equals(dir)) {
            createOwnerOnlyDirectory(target.getParent());
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, asAttribute(FILE));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
            body.write(w);
        }
        setPermissions(tmp, FILE);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
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
