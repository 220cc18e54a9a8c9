package scnn.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one rule of what scnn may write over: it replaces an existing output only when that output
 * is recognizably its own, and never a directory that holds the user's work.
 *
 * <ul>
 *   <li>An empty path, the file-system root, the current directory or any of its ancestors, the
 *       home directory or any of its ancestors, and the scnn checkout or any of its ancestors are
 *       never written to, not even with {@code --force}.
 *   <li>A device node, a FIFO or a socket is never replaced, not even with {@code --force}.
 *   <li>An existing directory is replaced only when it is empty or holds a {@code manifest.json}
 *       with {@code "generator": "scnn"} (what every directory that scnn writes holds), or with
 *       {@code --force}; a directory inside such a directory is scnn's too.
 *   <li>An existing file is replaced only when it is a regular file that scnn wrote (each kind of
 *       output names its own mark, e.g. the VCD header or the weights format line), or a regular
 *       file with {@code --force}. A directory is never replaced by a file.
 *   <li>A symbolic link is replaced (the link, never its target) only with {@code --force}.
 * </ul>
 *
 * <p>{@link AtomicFiles} applies these checks to every write, so no command can skip them.
 */
public final class OutputPolicy {
    private OutputPolicy() {}

    /** The file scnn writes into each of its output directories. */
    public static final String MANIFEST = "manifest.json";

    /** The key and value of {@link #MANIFEST} that mark a directory as scnn's. */
    public static final String GENERATOR_KEY = "generator";
    public static final String GENERATOR = "scnn";

    /** Whether an existing output may be replaced. */
    public enum Replace {
        /** Only what scnn recognizably wrote (the default). */
        OWN,
        /** Also foreign regular files, directories and symbolic links ({@code --force}). */
        FORCE;

        public static Replace force(boolean force) {
            return force ? FORCE : OWN;
        }
    }

    /** Recognizes an existing regular file as one that scnn wrote. */
    @FunctionalInterface
    public interface Mark {
        boolean isOwn(Path regularFile) throws IOException;

        /** Any regular file (for files inside a directory that is scnn's own). */
        Mark ANY = f -> true;

        /** A file whose first 4 KiB contain {@code text}. */
        static Mark containing(String text) {
            return f -> head(f, 4096).contains(text);
        }
    }

    /** The problem with writing a directory output at {@code target}, or null when it may be written. */
    public static String directoryProblem(Path target, Replace replace) {
        String forbidden = forbidden(target);
        if (forbidden != null) return forbidden;
        Path abs = absolute(target);
        BasicFileAttributes a = attributes(abs);
        if (a == null) return null;
        if (a.isSymbolicLink())
            return replace == Replace.FORCE ? null : "is a symbolic link; scnn replaces a link only with --force";
        if (a.isOther()) return "is a device, FIFO or socket; scnn never replaces one";
        if (a.isRegularFile())
            return replace == Replace.FORCE ? null : "is a file, not an scnn output directory; choose another path or add --force";
        if (replace == Replace.FORCE || isEmptyDirectory(abs) || isScnnDirectory(abs)) return null;
        Path parent = abs.getParent();
        if (parent != null && isScnnDirectory(parent)) return null; // a part of scnn's own output (logs, cosim work)
        return "exists and is not an scnn output directory (no " + MANIFEST + " written by scnn); choose another path or add --force";
    }

    /** The problem with writing a file output at {@code target}, or null when it may be written. */
    public static String fileProblem(Path target, Replace replace, Mark mark) {
        String forbidden = forbidden(target);
        if (forbidden != null) return forbidden;
        Path abs = absolute(target);
        if (abs.getFileName() == null) return "does not name a file";
        BasicFileAttributes a = attributes(abs);
        if (a == null) return null;
        if (a.isSymbolicLink())
            return replace == Replace.FORCE ? null : "is a symbolic link; scnn replaces a link only with --force";
        if (a.isOther()) return "is a device, FIFO or socket; scnn never replaces one";
        if (a.isDirectory()) return "is a directory; scnn never replaces a directory with a file";
        if (replace == Replace.FORCE) return null;
        try {
            if (mark.isOwn(abs)) return null;
        } catch (IOException e) {
            return "exists and cannot be read (" + AtomicFiles.describe(e) + ")";
        }
        return "exists and was not written by scnn; choose another path or add --force";
    }

    /** Throws the one-line {@link ScnnException} of {@link #directoryProblem}, if any. */
    public static void checkDirectory(Path target, Replace replace) {
        String p = directoryProblem(target, replace);
        if (p != null) throw new ScnnException(display(target) + ": " + p);
    }

