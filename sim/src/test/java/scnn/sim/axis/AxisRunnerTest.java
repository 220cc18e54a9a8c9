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
}
