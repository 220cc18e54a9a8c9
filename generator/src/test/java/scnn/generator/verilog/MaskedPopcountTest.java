package scnn.generator.verilog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.generator.tools.Tools;
import scnn.ir.Design;
import scnn.ir.Node;

/**
 * The folded popcounts ({@link MaskedPopcounts}): which cones fold and into what classes, and that
 * both printed forms (the simulators' mask form and Yosys' gathered bits with popcount modules)
 * have the IR's value: simulated against the reference evaluator under Icarus (with and without
 * {@code SYNTHESIS}) and Verilator. (A Yosys SAT proof of the two forms' equality did not finish in
 * 5 minutes for 12 popcounts of 100 bits: adder trees of different shapes are hard for SAT.)
 */
class MaskedPopcountTest {
    @TempDir
    Path tmp;

    static final int NEURONS = 12, INPUTS = 100;

    @Test
    void signMagnitudeConesFoldIntoWeightClasses() {
        Design d = TestDesigns.maskedLayer(NEURONS, INPUTS);
        MaskedPopcounts.Result r = MaskedPopcounts.analyze(d);
        assertEquals(List.of("pc_up", "pc_dn", "pc_one"), r.specs().keySet().stream().map(Node::name).toList());
        MaskedPopcounts.Spec up = r.specs().get(d.node("pc_up"));
        assertEquals(List.of("x", "b", "xneg"), up.leaves().stream().map(l -> l.node().name()).toList());
        assertTrue(up.leaves().get(1).broadcast(), "b is spread over the width by a 1-bit SEXT");
        // up = x & (m1 & b | m2) & ~(sgn ^ xneg) | on: four classes of (x, b, xneg) plus the always-one positions
        assertEquals(4, up.tables().length);
        for (int g = 0; g < NEURONS; g++) {
            int expectOnes = 0;
            for (int i = 0; i < INPUTS; i++) if (g % 3 == 2 && i % 7 == 0) expectOnes++;
            assertEquals(expectOnes, up.ones()[g], "always-one positions of neuron " + g);
        }
        // neuron 0 has no weights: its classes are empty; every position of neuron g is in at most one class
        for (int t = 0; t < up.tables().length; t++) assertEquals(0, up.positions(t, 0).length);
        for (int g = 0; g < NEURONS; g++) {
            java.util.BitSet seen = new java.util.BitSet();
            for (int t = 0; t < up.tables().length; t++)
                for (int i : up.positions(t, g)) {
                    assertFalse(seen.get(i), "position " + i + " of neuron " + g + " in two classes");
                    seen.set(i);
                }
        }
        // the weight masks and every intermediate array are read only by the folded popcounts
        for (String n : List.of("wm1", "wm2", "wsg", "won", "wbank", "wterm", "wsum", "wz", "prod", "neg", "pos", "upp", "up", "dn"))
            assertTrue(r.absorbed().get(d.node(n).id()), n + " is not emitted");
        for (String n : List.of("x", "xneg", "b", "pc_up", "acc")) assertFalse(r.absorbed().get(d.node(n).id()), n);
    }

    @Test
    void bothFormsMatchTheReference() throws IOException {
        Tools.need("verilator", "iverilog", "vvp", "yosys");
        Design d = TestDesigns.maskedLayer(NEURONS, INPUTS);
        Path dir = Hdl.write(d, tmp.resolve(d.name()));
        String v = Files.readString(dir.resolve("mlay.v"));
        assertTrue(v.contains("module mlay_popcount"), "the SYNTHESIS form has popcount modules");
        assertFalse(v.contains("wm1"), "the original masks are not emitted");
        assertTrue(Files.exists(dir.resolve("pc_up_q0.hex")), "the class masks are memory files of 64-bit words");
        Hdl.lintVerilator(dir, d.name());
        Hdl.compileIcarus(dir, d.name());
        Hdl.synthYosys(dir, d.name());
        List<Hdl.Cycle> cycles = Hdl.random(d, 300, 9);
        assertTrue(Hdl.compare("icarus", d, cycles, Hdl.simIcarus(d, dir, cycles)) > 1000);
        assertTrue(Hdl.compare("icarus, SYNTHESIS form", d, cycles, Hdl.simIcarus(d, dir, cycles, "SYNTHESIS")) > 1000);
        List<List<Map<String, BigInteger>>> vl = Hdl.simVerilator(dir, List.of(d), List.of(cycles));
        assertTrue(Hdl.compare("verilator", d, cycles, vl.get(0)) > 1000);
    }

    /**
     * The simulators' word form sums its SWAR counts in fields: 4-bit over groups of 3 words,
     * 8-bit over 30 words, then 16-bit. 2,100 inputs are 33 words: a partial group, a second
     * 30-word block, and counts that wrap (pc_dn is modulo 2^10).
     */
    @Test
    void wideInputsMatchTheReferenceUnderVerilator() throws IOException {
        Tools.need("verilator", "iverilog", "vvp");
        Design d = TestDesigns.maskedLayer(5, 2100);
        Path dir = Hdl.write(d, tmp.resolve(d.name() + "_wide"));
        Hdl.lintVerilator(dir, d.name());
        List<Hdl.Cycle> cycles = Hdl.random(d, 120, 13);
        List<List<Map<String, BigInteger>>> vl = Hdl.simVerilator(dir, List.of(d), List.of(cycles));
        assertTrue(Hdl.compare("verilator", d, cycles, vl.get(0)) > 400);
        assertTrue(Hdl.compare("icarus", d, cycles, Hdl.simIcarus(d, dir, cycles)) > 400);
    }
}