    /** Throws the one-line {@link ScnnException} of {@link #fileProblem}, if any. */
    public static void checkFile(Path target, Replace replace, Mark mark) {
        String p = fileProblem(target, replace, mark);
        if (p != null) throw new ScnnException(display(target) + ": " + p);
    }

    /**
     * Makes {@code dir} an scnn output directory that is written incrementally (e.g. a sweep's
     * resumable points): checks it with {@link #checkDirectory}, creates it when missing, and
     * writes its {@link #MANIFEST} (with {@code kind}) when it has none.
     */
    public static void claimDirectory(Path dir, Replace replace, String kind) {
        checkDirectory(dir, replace);
        Path abs = absolute(dir);
        if (attributes(abs) != null && !Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS))
            throw new ScnnException(display(dir) + ": is not a directory");
        if (isScnnDirectory(abs)) return;
        AtomicFiles.writeString(abs.resolve(MANIFEST), "{\n  \"" + GENERATOR_KEY + "\": \"" + GENERATOR + "\",\n  \"kind\": \""
                + kind + "\"\n}\n");
    }

    /**
     * Why {@code target} may never be written, or null: an empty path, the root, the current
     * directory, the home directory, the checkout, or an ancestor of one of them.
     */
    public static String forbidden(Path target) {
        if (target.toString().isEmpty()) return "an empty path is not an output; name a file or directory";
        Path abs = absolute(target);
        if (abs.getParent() == null) return "is the root directory; scnn never writes there";
        for (Protected p : protectedDirs())
            for (Path form : forms(abs))
                if (p.dir.startsWith(form))
                    return (form.equals(p.dir) ? "is " : "is an ancestor of ") + p.what + "; scnn never writes there";
        return null;
    }

    private record Protected(Path dir, String what) {}

    private static List<Protected> protectedDirs() {
        List<Protected> l = new ArrayList<>();
        add(l, System.getProperty("user.dir"), "the current directory");
        add(l, System.getProperty("user.home"), "the home directory");
        add(l, System.getProperty("scnn.root"), "the scnn checkout");
        return l;
    }

    private static void add(List<Protected> l, String dir, String what) {
        if (dir == null || dir.isEmpty()) return;
        Path p = absolute(Path.of(dir));
        for (Path f : forms(p)) l.add(new Protected(f, what));
    }

    /** A path as written (absolute, normalized) and, when it exists, with its links resolved. */
    private static List<Path> forms(Path abs) {
        List<Path> l = new ArrayList<>(2);
        l.add(abs);
        // resolve links of the longest existing ancestor (the path itself may not exist yet)
        Path existing = abs;
        List<Path> rest = new ArrayList<>();
        while (existing != null && !Files.exists(existing)) {
            rest.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        if (existing != null) {
            try {
                Path real = existing.toRealPath();
                for (Path r : rest) real = real.resolve(r);
                if (!real.equals(abs)) l.add(real);
            } catch (IOException ignored) {
                // unreadable: the path as written is checked
            }
        }
        return l;
    }

    /** True when {@code dir} holds a manifest.json with {@code "generator": "scnn"}. */
    public static boolean isScnnDirectory(Path dir) {
        Path m = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) return false;
        try {
            String s = head(m, 1 << 20);
            if (s.matches("(?s).*\"" + GENERATOR_KEY + "\"\\s*:\\s*\"" + GENERATOR + "\".*")) return true;
            // an RTL directory of scnn 0.1 before the generator key: its manifest's own keys
            return s.contains("\"bits_by_tag\"") && s.contains("\"state_bits_by_tag\"") && s.contains("\"mem_dir_parameter\"");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static String display(Path target) {
        return target.toString().isEmpty() ? "\"\"" : target.toString();
    }

    private static String head(Path f, int max) throws IOException {
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readNBytes(max), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * A name from an input file (a network's {@code "name"}) as one safe file-name component:
     * letters, digits, {@code -} and {@code _} are kept, everything else becomes {@code _}, so that
     * it can never be a path, {@code .} or {@code ..}; at most 100 characters; {@code net} when
     * nothing is left.
     */
    public static String fileComponent(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 100; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            sb.append(ok ? c : '_');
        }
        String s = sb.toString();
        if (s.isEmpty() || s.chars().allMatch(ch -> ch == '_')) return s.isEmpty() ? "net" : "net" + s;
        if (s.startsWith("-")) s = "_" + s.substring(1);
        return s;
    }
}
