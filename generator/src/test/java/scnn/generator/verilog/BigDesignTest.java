package scnn.generator.verilog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.generator.tools.Tools;
import scnn.ir.Design;

/**
 * A layer of the real network's size (256 neurons x 784 synapses: BITSEL / AND / POPCOUNT of
 * count 256 and width 784, codes in a 256 x 1568-bit ROM): compact RTL, lint, Icarus. Emission
 * time is printed, not asserted (speed is measured by benchmarks).
 */
class BigDesignTest {
    @TempDir
    Path tmp;

    @Test
    void emitsFastAndLintsClean() throws IOException {
        Design d = TestDesigns.big(256, 784, 2);
        VerilogEmitter.emit(d); // warm-up
        long t0 = System.nanoTime();
        VerilogEmitter.Output out = VerilogEmitter.emit(d);
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("big layer (256 x 784, ROM 256 x 1568): emitted %,d characters of Verilog and %,d of memory files in %.1f ms%n",
                out.verilog().length(), out.memoryFiles().values().stream().mapToInt(String::length).sum(), ms);
        System.out.println("big layer: emitted in " + ms + " ms"); // speed is measured by benchmarks, not asserted
        // what the simulators read stays compact (Yosys gets the code planes as literals under SYNTHESIS)
        String sim = simulatorText(out.verilog());
        assertTrue(sim.length() < 20_000, "the RTL stays compact: " + sim.length() + " characters outside the SYNTHESIS branches");
        assertTrue(out.verilog().length() < 20_000 + 256 * (1568 / 4 + 40 + 120),
                "SYNTHESIS: one literal per ROM word and one popcount-module instance per neuron: " + out.verilog().length());
        assertTrue(out.verilog().contains("big_popcount784_10 pc_u255 (.v(prod[255]), .n(pc_r[2550 +: 10]));"), "a popcount module per neuron for Yosys");
        assertEquals(1, out.memoryFiles().size());
        assertEquals(256 * (1568 / 4 + 1), out.memoryFiles().get("wcodes_planes.hex").length());

        assumeTrue(Tools.require("verilator", "iverilog"));
        Path dir = Hdl.write(d, tmp.resolve("big"));
        long t1 = System.nanoTime();
        Hdl.lintVerilator(dir, "big");
        System.out.printf("big layer: verilator --lint-only -Wall in %.1f s%n", (System.nanoTime() - t1) / 1e9);
        long t2 = System.nanoTime();
        Hdl.lintVerilatorSynthesis(dir, "big");
        System.out.printf("big layer: verilator --lint-only -Wall -DSYNTHESIS in %.1f s%n", (System.nanoTime() - t2) / 1e9);
        // Icarus without the SYNTHESIS branches: it takes minutes over them at this size (checked above by Verilator, and by
        // Icarus on the small designs of VerilogEmitterTest and MaskedPopcountTest)
        Hdl.compileIcarus(dir, "big", false);
    }

    /** The text without the {@code `ifdef SYNTHESIS} branches (what Verilator and Icarus read). */
    static String simulatorText(String v) {
        StringBuilder sb = new StringBuilder();
        int depth = 0; // > 0: inside a SYNTHESIS branch
        for (String line : v.split("\n", -1)) {
            String t = line.strip();
            if (depth == 0 && t.equals("`ifdef SYNTHESIS")) depth = 1;
            else if (depth > 0 && (t.startsWith("`ifdef") || t.startsWith("`ifndef"))) depth++;
            else if (depth == 1 && (t.equals("`else") || t.startsWith("`elsif"))) depth = 0;
            else if (depth > 0 && t.equals("`endif")) depth--;
            else if (depth == 0) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** The analog baseline's RTL (per-synapse device planes, DAC ROM, both random-word schemes): lint-clean. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rotate", "xor"})
    void analogBaselineLintsClean(String rng) throws IOException {
        assumeTrue(Tools.require("verilator"));
        scnn.core.weights.Network net = scnn.generator.arch.ScBuilderTest.analog(5, 8, 6, 10);
        scnn.generator.arch.ScDesign sd = scnn.generator.arch.ScBuilder.build(net, scnn.generator.arch.ScConfig.of(32)
                .withSynapseRng(scnn.generator.arch.SynapseRng.parse(rng)), "analog_" + rng);
        Path dir = Hdl.write(sd.design(), tmp.resolve("analog_" + rng));
        Hdl.lintVerilator(dir, sd.design().name());
    }
}
