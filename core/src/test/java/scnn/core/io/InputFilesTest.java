package scnn.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.weights.WeightsIO;

/** Input files: regular files only, bounded size, bounded JSON; every refusal one line. */
class InputFilesTest {
    @TempDir Path tmp;

    @Test
    void devicesFifosAndDirectoriesAreRefusedBeforeReading() throws Exception {
        ScnnException e = assertThrows(ScnnException.class, () -> InputFiles.readBytes(Path.of("/dev/zero")));
        assertEquals("/dev/zero: not a regular file (a device, FIFO or socket); scnn reads only files", e.getMessage());
        e = assertThrows(ScnnException.class, () -> WeightsIO.read(Path.of("/dev/zero")));
        assertTrue(e.getMessage().startsWith("/dev/zero: not a regular file"), e.getMessage());
        Path fifo = tmp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        e = assertThrows(ScnnException.class, () -> InputFiles.readBytes(fifo));
        assertTrue(e.getMessage().startsWith(fifo + ": not a regular file"), e.getMessage());
        e = assertThrows(ScnnException.class, () -> InputFiles.readBytes(tmp));
        assertEquals(tmp + ": is a directory, expected a file", e.getMessage());
        e = assertThrows(ScnnException.class, () -> InputFiles.readBytes(tmp.resolve("nope")));
        assertEquals(tmp.resolve("nope") + ": no such file", e.getMessage());
        e = assertThrows(ScnnException.class, () -> InputFiles.readBytes(Path.of("")));
        assertTrue(e.getMessage().contains("empty path"));
    }

    @Test
    void sizeIsCapped() throws Exception {
        Path f = Files.write(tmp.resolve("big"), new byte[100]);
        assertArrayEquals(new byte[100], InputFiles.readBytes(f, 100));
        ScnnException e = assertThrows(ScnnException.class, () -> InputFiles.readBytes(f, 99));
        assertEquals(f + ": 100 bytes is larger than 99 bytes, the most scnn reads", e.getMessage());
        assertEquals("1 GiB", InputFiles.human(InputFiles.MAX_BYTES));
    }

    @Test
    void binaryIsNotText() throws Exception {
        Path f = Files.write(tmp.resolve("replay.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        ScnnException e = assertThrows(ScnnException.class, () -> InputFiles.readText(f, 1000));
        assertEquals(f + ": not a text file (not UTF-8)", e.getMessage());
        Path g = Files.write(tmp.resolve("nul.txt"), new byte[] {'a', 0, 'b'});
        e = assertThrows(ScnnException.class, () -> InputFiles.readText(g, 1000));
        assertEquals(g + ": not a text file (it holds NUL bytes)", e.getMessage());
        assertEquals("0.5 0101\n", InputFiles.readText(Files.writeString(tmp.resolve("ok"), "0.5 0101\n"), 1000));
    }

    @Test
    void deeplyNestedJsonIsOneLine() throws Exception {
        Path f = Files.writeString(tmp.resolve("nested.json"), "[".repeat(100_000));
        ScnnException e = assertThrows(ScnnException.class, () -> WeightsIO.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        Path g = Files.writeString(tmp.resolve("long.json"), "{\"format\": " + "1".repeat(5000) + "}");
        e = assertThrows(ScnnException.class, () -> WeightsIO.read(g));
        assertTrue(e.getMessage().startsWith(g + ": not valid JSON"), e.getMessage());
    }
}
