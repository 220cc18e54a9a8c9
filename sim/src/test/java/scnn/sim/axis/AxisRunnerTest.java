package scnn.sim.axis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.axis.AxisTop;
import scnn.sim.EnergyModel;
import scnn.sim.InferenceRunner;
import scnn.sim.SimResult;
import scnn.sim.TestNets;

/** The AXI4-Stream top in the Java simulator: ordering, framing, back-pressure, timing figures. */
class AxisRunnerTest {
    static MnistSet images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * MnistSet.PIXELS], lb = new byte[n];
        for (int i = 0; i < px.length; i++) px[i] = (byte) r.nextInt(256);
        for (int i = 0; i < n; i++) lb[i] = (byte) r.nextInt(10);
        return new MnistSet(px, lb);
    }

    static final ScDesign CORE = ScBuilder.build(TestNets.random(5, 5, 6, 10), ScConfig.of(8), "axt");

    @ParameterizedTest(name = "P = {0}")
    @ValueSource(ints = {1, 8, 64, 784})
    void cleanStreamGivesTheCoreResultsAtTheStatedTiming(int p) {
        AxisTop.Axis ax = AxisTop.build(CORE, p);
        MnistSet set = images(4, 3);
        SimResult ref = new InferenceRunner(CORE).run(set, 4, 1, EnergyModel.DEFAULT, Progress.NONE);
        AxisTrace tr = new AxisRunner(ax).run(AxisStimulus.clean(set, 4, 784, p, CORE.cyclesPerInference()));
        assertTrue(tr.ended(), tr::text);
        List<AxisTrace.Result> rs = tr.results();
        assertEquals(4, rs.size(), tr::text);
        for (int i = 0; i < 4; i++) {
            assertEquals(ref.predictions[i], rs.get(i).tdata(), "result " + i);
            assertEquals(1, rs.get(i).tlast());
        }
        assertEquals(ax.latencyCycles(), tr.firstLatency());
        assertArrayEquals(new long[] {ax.intervalCycles(), ax.intervalCycles(), ax.intervalCycles()}, tr.intervals(4));
        assertEquals(Math.max((784 + p - 1) / p, CORE.cyclesPerInference() + 1), ax.intervalCycles());
        assertEquals(-1, tr.frameErrorEdge());
    }

    @ParameterizedTest(name = "P = {0}")
    @ValueSource(ints = {1, 8, 64, 784})
    void stallsAndMalformedFramesLoseAndDuplicateNothing(int p) {
        AxisTop.Axis ax = AxisTop.build(CORE, p);
        int k = 7;
        MnistSet set = images(k, 4);
        SimResult ref = new InferenceRunner(CORE).run(set, k, 1, EnergyModel.DEFAULT, Progress.NONE);
        AxisStimulus st = AxisStimulus.stressed(set, k, 2, 784, p, CORE.cyclesPerInference(), 11);
        AxisTrace tr = new AxisRunner(ax).run(st);
        assertTrue(tr.ended(), tr::text);
        List<AxisTrace.Result> rs = tr.results();
        assertEquals(k, rs.size(), tr::text);
        for (int i = 0; i < k; i++) assertEquals(ref.predictions[i], rs.get(i).tdata(), "result " + i);
        assertEquals(st.beats().size(), tr.beatEdges().length, "every beat is taken once");
        assertTrue(tr.frameErrorEdge() >= 0, "frame_error rose");
        // the stalls did happen: some cycles without a transfer while the source had beats
        long[] be = tr.beatEdges();
        assertTrue(be[be.length - 1] - be[0] > be.length, "stalls slowed the stream");
        assertEquals(ax.latencyCycles(), tr.firstLatency());
        assertArrayEquals(new long[] {ax.intervalCycles()}, tr.intervals(2));
        long[] w = tr.waits();
        assertTrue(w[0] > 0, "back-pressure reached the source");
        assertTrue(w[1] > 0, "results waited for the sink");
    }

    /**
     * Inside the wrapper the core computes, for the n-th accepted image, exactly what the core alone
     * computes for that image as inference n: every output score (its output accumulators when done
     * rises), not only the class; with stalls and malformed frames in between.
     */
    @ParameterizedTest(name = "net {0}")
    @ValueSource(ints = {1, 2})
    void coreInsideComputesTheSameScores(int hidden) {
        ScDesign core = hidden == 1 ? CORE : ScBuilder.build(TestNets.random(6, 11, 5, 4, 10), ScConfig.of(6).withFold(2), "axt2");
        AxisTop.Axis ax = AxisTop.build(core, 16);
        int k = 6;
        MnistSet set = images(k, 8);
        SimResult ref = new InferenceRunner(core).run(set, k, 1, EnergyModel.DEFAULT, Progress.NONE);
        // the core's nodes in the wrapper's flat design are the core's flat nodes, prefixed with the instance name
        scnn.ir.Design cf = core.flat().design();
        scnn.ir.Node acc = cf.outputs().get("score").node().arg(0).node(); // score = ARRAY_GET(output accumulators, score_sel)
        scnn.ir.Design flat = ax.flat().design();
        scnn.ir.Node fAcc = flat.node(AxisTop.CORE_INSTANCE + "_" + acc.name());
        scnn.ir.Node fDone = flat.node(AxisTop.CORE_INSTANCE + "_" + cf.outputs().get("done").node().name());
        assertTrue(fAcc != null && fDone != null, acc.name());
        java.util.List<long[]> seen = new java.util.ArrayList<>();
        AxisTrace tr = new AxisRunner(ax).run(AxisStimulus.stressed(set, k, 2, 784, 16, core.cyclesPerInference(), 5), (t, m) -> {
            if (m.peek(fDone, 0, 0) == 0) return;
            long[] sc = new long[acc.count()];
            int w = acc.width();
            for (int c = 0; c < sc.length; c++) {
                long v = m.peek(fAcc, c, 0);
                if (w < 64 && ((v >>> (w - 1)) & 1) != 0) v |= -1L << w;
                sc[c] = v;
            }
            seen.add(sc);
        });
        assertTrue(tr.ended(), tr::text);
        assertEquals(k, seen.size(), "done rose once per accepted image");
        for (int i = 0; i < k; i++) assertArrayEquals(ref.scores[i], seen.get(i), "scores of inference " + i);
    }
}
