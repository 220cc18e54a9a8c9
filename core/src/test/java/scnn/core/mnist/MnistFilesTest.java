package scnn.core.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scnn.core.TestSupport.assertMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.TestSupport;
import scnn.core.io.ScnnException;
import scnn.core.io.Sha256;

/**
 * Locating and verifying the MNIST files. No test may reach {@code fetch()} (a network access):
 * every default location used here holds all four files.
 */
class MnistFilesTest {
    static MnistFiles real;

    @TempDir Path tmp;

    @BeforeAll
    static void locate() {
        real = TestSupport.realMnist();
    }

    @Test
    void realFilesHaveThePublishedHashes() throws IOException {
        real.verify();
        for (var e : MnistFiles.SHA256.entrySet()) assertEquals(e.getValue(), Sha256.of(real.dir().resolve(e.getKey())), e.getKey());
    }

    @Test
    void ensureOnTheRealFilesVerifiesWithoutFetching() {
        String what = real.ensure();
        assertTrue(what.startsWith("MNIST is present in " + real.dir()), what);
        assertTrue(what.endsWith("SHA-256 of all four files verified"), what);
    }

    @Test
    void defaultLocationIsDataMnist() {
        Path root = Path.of("/some/root");
        assertEquals(root.resolve("data/mnist"), MnistFiles.defaultLocation(root).dir());
        assertEquals(root.resolve("data/mnist"), MnistFiles.of(root, null).dir());
        assertEquals(tmp, MnistFiles.of(root, tmp).dir());
    }

    @Test
    void modifiedTestLabelsFailVerification() throws IOException {
        checkModified("t10k-labels-idx1-ubyte");
    }

    @Test
    void modifiedTrainLabelsFailVerification() throws IOException {
        checkModified("train-labels-idx1-ubyte");
    }

    /** A temporary root whose data/mnist holds symlinks to three real files and an altered copy of one. */
    private void checkModified(String altered) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("root/data/mnist"));
        for (String f : MnistFiles.SHA256.keySet()) {
            Path src = real.dir().resolve(f).toAbsolutePath();
            if (f.equals(altered)) {
                byte[] b = Files.readAllBytes(src);
                b[b.length - 1] ^= 1; // still a valid label (0..9 -> another digit), wrong hash
                Files.write(dir.resolve(f), b);
            } else {
                Files.createSymbolicLink(dir.resolve(f), src);
            }
            assertTrue(Files.isRegularFile(dir.resolve(f)), "the test directory must be complete, else ensure() would fetch");
        }
        MnistFiles m = MnistFiles.defaultLocation(tmp.resolve("root"));
        assertEquals(dir, m.dir());
        Path bad = dir.resolve(altered);
        assertMessage(assertThrows(ScnnException.class, m::verify), bad, "SHA-256 mismatch");
        ScnnException e = assertThrows(ScnnException.class, m::ensure);
        assertMessage(e, bad, "SHA-256 mismatch (got ");
        assertTrue(e.getMessage().contains("expected " + MnistFiles.SHA256.get(altered)), e.getMessage());
        // loading a split verifies first
        assertMessage(assertThrows(ScnnException.class, altered.startsWith("t10k") ? m::test : m::train), bad, "SHA-256 mismatch");
    }

    @Test
    void userDirectoryMustExist() {
        Path d = tmp.resolve("no-such-dir");
        assertMessage(assertThrows(ScnnException.class, () -> MnistFiles.userDirectory(d)), d, "--mnist directory does not exist");
        assertMessage(assertThrows(ScnnException.class, () -> MnistFiles.of(Path.of("/"), d)), d, "--mnist directory does not exist");
    }

    @Test
    void userDirectoryWithAMissingFileNamesIt() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        for (String f : MnistFiles.SHA256.keySet())
            if (!f.equals("t10k-labels-idx1-ubyte")) Files.createSymbolicLink(dir.resolve(f), real.dir().resolve(f).toAbsolutePath());
        MnistFiles m = MnistFiles.userDirectory(dir);
        Path missing = dir.resolve("t10k-labels-idx1-ubyte");
        ScnnException e = assertThrows(ScnnException.class, m::ensure);
        assertMessage(e, missing, "missing (neither t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz is in " + dir + ")");
        assertMessage(assertThrows(ScnnException.class, m::test), missing, "missing");
        assertMessage(assertThrows(ScnnException.class, m::train), missing, "missing");
        assertEquals(3, TestSupport.listNames(dir).size(), "a user directory is never written to");
    }

    @Test
    void userDirectoryWithGzipFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        IdxTest.gzip(real.dir().resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-images-idx3-ubyte.gz"));
        IdxTest.gzip(real.dir().resolve("t10k-labels-idx1-ubyte"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.createSymbolicLink(dir.resolve("train-images-idx3-ubyte"), real.dir().resolve("train-images-idx3-ubyte").toAbsolutePath());
        Files.createSymbolicLink(dir.resolve("train-labels-idx1-ubyte"), real.dir().resolve("train-labels-idx1-ubyte").toAbsolutePath());
        MnistFiles m = MnistFiles.userDirectory(dir);
        assertEquals("using the MNIST files in " + dir, m.ensure());
        MnistSet gz = m.test();
        MnistSet raw = MnistSet.read(real.dir().resolve("t10k-images-idx3-ubyte"), real.dir().resolve("t10k-labels-idx1-ubyte"));
        assertEquals(10_000, gz.size());
        assertArrayEquals(raw.rawPixels(), gz.rawPixels());
        assertEquals(7, gz.label(0));
    }

    @Test
    void realSplitsLoad() {
        MnistSet test = real.test();
        assertEquals(10_000, test.size());
        assertEquals(2, test.label(1));
        MnistSet train = real.train();
        assertEquals(60_000, train.size());
        assertEquals(0, train.label(1));
        assertSame(test, test.head(20_000), "head beyond the size is the set itself");
    }
}
