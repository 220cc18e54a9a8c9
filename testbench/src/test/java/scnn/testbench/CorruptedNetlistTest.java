package scnn.testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import scnn.core.io.AtomicFiles;
import scnn.core.mnist.MnistSet;
import scnn.generator.tools.Tools;
import scnn.testbench.verilog.Simulator;

/**
 * The check can fail: the same Verilator build run on a copy of the RTL directory in which one
 * memory file is corrupted must disagree with the Java simulator of the intact design. (The
 * memory files are read when the simulation starts, so no rebuild is needed.)
 */
class CorruptedNetlistTest {
    private static final int IMAGES = 3;

    /** A copy of the design's RTL directory (files only) with {@code file} replaced by {@code edit(file)}. */
    private static Path corruptCopy(CosimFixture.Design d, String tag, String file, java.util.function.UnaryOperator<List<String>> edit)
            throws IOException {
        Path src = d.rtl().dir();
        Path dst = CosimFixture.workRoot().resolve(d.name() + "-corrupt-" + tag);
        AtomicFiles.deleteTree(dst);
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) Files.copy(p, dst.resolve(p.getFileName()));
        }
        Path f = dst.resolve(file);
        List<String> lines = Files.readAllLines(f, StandardCharsets.US_ASCII);
        List<String> changed = edit.apply(new ArrayList<>(lines));
        assertNotEquals(lines, changed, "the corruption must change " + file);
        Files.write(f, changed, StandardCharsets.US_ASCII);
        return dst;
    }

    /** The pixel that is brightest summed over the first {@code k} images. */
    private static int brightestPixel(MnistSet set, int k) {
        int best = 0;
        long bestSum = -1;
        for (int p = 0; p < 784; p++) {
            long s = 0;
            for (int i = 0; i < k; i++) s += set.pixel(i, p);
            if (s > bestSum) {
                bestSum = s;
                best = p;
            }
        }
        return best;
    }

    private static void assertCaught(Cosim.Report r) throws IOException {
        assertFalse(r.agree(), "a corrupted netlist went unnoticed");
        JsonNode ms = new ObjectMapper().readTree(r.workDir().resolve(Cosim.MISMATCHES).toFile());
        assertTrue(ms.isArray() && ms.size() == r.mismatches().size(), "mismatches.json lists the mismatches");
        System.out.println("[cosim] corruption caught: " + r.mismatches().size() + " mismatches, first: " + r.mismatches().get(0));
    }

    @Test
    void flippedWeightCodeIsCaught() throws IOException {
        assumeTrue(Tools.require(Simulator.VERILATOR.tools()));
        CosimFixture.Design d = RandomNetsCosimTest.SM_F1_N8.design();
        CosimFixture.Built b = CosimFixture.built(d, Simulator.VERILATOR);
        CosimFixture.assertAgree(CosimFixture.cosim(b, IMAGES), d); // the intact design agrees

        // neuron 0's mask of the positive magnitude-1 weights (the class "x" of the folded popcount
        // pc_up of the layer module, docs/verilog.md) inverted on inputs 384..447 (image rows 13-15: the
        // border pixels of MNIST are black, so their weights do not matter) in
        // <top>_layer1_pc_up_q1.hex (64-bit words, 13 per neuron): one ROM word of the netlist changed,
        // which changes that neuron's weights
        Path bad = corruptCopy(d, "wmask", d.rtl().top() + "_layer1_pc_up_q1.hex", lines -> {
            String w = lines.get(6);
            assertEquals(16, w.length(), "64-bit words");
            assertEquals(0, lines.size() % 13, "13 words per neuron");
            String hex = new BigInteger(w, 16).xor(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)).toString(16);
            lines.set(6, "0".repeat(w.length() - hex.length()) + hex);
            System.out.println("[cosim] corrupting <top>_layer1_pc_up_q1.hex: neuron 0's positive magnitude-1 mask inverted on inputs 384..447");
            return lines;
        });
        assertCaught(CosimFixture.cosim(b, bad, IMAGES));
    }

    @Test
    void changedDeviceSeedIsCaught() throws IOException {
        assumeTrue(Tools.require(Simulator.VERILATOR.tools()));
        CosimFixture.Design d = RandomNetsCosimTest.SM_F1_N8.design();
        CosimFixture.Built b = CosimFixture.built(d, Simulator.VERILATOR);
        int q = brightestPixel(d.images(), IMAGES);
        // the per-device constant C_q of the pixel-q s-MTJ: one bit flipped changes its random stream
        Path bad = corruptCopy(d, "seed", d.rtl().top() + "_layer1_in_seed.hex", lines -> {
            long c = Long.parseLong(lines.get(q).strip(), 16) ^ 0x10000L;
            lines.set(q, String.format("%08x", c));
            return lines;
        });
        assertCaught(CosimFixture.cosim(b, bad, IMAGES));
    }
}
