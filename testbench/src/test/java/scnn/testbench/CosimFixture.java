package scnn.testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.verilog.RtlWriter;
import scnn.sim.SimResult;
import scnn.testbench.verilog.RtlRunner;
import scnn.testbench.verilog.Simulator;

/**
 * Shared by the co-simulation tests: the MNIST test set, and RTL directories and simulator builds
 * made once per design and reused by every test that needs them (Verilator builds are the slow part).
 */
final class CosimFixture {
    private CosimFixture() {}

    static final Path ROOT = Path.of(System.getProperty("scnn.root", "..")).toAbsolutePath().normalize();
    /** Images written into every testbench work directory (runs use a prefix). */
    static final int MAX_IMAGES = 25;
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private static MnistSet test;
    private static final Map<Integer, MnistSet> POOLED = new HashMap<>();
    private static final Map<String, Design> DESIGNS = new HashMap<>();
    private static final Map<String, Built> BUILDS = new HashMap<>();

    /**
     * A design under test. {@code lightRuns}: its test runs take at most a few seconds even at
     * {@code -O0}, so its Verilator build compiles the evaluation code at {@code -O0} instead of
     * {@code -O1} (measured on the 784-6-10 net rc_sm_f1_n8: 28.6 against 43.2 CPU-s of g++, 5
     * images in 0.14 against 0.04 s, the same results).
     */
    record Design(String name, ScDesign sd, RtlDir rtl, boolean lightRuns, MnistSet images) {}

    record Built(Design design, Simulator simulator, RtlRunner.Build build) {}

    static synchronized MnistSet test() {
        if (test == null) test = MnistFiles.defaultLocation(ROOT).test();
        return test;
    }

    /**
     * The first {@link #MAX_IMAGES} MNIST test images averaged over {@code k x k} blocks (rounded half
     * up): 14 x 14 for k = 2, 7 x 7 for k = 4; {@code k = 1} is {@link #test()}. The randomized nets
     * take these smaller inputs: Verilator's build time grows with the input layer (one s-MTJ per
     * pixel and one synapse per pixel and neuron), and the shipped nets test the 784-pixel layer.
     */
    static synchronized MnistSet test(int k) {
        if (k == 1) return test();
        MnistSet p = POOLED.get(k);
        if (p != null) return p;
        MnistSet t = test().head(MAX_IMAGES);
        if (t.rows() % k != 0 || t.cols() % k != 0) throw new IllegalArgumentException(t.rows() + "x" + t.cols() + " images do not split into " + k + "x" + k + " blocks");
        int r = t.rows() / k, c = t.cols() / k;
        byte[] px = new byte[t.size() * r * c], lb = new byte[t.size()];
        for (int i = 0; i < t.size(); i++) {
            lb[i] = (byte) t.label(i);
            for (int y = 0; y < r; y++)
                for (int x = 0; x < c; x++) {
                    int sum = 0;
                    for (int dy = 0; dy < k; dy++)
                        for (int dx = 0; dx < k; dx++) sum += t.pixel(i, (y * k + dy) * t.cols() + x * k + dx);
                    px[(i * r + y) * c + x] = (byte) ((sum + k * k / 2) / (k * k));
                }
        }
        p = new MnistSet(r, c, t.classes(), px, lb);
        POOLED.put(k, p);
        return p;
    }

    static Path workRoot() {
        return Path.of("target", "cosim-tests").toAbsolutePath();
    }

    /** The design of {@code net} with {@code cfg}, its RTL written into target/cosim-tests/NAME (once); the MNIST test images. */
    static Design design(String name, Network net, ScConfig cfg) {
        return design(name, net, cfg, false, test());
    }

    /** As {@link #design(String, Network, ScConfig)}; {@code lightRuns} as in {@link Design}; run on {@code images}. */
    static synchronized Design design(String name, Network net, ScConfig cfg, boolean lightRuns, MnistSet images) {
        Design d = DESIGNS.get(name);
        if (d != null) return d;
        ScDesign sd = ScBuilder.build(net, cfg, ScBuilder.topName(name));
        Path dir = workRoot().resolve(name);
        RtlWriter.write(sd.design(), dir, sd.manifestFacts());
        d = new Design(name, sd, RtlDir.read(dir, sd.design().name()), lightRuns, images);
        DESIGNS.put(name, d);
        return d;
    }

