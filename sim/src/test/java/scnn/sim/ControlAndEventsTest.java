package scnn.sim;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;
import scnn.sim.engine.Compiler;
import scnn.sim.engine.Machine;
import scnn.sim.engine.Program;

/** Exact, hand-checkable behaviour: counters, accumulators, the FSM's timing and toggle counts. */
class ControlAndEventsTest {

    @Test
    void counterWithEnableAndExactToggleCounts() {
        Design d = new Design("cnt");
        Node en = d.input("en", 1);
        Node c = d.reg("c", Tag.CONTROL, 3, 0);
        d.connect(c, Ref.of(d.op("inc", Tag.CONTROL, Op.ADD, 3, 1, new int[0], Ref.of(c), Ref.of(d.constant("one", Tag.CONTROL, 3, 1)))), Ref.of(en));
        d.output("q", c);
        Program p = Compiler.compile(d);
        Machine m = new Machine(p);
        m.setCounting(true);
        m.set(en, 1);
        for (int i = 1; i <= 8; i++) {
            m.step();
            assertEquals(i % 8, m.peek(c, 0, 0));
        }
        m.set(en, 0);
        m.step();
        assertEquals(0, m.peek(c, 0, 0), "disabled counter holds");
        long[] tog = m.toggles();
        int[] sig = p.signals(c);
        // 0..7 then back to 0: bit 0 toggles 8 times, bit 1 4 times, bit 2 twice; in all 64 lanes
        assertEquals(8 * 64, tog[sig[0]]);
        assertEquals(4 * 64, tog[sig[1]]);
        assertEquals(2 * 64, tog[sig[2]]);
    }

    /**
     * Toggle counts past 2^31 per slot: a register and the inverter after it toggle in all 64 lanes
     * every cycle for 2^25 + 3 cycles (the machine keeps short per-slot counters that it must flush in
     * time).
     */
    @Test
    void toggleCountsDoNotOverflowOnLongRuns() {
        Design d = new Design("blink");
        Node q = d.reg("q", Tag.CONTROL, 1, 0);
        Node nq = d.op("nq", Tag.CONTROL, Op.NOT, 1, 1, new int[0], Ref.of(q));
        d.connect(q, Ref.of(nq), null);
        d.output("o", q);
        Program p = Compiler.compile(d);
        Machine m = new Machine(p);
        m.setCounting(true);
        long cycles = (1L << 25) + 3;
        for (long i = 0; i < cycles; i++) m.step();
        long[] tog = m.toggles();
        assertEquals(64 * cycles, tog[p.signals(q)[0]], "register");
        // the inverter is evaluated before each edge: its first evaluation sets it from 0 to 1
        assertEquals(64 * cycles, tog[p.signals(nq)[0]], "inverter");
    }

    @Test
    void signedAccumulatorWrapsAtItsWidth() {
        Design d = new Design("acc");
        Node x = d.input("x", 6);
        Node a = d.reg("a", Tag.ACCUMULATOR, 6, 0);
        d.connect(a, Ref.of(d.op("s", Tag.ACCUMULATOR, Op.ADD, 6, 1, new int[0], Ref.of(a), Ref.of(x))), null);
        Machine m = new Machine(Compiler.compile(d));
        long[] in = {5, -3 & 63, 31, 1, -40 & 63};
        long want = 0;
        for (long v : in) {
            m.poke(x, 0, 0, v);
            m.step();
            want = (want + v) & 63;
            assertEquals(want, m.peek(a, 0, 0));
        }
        assertEquals((5 - 3 + 31 + 1 - 40) & 63, want);
    }

    @ParameterizedTest(name = "fold {0}, N {1}")
    @CsvSource({"1, 4", "2, 3", "4, 2"})
    void fsmTimingBusyDoneAndIgnoredStart(int fold, int bits) {
        var net = TestNets.random(5, 5, 3, 10);
        ScDesign sd = ScBuilder.build(net, new ScConfig(bits, Encoding.SIGN_MAGNITUDE, fold, 3, SmtjModel.DEFAULT), "t");
        assertEquals(2 * (bits * fold + 1), sd.cyclesPerInference(), "layers x (N x fold + 1)");
        Design d = sd.flat().design();
        Machine m = new Machine(Compiler.compile(d));
        Node start = d.node("start"), busy = d.outputs().get("busy").node(), done = d.outputs().get("done").node();
        Node k = d.node(sd.inferenceCounter()), cls = d.outputs().get("class_out").node();
        for (int inference = 0; inference < 2; inference++) {
            m.set(start, 1);
            m.step();
            m.set(start, 0);
            assertEquals(1, m.peek(busy, 0, 0));
            assertEquals(inference + 1, m.peek(k, 0, 0), "the inference counter counts accepted starts");
            int edges = 0;
            while (m.peek(done, 0, 0) == 0) {
                if (edges == 3) m.set(start, 1); // a start while busy is ignored
                m.step();
                m.set(start, 0);
                edges++;
                assertTrue(edges <= sd.cyclesPerInference());
            }
            assertEquals(sd.cyclesPerInference(), edges, "done rises exactly cycles-per-inference edges after the start edge");
            assertEquals(inference + 1, m.peek(k, 0, 0), "the start while busy was ignored");
            long c = m.peek(cls, 0, 0);
            assertEquals(0, m.peek(busy, 0, 0));
            m.step();
            assertEquals(0, m.peek(done, 0, 0), "done is a one-cycle pulse");
            for (int i = 0; i < 5; i++) m.step();
            assertEquals(c, m.peek(cls, 0, 0), "class_out is held until the next start");
        }
    }

