package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.weights.WeightsIO;

/** cosim and bench: option errors (no simulator needed; the co-simulation itself is tested in the testbench module). */
class CosimCommandTest {
    @TempDir Path tmp;

    private Path tiny() {
        Path w = tmp.resolve("tiny.json");
        WeightsIO.write(MainTest.tinyNet(), w);
        return w;
    }

    @Test
    void unknownSimulator() {
        MainTest.Run r = MainTest.run("cosim", "--weights", tiny().toString(), "--sim", "modelsim", "--images", "1");
        assertEquals(1, r.code());
        assertEquals("scnn: unknown simulator 'modelsim' (verilator or icarus)", r.errLine());
    }

    @Test
    void zeroImages() {
        for (String cmd : new String[] {"cosim", "bench"}) {
            MainTest.Run r = MainTest.run(cmd, "--weights", tiny().toString(), "--images", "0");
            assertEquals(2, r.code(), cmd);
            assertTrue(r.errLine().contains("--images must be at least 1, got 0"), r.err());
        }
    }

    @Test
    void tooManyImages() {
        MainTest.Run r = MainTest.run("cosim", "--weights", tiny().toString(), "--images", "10001", "--out", tmp.resolve("rtl").toString());
        assertEquals(2, r.code(), "a bad option value is a usage error");
        assertEquals("scnn: --images 10001: the test set has 10000 images", r.errLine());
    }

    @Test
    void badThreads() {
        MainTest.Run r = MainTest.run("bench", "--weights", tiny().toString(), "--verilator-threads", "0");
        assertEquals(2, r.code(), "a bad option value is a usage error");
        assertEquals("scnn: --verilator-threads must be at least 1, got 0", r.errLine());
    }

    @Test
    void helpDescribesTheComparison() {
        MainTest.Run r = MainTest.run("cosim", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--sim") && r.out().contains("mismatches"), r.out());
        MainTest.Run b = MainTest.run("bench", "--help");
        assertEquals(0, b.code());
        assertTrue(b.out().contains("image-cycles per second"), b.out());
    }
}
