package scnn.testbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.generator.arch.ScDesign;
import scnn.sim.EnergyModel;
import scnn.sim.InferenceRunner;
import scnn.sim.SimResult;
import scnn.testbench.verilog.RtlResults;
import scnn.testbench.verilog.RtlRunner;
import scnn.testbench.verilog.Simulator;
import scnn.testbench.verilog.TestbenchWriter;

/**
 * Co-simulation: the generated Verilog under Verilator or Icarus against the Java cycle simulator,
 * on the same first K MNIST test images. Per image the class, every output score and the cycle
 * count must be equal; over all images the s-MTJ flips and the accumulator flip-flop toggles.
 *
 * <p>Files, in {@code <rtl dir>/cosim-<simulator>/}: {@code tb.v}, {@code images.hex},
 * {@code build.log}, {@code run.log}, {@code results.txt} (RTL), {@code java-results.txt} (the
 * Java simulator in the same format, so the two diff), {@code mismatches.json} (always written; an
 * array of {@code {image, field, rtl, java}}, empty when the two agree), {@code cosim.json} (the
 * summary).
 */
public final class Cosim {
    private Cosim() {}

    public static final String JAVA_RESULTS = "java-results.txt";
    public static final String MISMATCHES = "mismatches.json";
    public static final String SUMMARY = "cosim.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A difference between the RTL and the Java simulator.
     *
     * @param image image index, or null for a total over all images
     * @param field {@code class}, {@code cycles}, {@code score<c>}, {@code smtj_flips} or {@code acc_toggles}
     * @param rtl   the RTL's value
     * @param java  the Java simulator's value
     */
    public record Mismatch(Integer image, String field, long rtl, long java) {
        @Override
        public String toString() {
            return (image == null ? "total" : "image " + image) + " " + field + ": rtl " + rtl + ", java " + java;
        }
    }

    /**
     * Options.
     *
     * @param simulator  Verilator or Icarus
     * @param images     K: the first K test images
     * @param threads    Java simulator threads
     * @param build      build options
     * @param runTimeout limit for the simulator run
     */
    public record Options(Simulator simulator, int images, int threads, RtlRunner.BuildOptions build, Duration runTimeout) {
        public static Options of(Simulator sim, int images) {
            return new Options(sim, images, Math.max(1, Runtime.getRuntime().availableProcessors()), RtlRunner.BuildOptions.cosim(),
                    Duration.ofMinutes(10).plusSeconds(60L * images));
        }
    }