    /**
     * The analog baseline's DAC latency L (device file {@code dac_latency_cycles}): the control waits
     * L - 1 cycles after each hidden layer's latch cycle, so that done rises
     * {@code layers (N + 1) + (layers - 1)(L - 1)} edges after the start edge; in the wait nothing
     * samples and nothing adds, so every class, score, s-MTJ sample and flip is the L = 1 design's,
     * and only the clocked flip-flops cost more. The quantized design has no DAC: the same file leaves it as it is.
     */
    @Test
    void analogDacLatencyWaitsAndChangesNothingElse() {
        var net = TestNets.analog(31, 15, true, 6, 5, 10);
        int bits = 6, L = 4;
        ScConfig base = new ScConfig(bits, Encoding.SIGN_MAGNITUDE, 1, 3, SmtjModel.DEFAULT);
        ScDesign one = ScBuilder.build(net, base, "t");
        ScDesign slow = ScBuilder.build(net, base.withDac(new scnn.generator.arch.DacModel(L, 2.5)), "t");
        assertEquals(3 * (bits + 1), one.cyclesPerInference());
        assertEquals(3 * (bits + 1) + 2 * (L - 1), slow.cyclesPerInference(), "layers (N + 1) + (layers - 1)(L - 1)");
        assertEquals(L, slow.design().params().get("activation_latency_cycles"));
        // done rises exactly cyclesPerInference edges after the start edge
        Design d = slow.flat().design();
        Machine m = new Machine(Compiler.compile(d));
        Node start = d.node("start"), done = d.outputs().get("done").node();
        m.set(start, 1);
        m.step();
        m.set(start, 0);
        int edges = 0;
        while (m.peek(done, 0, 0) == 0 && edges <= slow.cyclesPerInference()) {
            m.step();
            edges++;
        }
        assertEquals(slow.cyclesPerInference(), edges);
        scnn.core.mnist.MnistSet set = StatisticsTest.test();
        SimResult a = new InferenceRunner(one).run(set, 70, 1, EnergyModel.DEFAULT, scnn.core.progress.Progress.NONE);
        SimResult b = new InferenceRunner(slow).run(set, 70, 1, EnergyModel.DEFAULT, scnn.core.progress.Progress.NONE);
        assertArrayEquals(a.predictions, b.predictions);
        for (int i = 0; i < a.images; i++) assertArrayEquals(a.scores[i], b.scores[i], "scores of image " + i);
        assertEquals(a.smtjSamples, b.smtjSamples);
        assertEquals(a.smtjFlips, b.smtjFlips);
        assertEquals(a.dacConversions, b.dacConversions);
        assertEquals(a.cyclesPerInference + 2 * (L - 1), b.cyclesPerInference, "the Java simulator measures the wait");
        assertEquals(L, b.activationLatencyCycles, "activation latency L");
        assertEquals(2.5 / EnergyModel.DEFAULT.dacConversionPj() * a.energyPj.get("dac"), b.energyPj.get("dac"), 1e-9, "the device file's DAC energy");
        assertTrue(b.energyPj.get("control") > a.energyPj.get("control"), "the wait clocks the flip-flops");
        // a quantized net with the same device file: no DAC, the same design
        var q = TestNets.random(5, 5, 6, 10);
        assertEquals(ScBuilder.build(q, base, "t").design().fingerprint(),
                ScBuilder.build(q, base.withDac(new scnn.generator.arch.DacModel(L, 2.5)), "t").design().fingerprint());
    }

