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

    /**
     * Writes {@code target} via a temporary file in the same directory, then renames it. An
     * existing target must be a regular file (for files inside scnn's own directories); see
     * {@link #write(Path, OutputPolicy.Replace, OutputPolicy.Mark, Writer)} for user-named outputs.
     */
    public static void write(Path target, Writer writer) {
        write(target, OutputPolicy.Replace.OWN, OutputPolicy.Mark.ANY, writer);
    }

    /**
     * Writes a user-named output file via a temporary sibling and a rename, after the checks of
     * {@link OutputPolicy#checkFile}: an existing file is replaced only when {@code mark}
     * recognizes it as scnn's (or with {@code FORCE}), never a directory, device or FIFO.
     */
    public static void write(Path target, OutputPolicy.Replace replace, OutputPolicy.Mark mark, Writer writer) {
        OutputPolicy.checkFile(target, replace, mark);
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            createDirectories(dir);
            tmp = createTemp(dir, "." + abs.getFileName() + ".", ".tmp", false);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
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
     * existing directory of that name only once the new one is complete. The target must pass
     * {@link OutputPolicy#checkDirectory} with {@code OWN}: missing, empty, scnn's own, or inside
     * a directory that is scnn's own.
     */
    public static void writeDirectory(Path target, DirWriter writer) {
        writeDirectory(target, OutputPolicy.Replace.OWN, writer);
    }

    /** {@link #writeDirectory(Path, DirWriter)} with the given replacement rule ({@code --force}). */
    public static void writeDirectory(Path target, OutputPolicy.Replace replace, DirWriter writer) {
        OutputPolicy.checkDirectory(target, replace);
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        Path tmp = null;
        Path old = null;
        try {
            createDirectories(parent);
            tmp = createTemp(parent, "." + abs.getFileName() + ".", "", true);
            try {
                writer.write(tmp);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                old = createTemp(parent, "." + abs.getFileName() + ".old.", "", true);
                Files.delete(old);
                Files.move(abs, old);
            }
            try {
                Files.move(tmp, abs);
            } catch (IOException e) {
                // Put the previous directory back instead of deleting it below.
                if (old != null) {
                    Path kept = old;
                    old = null;
                    try {
                        Files.move(kept, abs);
                    } catch (IOException r) {
                        throw new IOException(describe(e) + "; the previous content is kept in " + kept, e);
                    }
                }
                throw e;
            }
            tmp = null;
        } catch (IOException e) {
            throw new ScnnException(target + ": cannot write (" + describe(e) + ")", e);
        } finally {
            deleteTree(tmp);
            deleteTree(old);
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * Creates a new empty temporary file or directory {@code dir/prefix<random>suffix}. Unlike
     * {@link Files#createTempFile}, which makes it owner-only (0600 / 0700) and so the renamed
     * output too, the permissions follow the umask like any other file the user creates.
     */
    private static Path createTemp(Path dir, String prefix, String suffix, boolean directory) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix);
            try {
                return directory ? Files.createDirectory(p) : Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    /** {@link Files#createDirectories}, but names an existing ancestor that is not a directory. */
    private static void createDirectories(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) throw new java.nio.file.NotDirectoryException(p.toString());
                break;
            }
        }
        Files.createDirectories(dir);
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
        if (e instanceof java.nio.file.NotDirectoryException nd) return nd.getFile() + " is not a directory";
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
        if (p == null || !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException ignored) {
            // best effort clean-up of a temporary directory
        }
    }
}
