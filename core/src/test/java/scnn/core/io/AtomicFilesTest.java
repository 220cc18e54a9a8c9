package scnn.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scnn.core.TestSupport.assertMessage;
import static scnn.core.TestSupport.assertOnlyFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic file and directory output: complete or untouched, never a leftover temporary. */
class AtomicFilesTest {
    @TempDir Path tmp;

    @Test
    void writesAndReplaces() throws IOException {
        Path f = tmp.resolve("out.txt");
        AtomicFiles.writeString(f, "first");
        assertEquals("first", Files.readString(f));
        AtomicFiles.writeBytes(f, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertOnlyFiles(tmp, "out.txt");
    }

    @Test
    void createsMissingParents() throws IOException {
        Path f = tmp.resolve("a/b/c/out.txt");
        AtomicFiles.writeString(f, "x");
        assertEquals("x", Files.readString(f));
        assertOnlyFiles(f.getParent(), "out.txt");
    }

    @Test
    void failureMidwayKeepsTheOldFileAndLeavesNoTemp() throws IOException {
        Path f = Files.writeString(tmp.resolve("weights.json"), "old content");
        ScnnException e = assertThrows(ScnnException.class, () -> AtomicFiles.write(f, out -> {
            out.write("new content, half of it".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertMessage(e, f, "cannot write (No space left on device)");
        assertEquals("old content", Files.readString(f));
        assertOnlyFiles(tmp, "weights.json");
    }

    /** A writer that fails inside a stream (as the VCD writer does on a full disk) gives the one line, not a trace. */
    @Test
    void anUncheckedIoFailureIsOneLineAndKeepsTheOldFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("wave.vcd"), "old");
        ScnnException e = assertThrows(ScnnException.class, () -> AtomicFiles.write(f, out -> {
            out.write('x');
            throw new java.io.UncheckedIOException(new java.nio.file.FileSystemException(f.toString(), null, "No space left on device"));
        }));
        assertMessage(e, f, "cannot write (No space left on device)");
        assertEquals("old", Files.readString(f));
        assertOnlyFiles(tmp, "wave.vcd");
    }

    @Test
    void failureOfANewFileLeavesNothing() throws IOException {
        Path f = tmp.resolve("new.json");
        assertThrows(ScnnException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new IOException("boom");
        }));
        assertFalse(Files.exists(f));
        assertOnlyFiles(tmp);
    }

    @Test
    void aRuntimeExceptionFromTheWriterPropagatesAndLeavesNoTemp() throws IOException {
        Path f = Files.writeString(tmp.resolve("w.json"), "old");
        IllegalStateException bug = new IllegalStateException("bug in the writer");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(42);
            throw bug;
        })));
        assertEquals("old", Files.readString(f));
        assertOnlyFiles(tmp, "w.json");
    }

    @Test
    void parentIsARegularFile() throws IOException {
        Path plain = Files.writeString(tmp.resolve("plain"), "data");
        for (Path target : new Path[] {plain.resolve("x.txt"), plain.resolve("d/e/x.txt")}) {
            ScnnException e = assertThrows(ScnnException.class, () -> AtomicFiles.writeString(target, "x"));
            assertEquals(target + ": cannot write (" + plain + " is not a directory)", e.getMessage());
            assertEquals("data", Files.readString(plain));
            assertOnlyFiles(tmp, "plain");
            assertThrows(ScnnException.class, () -> AtomicFiles.writeDirectory(target, d -> {}));
            assertOnlyFiles(tmp, "plain");
        }
    }

    /** The output gets the permissions of any new file (umask), not the 0600 of a temp file. */
    @Test
    void permissionsFollowTheUmask() throws IOException {
        Path ref = Files.createFile(tmp.resolve("reference"));
        Path refDir = Files.createDirectory(tmp.resolve("reference-dir"));
        Path f = tmp.resolve("out.txt");
        AtomicFiles.writeString(f, "x");
        assertEquals(Files.getPosixFilePermissions(ref), Files.getPosixFilePermissions(f));
        Path d = tmp.resolve("outdir");
        AtomicFiles.writeDirectory(d, dir -> Files.writeString(dir.resolve("a"), "a"));
        assertEquals(Files.getPosixFilePermissions(refDir), Files.getPosixFilePermissions(d));
    }

    @Test
    void directoryIsBuiltAndReplacedWhole() throws IOException {
        Path d = tmp.resolve("mnist");
        AtomicFiles.writeDirectory(d, dir -> {
            Files.writeString(dir.resolve("one"), "1");
            Files.writeString(dir.resolve(OutputPolicy.MANIFEST), "{\"generator\": \"scnn\"}");
        });
        assertOnlyFiles(d, "manifest.json", "one");
        AtomicFiles.writeDirectory(d, dir -> {
            Files.writeString(dir.resolve("two"), "2");
            Files.writeString(dir.resolve("three"), "3");
        });
        assertOnlyFiles(d, "three", "two");
        assertOnlyFiles(tmp, "mnist");
    }

    @Test
    void failedDirectoryKeepsTheOldOne() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("mnist"));
        Files.writeString(d.resolve("keep"), "k");
        Files.writeString(d.resolve(OutputPolicy.MANIFEST), "{\"generator\": \"scnn\"}");
        ScnnException e = assertThrows(ScnnException.class, () -> AtomicFiles.writeDirectory(d, dir -> {
            Files.writeString(dir.resolve("partial"), "p");
            throw new IOException("download failed");
        }));
        assertMessage(e, d, "cannot write (download failed)");
        assertOnlyFiles(d, "keep", "manifest.json");
        assertOnlyFiles(tmp, "mnist");
    }

    @Test
    void deleteTree() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("t/u/v"));
        Files.writeString(d.resolve("f"), "f");
        AtomicFiles.deleteTree(tmp.resolve("t"));
        assertOnlyFiles(tmp);
        AtomicFiles.deleteTree(tmp.resolve("absent"));
        AtomicFiles.deleteTree(null);
        assertTrue(Files.isDirectory(tmp));
    }

    @Test
    void sha256OfAKnownString() throws IOException {
        Path f = Files.writeString(tmp.resolve("abc"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.of(f));
    }
}