    @Test
    void requantizerLadderGivesTheLevelCodeOfTheAccumulator() {
        // one hidden neuron whose accumulator we set directly, then watch the code register load
        var net = TestNets.random(9, 5, 1, 10);
        ScDesign sd = ScBuilder.build(net, new ScConfig(8, Encoding.SIGN_MAGNITUDE, 1, 3, SmtjModel.DEFAULT), "t");
        Design d = sd.flat().design();
        Node acc = d.node("l1_acc"), code = d.node("l1_code");
        Machine m = new Machine(Compiler.compile(d));
        double scale = net.layers().get(0).scale();
        long[] t = new long[4];
        for (int kk = 0; kk < 4; kk++) {
            double mid = (net.levelValue(kk) + net.levelValue(kk + 1)) / 2;
            t[kk] = (long) Math.ceil(8 * mid / scale - 1e-9);
        }
        int w = acc.width();
        for (long v = t[0] - 3; v <= t[3] + 3; v++) {
            m.poke(acc, 0, 0, v & ((1L << w) - 1));
            m.eval();
            long want = 0;
            for (long th : t) if (v >= th) want++;
            assertEquals(want, m.peek(code, 0, 0), "acc = " + v);
        }
    }

    @Test
    void registersStartEveryInferenceFreeOfHistory() {
        var net = TestNets.random(11, 5, 4, 10);
        ScDesign sd = ScBuilder.build(net, new ScConfig(4, Encoding.SIGN_MAGNITUDE, 1, 3, SmtjModel.DEFAULT), "t");
        Design d = sd.flat().design();
        Machine m = new Machine(Compiler.compile(d));
        Node start = d.node("start");
        // scribble over every register except the inference counter and the key registers that follow
        // it, then start: after the start edge every register must equal its value after a start from reset
        Machine fresh = new Machine(Compiler.compile(d));
        for (Node n : d.nodes())
            if (n.op() == Op.REG && !n.name().equals(sd.inferenceCounter()) && !sd.inferenceKeyRegisters().contains(n.name()))
                for (int g = 0; g < n.count(); g++) m.poke(n, g, 0, 0x5a5a5a5aL);
        for (Machine x : new Machine[] {m, fresh}) {
            x.set(start, 1);
            x.step();
        }
        for (Node n : d.nodes())
            if (n.op() == Op.REG)
                for (int g = 0; g < n.count(); g++)
                    assertEquals(fresh.peekBits(n, g, 0), m.peekBits(n, g, 0), n.name() + "[" + g + "]");
    }

    /** murmur3's fmix32, written out independently of the builder. */
    private static long fmix32(long k) {
        int h = (int) k;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & 0xffffffffL;
    }

    /**
     * The key is a two-stage pipeline of the inference counter (ScDesign.keyLatency), yet at every
     * accepted start it equals K = fmix32(k ^ S) of the counter k at that start, as the
     * combinational hash did: here with starts as close as the FSM allows (start held high, one
     * layer, N = 1: an inference of 2 edges, a start every 3 edges), from reset, and after pokes of
     * the counter followed by keyLatency idle edges.
     */
    @Test
    void keyAtEveryStartIsTheHashOfTheCounter() {
        var net = TestNets.random(13, 5, 10);
        ScDesign sd = ScBuilder.build(net, new ScConfig(1, Encoding.SIGN_MAGNITUDE, 1, 7, SmtjModel.DEFAULT), "t");
        assertEquals(2, sd.cyclesPerInference());
        assertEquals(2, sd.keyLatency());
        Design d = sd.flat().design();
        Machine m = new Machine(Compiler.compile(d));
        Node start = d.node("start"), startOk = d.node("ctl_start_ok"), k = d.node(sd.inferenceCounter());
        Node key = d.node(sd.inferenceKeyRegisters().get(sd.inferenceKeyRegisters().size() - 1));
        long s = m.peek(d.node("ctl_key_s"), 0, 0);
        m.set(start, 1);
        int starts = 0;
        for (int cyc = 0; cyc < 40; cyc++) {
            m.eval();
            if (m.peek(startOk, 0, 0) == 1) {
                assertEquals(fmix32(m.peek(k, 0, 0) ^ s), m.peek(key, 0, 0), "key at start " + starts);
                starts++;
            }
            m.step();
        }
        assertTrue(starts >= 13, starts + " starts in 40 edges");
        m.set(start, 0);
        long[] ks = {0, 1, 0x7fffffffL, 0xffffffffL, 0x12345678L};
        for (int lane = 0; lane < ks.length; lane++) m.poke(k, 0, lane, ks[lane]);
        for (int i = 0; i < sd.keyLatency(); i++) m.step();
        m.eval();
        for (int lane = 0; lane < ks.length; lane++) assertEquals(fmix32(ks[lane] ^ s), m.peek(key, 0, lane), "lane " + lane);
    }
}