    /** The test suite's Verilator build options: few images, and for {@code lightRuns} (see {@link Design}) the evaluation code at -O0. */
    static RtlRunner.BuildOptions buildOptions(boolean lightRuns) {
        RtlRunner.BuildOptions o = RtlRunner.BuildOptions.fewImages().withTimeout(BUILD_TIMEOUT);
        return lightRuns ? o.withOptFast("-O0") : o;
    }

    private static final Map<String, Object> BUILD_LOCKS = new HashMap<>();

    /**
     * The testbench of a design built with {@code sim} (once per design and simulator). Builds of
     * different keys may run at the same time (test classes that run their cases concurrently); a
     * second caller of the same key waits for the first one's build.
     */
    static Built built(Design d, Simulator sim) {
        String key = d.name() + "/" + sim.key();
        Object lock;
        synchronized (BUILD_LOCKS) {
            lock = BUILD_LOCKS.computeIfAbsent(key, k -> new Object());
        }
        synchronized (lock) {
            synchronized (BUILDS) {
                Built b = BUILDS.get(key);
                if (b != null) return b;
            }
            Path wd = Cosim.prepare(d.sd(), d.rtl(), sim, d.images(), MAX_IMAGES);
            RtlRunner.BuildOptions o = buildOptions(d.lightRuns());
            long t0 = System.nanoTime();
            RtlRunner.Build rb = Cosim.build(d.rtl(), sim, wd, o);
            System.out.printf("[cosim] %s: %s build %.1f s (%s)%n", key, sim.key(), (System.nanoTime() - t0) / 1e9, rb.description());
            Built b = new Built(d, sim, rb);
            synchronized (BUILDS) {
                BUILDS.put(key, b);
            }
            return b;
        }
    }

    /**
     * Runs a build on the first {@code images} images with the memory files of {@code memDir} (an
     * RTL directory; results go into its cosim-SIM subdirectory) and compares with Java.
     */
    static Cosim.Report cosim(Built b, Path memDir, int images) {
        if (images > MAX_IMAGES) throw new IllegalArgumentException("at most " + MAX_IMAGES + " images");
        Path out = Cosim.workDir(memDir, b.simulator());
        RtlRunner.Run run = Cosim.run(b.design().sd(), b.build(), memDir, out, images, RUN_TIMEOUT);
        MnistSet set = b.design().images();
        SimResult java = Cosim.java(b.design().sd(), set, images, 2, Progress.NONE);
        Cosim.Report r = Cosim.report(b.build(), run, java, set, out);
        System.out.printf("[cosim] %s/%s: %d images, %d cycles, run %.1f s, %d mismatches, events rtl %d/%d java %d/%d%n",
                b.design().name(), b.simulator().key(), images, java.cyclesPerInference, run.seconds(), r.mismatches().size(),
                r.rtl().smtjFlips(), r.rtl().accToggles(), java.smtjFlips, java.ffToggles.get("accumulator"));
        // the summary written next to the logs has the documented keys
        try {
            JsonNode j = new ObjectMapper().readTree(out.resolve(Cosim.SUMMARY).toFile());
            for (String k : List.of("mismatches", "images", "simulator", "rtl_accuracy", "java_accuracy", "events",
                    b.simulator().key() + "_build_s", b.simulator().key() + "_run_s"))
                assertTrue(j.has(k), "cosim.json has " + k);
            assertEquals(r.mismatches().size(), j.get("mismatches").asInt());
            assertTrue(j.at("/events/rtl/smtj_flips").isNumber() && j.at("/events/java/acc_toggles").isNumber());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    static Cosim.Report cosim(Built b, int images) {
        return cosim(b, b.design().rtl().dir(), images);
    }

    /** Fails with the first mismatches and the directory to look in. */
    static void assertAgree(Cosim.Report r) {
        if (!r.agree()) {
            StringBuilder sb = new StringBuilder(r.mismatches().size() + " mismatches between RTL (" + r.simulator().key()
                    + ") and the Java simulator; see " + r.workDir() + ":");
            r.mismatches().stream().limit(10).forEach(m -> sb.append("\n  ").append(m));
            fail(sb.toString());
        }
    }

    /** No mismatch, and the cycle count is the one the generator declared. */
    static void assertAgree(Cosim.Report r, Design d) {
        assertAgree(r);
        assertEquals(d.sd().cyclesPerInference(), r.java().cyclesPerInference, "cycles per inference (declared vs simulated)");
    }
}
