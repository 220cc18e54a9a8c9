package scnn.sim.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scnn.core.model.Encoding;
import scnn.generator.arch.*;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.sim.TestNets;

/**
 * The fused pattern records ({@link Fuser}) compute what the loops compute: every slot's value and
 * every toggle count, cycle by cycle, on a generated design of the quantized architecture (whose
 * s-MTJ cells, requantizer ladders and adders are patterns), in full batches (where fused code
 * runs) and in part of the lanes (where it does not).
 */
class FuserTest {
    @ParameterizedTest(name = "levels {0}, encoding {1}, counted lanes {2}")
    @CsvSource({"5, sign-magnitude, 64", "3, bipolar, 64", "5, sign-magnitude, 37"})
    void fusedRecordsMatchTheLoops(int levels, String encoding, int lanes) {
        ScConfig cfg = new ScConfig(16, Encoding.parse(encoding), 1, 1, SmtjModel.DEFAULT, null, Arch.parse("auto"), SynapseRng.parse("rotate"));
        ScDesign sd = ScBuilder.build(TestNets.random(11, levels, 24, 10), cfg, "fz");
        Design d = sd.flat().design();
        Map<Node, Long> running = Map.of(d.node(CoreInterface.START), 0L, d.node(CoreInterface.PIX_WE), 0L);
        Program f0 = Compiler.compile(d), f = Compiler.compile(d, running, f0);
        Program l0, l;
        Fuser.enabled = false;
        try {
            l0 = Compiler.compile(d);
            l = Compiler.compile(d, running, l0);
        } finally {
            Fuser.enabled = true;
        }
        assertTrue(f.fused.pc().length > 10, "patterns of the running variant are fused: " + f.fused.pc().length);
        assertEquals(0, l.fused.pc().length);
        assertArrayEquals(l.code, f.code, "the same program but for the fused code");
        Machine a = new Machine(f0, f), b = new Machine(l0, l);
        start(a, sd, lanes);
        start(b, sd, lanes);
        for (int c = 0; c < sd.cyclesPerInference(); c++) {
            a.step();
            b.step();
            for (int v = 0; v < f.slotCount(); v++) if (a.word(v) != b.word(v)) fail("cycle " + c + ": slot " + v);
        }
        assertArrayEquals(b.toggles(), a.toggles());
        assertArrayEquals(b.blockRuns(1), a.blockRuns(1));
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
