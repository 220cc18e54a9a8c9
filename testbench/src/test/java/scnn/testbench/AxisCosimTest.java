package scnn.testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import scnn.core.io.OutputPolicy;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.axis.AxisTop;
import scnn.generator.tools.Tools;
import scnn.testbench.axis.AxisCosim;
import scnn.testbench.axis.AxisRtl;
import scnn.testbench.verilog.Simulator;

/**
 * {@code cosim --top axis}: the AXI4-Stream top under Verilator and Icarus against the Java
 * simulator, with seeded random stalls on both streams and malformed frames (tlast early and late),
 * for the shipped default net and randomized nets (784, 196 and 49 inputs, one and two hidden layers,
 * both encodings, fold, replay, the analog baseline; 1, 8, 16 and 64 pixels a beat and one beat per
 * image: load- and compute-bound, part-filled last beats): 0 mismatches, the n-th result is inference n, and the manifest's interval and latency are
 * the ones measured.
 */
class AxisCosimTest {
    static Path shippedWeights() {
        Path w = CosimFixture.ROOT.resolve("weights").resolve("mnist-1h-L5-sc.json");
        assertTrue(Files.isRegularFile(w), w + " is shipped");
        return w;
    }

    static void check(String name, Network net, ScConfig cfg, int p, Simulator sim, int images, long seed) {
        check(name, net, cfg, p, sim, images, seed, false, CosimFixture.test());
    }

    /**
     * {@code lightRuns}: as {@link CosimFixture.Design#lightRuns()} (a Verilator build with the evaluation code at -O0);
     * the images from {@code set}.
     */
    static void check(String name, Network net, ScConfig cfg, int p, Simulator sim, int images, long seed, boolean lightRuns, MnistSet set) {
        Tools.need(sim.tools());
        ScDesign sd = ScBuilder.build(net, cfg, ScBuilder.topName(name));
        AxisTop.Axis ax = AxisTop.build(sd, p);
        Path dir = CosimFixture.workRoot().resolve("axis-" + name);
        AxisRtl.write(sd, ax, dir, sd.manifestFacts(), OutputPolicy.Replace.FORCE, java.util.Set.of());
        AxisCosim.Options o = new AxisCosim.Options(sim, images, AxisCosim.Options.cleanImages(images), seed,
                CosimFixture.buildOptions(lightRuns), Duration.ofMinutes(30));
        AxisCosim.Report r = AxisCosim.run(sd, ax, dir, set, o, 2, Progress.NONE);
        long[] w = r.rtl().waits();
        System.out.printf("[axis-cosim] %s/%s P=%d: %d images, %d lines, interval %d latency %d, waits src %d sink %d, build %.1f s run %.1f s, %d mismatches%n",
                name, sim.key(), p, images, r.rtl().lines().size(), ax.intervalCycles(), ax.latencyCycles(), w == null ? -1 : w[0], w == null ? -1 : w[1],
                r.build().seconds(), r.runSeconds(), r.mismatches().size());
        if (!r.agree()) {
            StringBuilder sb = new StringBuilder(r.mismatches().size() + " mismatches (" + sim.key() + "); see " + r.workDir() + ":");
            r.mismatches().stream().limit(12).forEach(m -> sb.append("\n  ").append(m));
            fail(sb.toString());
        }
        assertEquals(images, r.rtl().results().size());
        assertEquals(ax.latencyCycles(), r.measuredLatency());
        for (long iv : r.measuredIntervals()) assertEquals(ax.intervalCycles(), iv);
        assertTrue(w != null && w[0] > 0 && w[1] > 0, "both streams were stalled at some point");
        assertTrue(r.rtl().frameErrorEdge() >= 0, "frame_error rose");
    }

    @Execution(ExecutionMode.CONCURRENT)

    @ParameterizedTest(name = "{0}")
    @MethodSource("simulators")
    void shippedDefaultNet(Simulator sim) {
        Network net = WeightsIO.read(shippedWeights());
        check("shipped_" + net.name() + "_" + sim.key(), net, ScConfig.of(16), AxisTop.DEFAULT_PIXELS_PER_BEAT, sim,
                sim == Simulator.VERILATOR ? 20 : 4, 7);
    }

    static Stream<Simulator> simulators() {
        return Stream.of(Simulator.VERILATOR, Simulator.ICARUS);
    }

    static Stream<Arguments> randomNets() {
        RandomNetsCosimTest.Config[] c = RandomNetsCosimTest.CONFIGS.toArray(new RandomNetsCosimTest.Config[0]);
        return Stream.of(
                Arguments.of(c[0], 8, Simulator.VERILATOR, 8),   // 784 inputs, 1 hidden layer, sign-magnitude: load-bound
                Arguments.of(c[1], 64, Simulator.VERILATOR, 6),  // 196 inputs (a part-filled last beat), 2 hidden layers, bipolar, fold 2: compute-bound
                Arguments.of(c[3], 1, Simulator.VERILATOR, 4),   // fold 4, replayed weight streams, one pixel a beat
                Arguments.of(c[5], c[5].inputs(), Simulator.VERILATOR, 6), // the analog baseline, one beat per image
                Arguments.of(c[4], 16, Simulator.ICARUS, 4)); // 49 inputs (a part-filled last beat), 1 hidden layer, 3 levels, fold 2
    }

    @Execution(ExecutionMode.CONCURRENT)

    @ParameterizedTest(name = "{0} P={1} {2}")
    @MethodSource("randomNets")
    void randomNet(RandomNetsCosimTest.Config c, int p, Simulator sim, int images) {
        CosimFixture.Design d = c.design();
        check(c.name() + "_p" + p + "_" + sim.key(), d.sd().network(), d.sd().config(), p, sim, images, c.seed() + p, d.lightRuns(), d.images());
    }
}
