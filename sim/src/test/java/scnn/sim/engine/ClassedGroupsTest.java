package scnn.sim.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scnn.core.model.Encoding;
import scnn.core.weights.Network;
import scnn.generator.arch.*;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.sim.TestNets;

/**
 * Groups that count into classes ({@link Instr#CLASSED}) compute what the plain groups compute:
 * every slot's value cycle by cycle, and every event sum the accounting takes (over a node's
 * signals, over the slots a node owns, over a kernel's inputs), on generated designs of the analog
 * baseline (whose products and comparator gates are such groups) and of the quantized architecture,
 * in full batches and in part of the lanes.
 */
class ClassedGroupsTest {
    @ParameterizedTest(name = "{0}, counted lanes {1}")
    @CsvSource({"analog, 64", "analog, 37", "quantized, 64"})
    void classedGroupsMatchThePlainGroups(String arch, int lanes) {
        Network net = arch.equals("analog") ? TestNets.analog(29, 15, true, 24, 10) : TestNets.random(11, 5, 24, 10);
        ScConfig cfg = new ScConfig(12, Encoding.SIGN_MAGNITUDE, 1, 1, SmtjModel.DEFAULT, null, Arch.parse("auto"), SynapseRng.parse("rotate"));
        ScDesign sd = ScBuilder.build(net, cfg, "cg");
        Design d = sd.flat().design();
        Map<Node, Long> running = Map.of(d.node(CoreInterface.START), 0L, d.node(CoreInterface.PIX_WE), 0L);
        Program c0 = Compiler.compile(d), c = Compiler.compile(d, running, c0);
        Program g0, g;
        Encoder.classedGroups = false;
        try {
            g0 = Compiler.compile(d);
            g = Compiler.compile(d, running, g0);
        } finally {
            Encoder.classedGroups = true;
        }
        int classed = classedWrites(c), plain = classedWrites(g);
        assertEquals(0, plain);
        if (arch.equals("analog")) assertTrue(classed > 24 * 784 / 2, "the analog products count into classes: " + classed);
        assertEquals(g.instructionCount(), c.instructionCount(), "the same instructions, sorted and regrouped");
        Machine a = new Machine(c0, c), b = new Machine(g0, g);
        start(a, sd, lanes);
        start(b, sd, lanes);
        for (int cyc = 0; cyc < sd.cyclesPerInference(); cyc++) {
            a.step();
            b.step();
            for (int v = 0; v < c.slotCount(); v++) if (a.word(v) != b.word(v)) fail("cycle " + cyc + ": slot " + v);
        }
        assertArrayEquals(b.blockRuns(1), a.blockRuns(1));
        long[] ta = a.toggles(), tb = b.toggles();
        long total = 0;
        for (Node n : d.nodes()) {
            long sa = 0, sb = 0;
            for (int v : c.signals(n)) if (v >= 0) sa += ta[v];
            for (int v : g.signals(n)) if (v >= 0) sb += tb[v];
            assertEquals(sb, sa, n.name());
            total += sa;
        }
        assertTrue(total > 0, "events were counted");
        long[] oa = new long[d.nodes().size()], ob = new long[d.nodes().size()];
        for (int v = 0; v < c.slotCount(); v++) if (c.slotOwner(v) >= 0) oa[c.slotOwner(v)] += ta[v];
        for (int v = 0; v < g.slotCount(); v++) if (g.slotOwner(v) >= 0) ob[g.slotOwner(v)] += tb[v];
        assertArrayEquals(ob, oa);
        assertEquals(g.kernels(), c.kernels());
        for (int k = 0; k < c.kernels(); k++) {
            long sa = 0, sb = 0;
            for (int v : c.kernelInputs(k)) sa += ta[v];
            for (int v : g.kernelInputs(k)) sb += tb[v];
            assertEquals(sb, sa, "kernel " + k);
        }
    }

    /** The instructions of a program's {@link Instr#CLASSED} groups. */
    private static int classedWrites(Program p) {
        int n = 0;
        for (int pc = 0; pc < p.code.length; pc = Instr.encodedNext(p.code, pc)) if (Instr.op(p.code, pc) == Instr.CLASSED) n += p.code[pc + 1];
        return n;
    }

    /** Random pixels in every lane, start on the base variant, then the counting running variant. */
    private static void start(Machine m, ScDesign sd, int lanes) {
        Design d = sd.flat().design();
        Node pixMem = d.node(sd.pixelMemory()), counter = d.node(sd.inferenceCounter());
        SplittableRandom r = new SplittableRandom(5);
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
