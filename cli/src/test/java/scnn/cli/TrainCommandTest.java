package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code scnn train}: one clear line, a non-zero exit code, nothing written. */
class TrainCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    void assertRejected(Path dir, int expectedCode, String expectedText, String... args) throws Exception {
        long before = files(dir);
        Run r = run(args);
        assertEquals(expectedCode, r.code(), "exit code of " + String.join(" ", args) + "; stderr: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "exactly one line expected, got: " + err);
        assertTrue(err.contains(expectedText), "message '" + err + "' should mention '" + expectedText + "'");
        assertEquals(before, files(dir), "nothing may be written");
    }

    @Test
    void badOptionValuesGiveOneLineAndWriteNothing(@TempDir Path dir) throws Exception {
        String out = dir.resolve("w.json").toString();
        assertRejected(dir, 2, "--levels must be odd", "train", "--levels", "4", "--out", out);
        assertRejected(dir, 2, "--levels must be odd", "train", "--levels", "1", "--out", out);
        assertRejected(dir, 2, "--levels", "train", "--levels", "five", "--out", out);
        assertRejected(dir, 2, "--hidden", "train", "--hidden", "256,0", "--out", out);
        assertRejected(dir, 2, "--hidden", "train", "--hidden", "256,x", "--out", out);
        assertRejected(dir, 2, "--epochs", "train", "--epochs", "0", "--out", out);
        assertRejected(dir, 2, "--batch", "train", "--batch", "-3", "--out", out);
        assertRejected(dir, 2, "--lr", "train", "--lr", "0", "--out", out);
        assertRejected(dir, 2, "--threads", "train", "--threads", "0", "--out", out);
        assertRejected(dir, 2, "--val", "train", "--val", "60000", "--out", out);
        assertRejected(dir, 2, "--sc-train needs --bits", "train", "--sc-train", "--out", out);
        assertRejected(dir, 2, "--bits", "train", "--sc-train", "--bits", "0", "--out", out);
        assertRejected(dir, 2, "--bits is only used with --sc-train", "train", "--bits", "32", "--out", out);
        assertRejected(dir, 2, "--encoding", "train", "--sc-train", "--bits", "32", "--encoding", "unipolar", "--out", out);
        assertRejected(dir, 2, "--shift", "train", "--shift", "9", "--out", out);
        assertRejected(dir, 2, "--out", "train", "--levels", "5");
    }

    @Test
    void unwritableOutputIsRejectedBeforeTraining(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        // parent "directory" is a regular file
        assertRejected(dir, 1, "cannot write", "train", "--epochs", "1", "--out", file.resolve("w.json").toString());
        // missing directory
        assertRejected(dir, 1, "does not exist", "train", "--epochs", "1", "--out", dir.resolve("no/such/dir/w.json").toString());
        // the output is a directory
        assertRejected(dir, 1, "is a directory", "train", "--epochs", "1", "--out", dir.toString());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void helpListsTheOptions() {
        Run r = run("train", "--help");
        assertEquals(0, r.code());
        for (String o : new String[] {"--hidden", "--levels", "--sc-train", "--bits", "--encoding", "--epochs", "--batch", "--lr",
                "--seed", "--threads", "--out", "--name", "--val", "--mnist"})
            assertTrue(r.out().contains(o), "help should mention " + o);
    }
}
