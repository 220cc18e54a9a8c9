package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;

/** The synth command's options and its check that the RTL is what the weights generate (no tools run). */
class SynthCommandTest {
    @TempDir
    Path tmp;

    private Path rtl() {
        Path w = tmp.resolve("tiny.json");
        WeightsIO.write(MainTest.tinyNet(), w);
        Path dir = tmp.resolve("rtl");
        MainTest.Run g = MainTest.run("generate", "--weights", w.toString(), "--bits", "4", "--out", dir.toString());
        assertEquals(0, g.code(), g.err());
        return dir;
    }

    @Test
    void badOptionsAreOneLineUsageErrors() {
        Path dir = rtl();
        MainTest.Run r = MainTest.run("synth", "--rtl", dir.toString(), "--fpga", "virtex2");
        assertEquals(2, r.code(), r.err());
        assertEquals("scnn: --fpga virtex2: unknown (ice40, xc7, none)", r.errLine());
        r = MainTest.run("synth", "--rtl", dir.toString(), "--liberty", tmp.resolve("none.lib").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.errLine().contains("none.lib: no such file"), r.err());
        r = MainTest.run("synth", "--rtl", dir.toString(), "--clock-ns", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.errLine().contains("--clock-ns must be positive"), r.err());
    }

    @Test
    void weightsThatDoNotGenerateTheRtlAreRefused() {
        scnn.generator.tools.Tools.need(scnn.generator.synth.Liberty.OSU018.toString());
        Path dir = rtl();
        Random rnd = new Random(5);
        byte[] h = new byte[4 * 784];
        for (int i = 0; i < h.length; i++) h[i] = (byte) rnd.nextInt(5);
        byte[] o = new byte[40];
        Network other = new Network("tiny-cli", 5, Network.uniformLevels(5), 784, 255,
                List.of(new Layer(784, 4, h, 0.05, null, Activation.QUANTIZE), new Layer(4, 10, o, 1.0, null, Activation.ARGMAX)), null);
        Path w = tmp.resolve("other.json");
        WeightsIO.write(other, w);
        MainTest.Run r = MainTest.run("synth", "--rtl", dir.toString(), "--liberty", "osu018", "--weights", w.toString(), "--fpga", "none");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.errLine().contains("the RTL is not what " + w + " generates"), r.err());
    }
}
