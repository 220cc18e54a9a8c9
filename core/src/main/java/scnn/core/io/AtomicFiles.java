package scnn.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files and directories through a temporary sibling and a rename, so that a reader
 * (or a crash) never sees a half-written output.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes the whole content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Something that fills a (temporary) directory. */
    @FunctionalInterface
    public interface DirWriter {
        void write(Path dir) throws IOException;
    }

    public static void writeString(Path target, String content) {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    public static void writeBytes(Path target, byte[] content) {
        write(target, out -> out.write(content));
    }

    /** Writes {@code target} via a temporary file in the same directory, then renames it. */
    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            readable(tmp, "rw-r--r--");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            move(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw new ScnnException(target + ": cannot write (" + describe(e) + ")", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Builds a directory in a temporary sibling and renames it into place, replacing an
     * existing directory of that name only once the new one is complete.
     */
    public static void writeDirectory(Path target, DirWriter writer) {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        Path tmp = null;
        Path old = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".");
            readable(tmp, "rwxr-xr-x");
            writer.write(tmp);
            if (Files.exists(abs)) {
                old = Files.createTempDirectory(parent, "." + abs.getFileName() + ".old.");
                Files.delete(old);
                Files.move(abs, old);
            }
            Files.move(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw new ScnnException(target + ": cannot write (" + describe(e) + ")", e);
        } finally {
            deleteTree(tmp);
            deleteTree(old);
        }
    }

    /** Temporary files are created private; the final output gets ordinary permissions. */
    private static void readable(Path p, String perms) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: keep the default
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such directory";
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) return fse.getReason();
        return e.getMessage() != null ? e.getMessage() : kind;
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort clean-up of a temporary file
        }
    }

    public static void deleteTree(Path p) {
        if (p == null || !Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException ignored) {
            // best effort clean-up of a temporary directory
        }
    }
}
