package scnn.sim.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scnn.core.model.Encoding;
import scnn.generator.arch.*;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.sim.TestNets;

/**
 * The vector popcount kernel ({@link VectorPopcount}, eight kernels per 512-bit word, {@link
 * PopcountGroups}) computes what the one-kernel loop computes: every slot's value, every toggle
 * count and every block's runs, cycle by cycle, on generated designs whose layers have full groups
 * of eight, a last group of at least four (vector) and one of fewer (one by one), in full batches
 * and in part of the lanes, with every group through the vector kernel and with one group per run
 * (the machines' warm-up, {@link VectorPopcount#compiled}). Needs a JVM with {@code --add-modules jdk.incubator.vector}
 * (the build's surefire configuration adds it); on a CPU without 512-bit vectors the kernel runs emulated.
 */
class VectorPopcountTest {
    @ParameterizedTest(name = "levels {0}, encoding {1}, fold {2}, counted lanes {3}, every group vector {4}")
    @CsvSource({"5, sign-magnitude, 1, 64, true", "3, bipolar, 1, 64, true", "5, sign-magnitude, 1, 37, true", "11, sign-magnitude, 2, 64, true",
            "5, sign-magnitude, 1, 64, false"})
    void vectorKernelMatchesTheLoop(int levels, String encoding, int fold, int lanes, boolean warm) {
        // the build's surefire configuration adds the module; a CPU without 512-bit vectors runs the kernel emulated
        assertTrue(PopcountGroups.MODULE, "the vector kernel needs a JVM started with --add-modules jdk.incubator.vector");
        ScConfig cfg = new ScConfig(16, Encoding.parse(encoding), fold, 1, SmtjModel.DEFAULT, null, Arch.parse("auto"), SynapseRng.parse("rotate"));
        ScDesign sd = ScBuilder.build(TestNets.random(13, levels, 21, 10), cfg, "vp");
        Design d = sd.flat().design();
        Map<Node, Long> running = Map.of(d.node(CoreInterface.START), 0L, d.node(CoreInterface.PIX_WE), 0L);
        Program p0 = Compiler.compile(d), p = Compiler.compile(d, running, p0);
        Machine a, b;
        PopcountGroups.forced = true;
        try {
            a = new Machine(p0, p);
        } finally {
            PopcountGroups.forced = false;
        }
        PopcountGroups.enabled = false;
        try {
            b = new Machine(p0, p);
        } finally {
            PopcountGroups.enabled = true;
        }
        assertTrue(a.vectorPopcounts());
        assertFalse(b.vectorPopcounts());
        PopcountGroups g = p.popcountGroups(p0.slotCount());
        assertTrue(g.runs() >= 2, "runs of narrow kernels: " + g.runs());
        start(a, sd, lanes);
        start(b, sd, lanes);
        // warm: every vector group through the vector kernel; else one group per run until a call is fast
        VectorPopcount.compiled = warm;
        for (int c = 0; c < sd.cyclesPerInference(); c++) {
            a.step();
            b.step();
            for (int v = 0; v < p0.slotCount(); v++) if (a.word(v) != b.word(v)) fail("cycle " + c + ": slot " + v);
        }
        assertArrayEquals(b.toggles(), a.toggles());
        assertArrayEquals(b.blockRuns(1), a.blockRuns(1));
    }

    /** The groups: eight kernels of one width each but the last of a width, sorted by input count, padded with the pad slot. */
    @Test
    void groupsOfEightPaddedWithThePadSlot() {
        ScConfig cfg = new ScConfig(16, Encoding.parse("sign-magnitude"), 1, 1, SmtjModel.DEFAULT, null, Arch.parse("auto"), SynapseRng.parse("rotate"));
        Design d = ScBuilder.build(TestNets.random(13, 5, 21, 10), cfg, "vp").flat().design();
        Program p = Compiler.compile(d);
        int pad = p.slotCount();
        PopcountGroups g = PopcountGroups.plan(p, pad);
        int kernels = 0, vector = 0, scalar = 0;
        for (int pc = 0; pc < p.code.length; ) {
            PopcountGroups.Run r = g.at(pc);
            if (r == null) {
                pc = Instr.encodedNext(p.code, pc);
                continue;
            }
            for (PopcountGroups.Group gr : r.groups()) {
                assertTrue(gr.pcs().length <= PopcountGroups.LANES);
                if (gr.vector()) vector++;
                else scalar++;
                for (int i = 0; i < gr.pcs().length; i++) {
                    int k = gr.pcs()[i], n = Instr.nReads(p.code, k), ins = Instr.writesAt(p.code, k) + Instr.nWrites(p.code, k);
                    assertEquals(gr.width(), Instr.nWrites(p.code, k));
                    assertTrue(k >= r.start() && k < r.end());
                    for (int t = 0; t < gr.steps(); t++) assertEquals(t < n ? p.code[ins + t] : pad, gr.idx()[t * PopcountGroups.LANES + i]);
                    kernels++;
                }
                for (int i = gr.pcs().length; i < PopcountGroups.LANES; i++)
                    for (int t = 0; t < gr.steps(); t++) assertEquals(pad, gr.idx()[t * PopcountGroups.LANES + i]);
            }
            pc = r.end();
        }
        assertTrue(vector >= 4 && scalar >= 1, "vector groups " + vector + ", one-by-one groups " + scalar);
        assertTrue(kernels >= 2 * (21 + 10), "kernels in runs: " + kernels);
    }

    /** Random pixels in every lane, start on the base variant, then the counting running variant. */
    private static void start(Machine m, ScDesign sd, int lanes) {
        Design d = sd.flat().design();
        Node pixMem = d.node(sd.pixelMemory()), counter = d.node(sd.inferenceCounter());
        SplittableRandom r = new SplittableRandom(7);
        for (int j = 0; j < Machine.LANES; j++) {
            for (int q = 0; q < sd.coreInterface().inputs(); q++) m.poke(pixMem, q, j, r.nextInt(256));
            m.poke(counter, 0, j, j);
        }
        for (int i = 0; i < sd.keyLatency(); i++) m.step();
        m.set(d.node(CoreInterface.START), 1);
        m.step();
        m.set(d.node(CoreInterface.START), 0);
        m.use(1);
        m.setCountedLanes(lanes);
        m.setCounting(true);
    }
}