    /** What a co-simulation found. */
    public record Report(Simulator simulator, int images, Path workDir, List<Mismatch> mismatches, int rtlCorrect, int javaCorrect,
                         RtlResults rtl, SimResult java, RtlRunner.Build build, RtlRunner.Run run) {
        public double rtlAccuracy() {
            return images == 0 ? 0 : (double) rtlCorrect / images;
        }

        public double javaAccuracy() {
            return images == 0 ? 0 : (double) javaCorrect / images;
        }

        public boolean agree() {
            return mismatches.isEmpty();
        }

        /** The summary object (also {@code cosim.json}). */
        public ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("simulator", simulator.key());
            o.put("images", images);
            o.put("mismatches", mismatches.size());
            o.put("agree", agree());
            o.put("cycles_per_inference", java.cyclesPerInference);
            o.put("rtl_accuracy", rtlAccuracy());
            o.put("java_accuracy", javaAccuracy());
            ObjectNode ev = o.putObject("events");
            ObjectNode r = ev.putObject("rtl");
            r.put("smtj_flips", rtl.smtjFlips());
            r.put("acc_toggles", rtl.accToggles());
            r.put("smtj_samples", rtl.smtjSamples());
            r.put("dac_conversions", rtl.dacConversions());
            ObjectNode j = ev.putObject("java");
            j.put("smtj_flips", java.smtjFlips);
            j.put("acc_toggles", java.ffToggles.get("accumulator"));
            j.put("smtj_samples", java.smtjSamples);
            j.put("dac_conversions", java.dacConversions);
            o.put(simulator.key() + "_build_s", build.seconds());
            o.put(simulator.key() + "_run_s", run.seconds());
            o.put("build_s", build.seconds());
            o.put("run_s", run.seconds());
            o.put("java_s", java.wallSeconds);
            o.put("java_compile_s", java.compileSeconds);
            o.put("java_threads", java.threads);
            o.put("build", build.description());
            o.put("directory", workDir.toString());
            o.put("mismatches_file", workDir.resolve(MISMATCHES).toString());
            return o;
        }
    }

    /** The work directory of a simulator inside an RTL directory. */
    public static Path workDir(Path rtlDir, Simulator sim) {
        return rtlDir.toAbsolutePath().normalize().resolve("cosim-" + sim.key());
    }

    /** Writes {@code tb.v} and the image file for {@code images} images into the work directory; returns the work directory. */
    public static Path prepare(ScDesign sd, RtlDir rtl, Simulator sim, MnistSet test, int images) {
        Path wd = workDir(rtl.dir(), sim);
        TestbenchWriter.write(sd, rtl.memDirParameter(), wd);
        TestbenchWriter.writeImages(test, images, wd.resolve(TestbenchWriter.IMAGES_FILE));
        return wd;
    }

    /** Builds the testbench prepared in {@code workDir} with the design of {@code rtl}. */
    public static RtlRunner.Build build(RtlDir rtl, Simulator sim, Path workDir, RtlRunner.BuildOptions o) {
        return RtlRunner.build(sim, workDir.resolve(TestbenchWriter.TB_FILE), rtl.verilog(), workDir, o);
    }

    /**
     * Runs a build on the first {@code images} images of its image file, reading memory files from
     * {@code memDir}, writing the results and the run log into {@code outDir}.
     */
    public static RtlRunner.Run run(ScDesign sd, RtlRunner.Build b, Path memDir, Path outDir, int images, Duration timeout) {
        try {
            java.nio.file.Files.createDirectories(outDir);
        } catch (java.io.IOException e) {
            throw new ScnnException(outDir + ": cannot create (" + e.getMessage() + ")");
        }
        return RtlRunner.run(b, memDir, b.dir().resolve(TestbenchWriter.IMAGES_FILE), images, sd.coreInterface().classes(), true, false,
                outDir.resolve(TestbenchWriter.RESULTS_FILE), outDir.resolve(RtlRunner.RUN_LOG), timeout);
    }

    /** The Java simulator on the first {@code images} images. */
    public static SimResult java(ScDesign sd, MnistSet test, int images, int threads, Progress progress) {
        return new InferenceRunner(sd).run(test, images, threads, EnergyModel.DEFAULT, progress);
    }

    /** Every difference between the RTL results and the Java simulator's. */
    public static List<Mismatch> compare(RtlResults rtl, SimResult java) {
        List<Mismatch> m = new ArrayList<>();
        int n = Math.max(rtl.images().size(), java.images);
        for (int i = 0; i < n; i++) {
            if (i >= rtl.images().size()) {
                m.add(new Mismatch(i, "missing_in_rtl", 0, 1));
                continue;
            }
            if (i >= java.images) {
                m.add(new Mismatch(i, "missing_in_java", 1, 0));
                continue;
            }
            RtlResults.Image r = rtl.images().get(i);
            if (r.cls() != java.predictions[i]) m.add(new Mismatch(i, "class", r.cls(), java.predictions[i]));
            if (r.cycles() != java.cyclesPerInference) m.add(new Mismatch(i, "cycles", r.cycles(), java.cyclesPerInference));
            long[] js = java.scores[i];
            for (int c = 0; c < Math.max(js.length, r.scores().length); c++) {
                long a = c < r.scores().length ? r.scores()[c] : Long.MIN_VALUE, b = c < js.length ? js[c] : Long.MIN_VALUE;
                if (a != b) m.add(new Mismatch(i, "score" + c, a, b));
            }
        }
        if (rtl.smtjFlips() != null) {
            if (rtl.smtjFlips() != java.smtjFlips) m.add(new Mismatch(null, "smtj_flips", rtl.smtjFlips(), java.smtjFlips));
            long ja = java.ffToggles.getOrDefault("accumulator", 0L);
            if (rtl.accToggles() != ja) m.add(new Mismatch(null, "acc_toggles", rtl.accToggles(), ja));
            if (rtl.smtjSamples() != null && rtl.smtjSamples() != java.smtjSamples)
                m.add(new Mismatch(null, "smtj_samples", rtl.smtjSamples(), java.smtjSamples));
            if (rtl.dacConversions() != null && rtl.dacConversions() != java.dacConversions)
                m.add(new Mismatch(null, "dac_conversions", rtl.dacConversions(), java.dacConversions));
        }
        return m;
    }

    /** The Java results in the testbench's format. */
    public static String javaResultsText(SimResult java) {
        List<RtlResults.Image> im = new ArrayList<>();
        for (int i = 0; i < java.images; i++) im.add(new RtlResults.Image(i, java.predictions[i], java.cyclesPerInference, java.scores[i]));
        return RtlResults.format(im, java.smtjFlips, java.ffToggles.getOrDefault("accumulator", 0L), java.smtjSamples, java.dacConversions);
    }

    /** Writes {@code mismatches.json} (an array, empty when none) into {@code dir}. */
    public static Path writeMismatches(Path dir, List<Mismatch> ms) {
        ArrayNode a = JSON.createArrayNode();
        for (Mismatch x : ms) {
            ObjectNode o = a.addObject();
            if (x.image() == null) o.putNull("image");
            else o.put("image", x.image());
            o.put("field", x.field());
            o.put("rtl", x.rtl());
            o.put("java", x.java());
        }
        Path f = dir.resolve(MISMATCHES);
        try {
            AtomicFiles.writeString(f, JSON.writeValueAsString(a) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return f;
    }

    /** Number of correct RTL classes. */
    static int correct(RtlResults r, MnistSet test) {
        int c = 0;
        for (RtlResults.Image im : r.images()) if (im.cls() == test.label(im.index())) c++;
        return c;
    }

    /**
     * Compares RTL and Java results and writes {@code java-results.txt}, {@code mismatches.json} and
     * {@code cosim.json} into {@code wd} (where the run wrote its results).
     */
    public static Report report(RtlRunner.Build b, RtlRunner.Run run, SimResult java, MnistSet test, Path wd) {
        List<Mismatch> ms = compare(run.results(), java);
        AtomicFiles.writeString(wd.resolve(JAVA_RESULTS), javaResultsText(java));
        writeMismatches(wd, ms);
        Report rep = new Report(b.simulator(), java.images, wd, List.copyOf(ms), correct(run.results(), test), java.correct,
                run.results(), java, b, run);
        try {
            AtomicFiles.writeString(wd.resolve(SUMMARY), JSON.writeValueAsString(rep.toJson()) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return rep;
    }

    /**
     * The whole flow on an RTL directory written from {@code sd}: testbench, build, RTL run, Java
     * run, comparison. Mismatches are in the report (not an exception).
     */
    public static Report run(ScDesign sd, Path rtlDir, MnistSet test, Options o, Progress progress) {
        if (o.images() < 1) throw new ScnnException("--images must be at least 1, got " + o.images());
        if (o.images() > test.size()) throw new ScnnException("--images " + o.images() + ": the test set has " + test.size() + " images");
        RtlDir rtl = RtlDir.read(rtlDir, sd.design().name());
        Path wd = prepare(sd, rtl, o.simulator(), test, o.images());
        RtlRunner.Build b = build(rtl, o.simulator(), wd, o.build());
        RtlRunner.Run r = run(sd, b, rtl.dir(), wd, o.images(), o.runTimeout());
        SimResult j = java(sd, test, o.images(), o.threads(), progress);
        return report(b, r, j, test, wd);
    }
}
