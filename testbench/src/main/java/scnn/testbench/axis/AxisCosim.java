package scnn.testbench.axis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.generator.arch.ScDesign;
import scnn.generator.axis.AxisTop;
import scnn.generator.tools.Tools;
import scnn.generator.verilog.RtlWriter;
import scnn.sim.EnergyModel;
import scnn.sim.InferenceRunner;
import scnn.sim.SimResult;
import scnn.sim.axis.AxisRunner;
import scnn.sim.axis.AxisStimulus;
import scnn.sim.axis.AxisTrace;
import scnn.testbench.RtlDir;
import scnn.testbench.verilog.RtlRunner;
import scnn.testbench.verilog.Simulator;

/**
 * Co-simulation of the AXI4-Stream top ({@code cosim --top axis}): the wrapper's RTL under Verilator
 * or Icarus against the Java simulator running the same IR, with the same stimulus: the first K
 * test images, the first {@link Options#cleanImages()} with no stall, then seeded random source gaps
 * and sink stalls and malformed frames (tlast early and late; {@link AxisStimulus#stressed}).
 *
 * <p>It checks: (1) the RTL's port trace equals the Java simulator's line for line (every beat
 * transfer, result valid, result transfer and the frame_error rise, at the same cycle; the wait
 * counts); (2) the ordering rule: result n is image n's class as the core computes it as inference n
 * ({@link InferenceRunner}, what {@code simulate --predictions} prints), K results, tlast on each;
 * (3) frame_error rose, after the clean images; (4) the latency of the first image and the
 * intervals between the clean images' results, measured in the RTL trace, are the
 * {@code axis_latency_cycles} and {@code axis_interval_cycles} of the RTL directory's manifest.
 *
 * <p>Files, in {@code <rtl dir>/cosim-axis-<simulator>/}: {@code tb.v}, {@code beats.txt},
 * {@code stalls.txt}, {@code build.log}, {@code run.log}, {@code trace.txt} (RTL),
 * {@code java-trace.txt}, {@code mismatches.json} (always; an array of {@code {field, rtl, java}}),
 * {@code cosim.json} (the summary).
 */
public final class AxisCosim {
    private AxisCosim() {}

    public static final String JAVA_TRACE = "java-trace.txt";
    public static final String MISMATCHES = "mismatches.json";
    public static final String SUMMARY = "cosim.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A failed check.
     *
     * @param field what was compared
     * @param rtl   the RTL's value
     * @param java  the Java simulator's value, or what was expected
     */
    public record Mismatch(String field, String rtl, String java) {
        @Override
        public String toString() {
            return field + ": rtl " + rtl + ", java/expected " + java;
        }
    }

    /**
     * Options.
     *
     * @param simulator   Verilator or Icarus
     * @param images      K: the first K test images
     * @param cleanImages the first images, streamed with no stall (the timing is measured on them)
     * @param stallSeed   seed of the stalls and malformed frames
     * @param build       build options
     * @param runTimeout  limit for the simulator run
     */
    public record Options(Simulator simulator, int images, int cleanImages, long stallSeed, RtlRunner.BuildOptions build, Duration runTimeout) {
        public static Options of(Simulator sim, int images) {
            return new Options(sim, images, cleanImages(images), 1, RtlRunner.BuildOptions.cosim(), Duration.ofMinutes(10).plusSeconds(60L * images));
        }

        /**
         * Images streamed without stall out of K: 3, but at least 2 (two results give an interval) and
         * leaving 2 to the stalls when K allows (so that a complete image waits while the source still
         * has beats): min(K, 3, max(2, K - 2)).
         */
        public static int cleanImages(int k) {
            return Math.min(k, Math.min(3, Math.max(2, k - 2)));
        }
    }

    /** What the co-simulation found. */
    public record Report(Simulator simulator, int images, Path workDir, List<Mismatch> mismatches, AxisTrace rtl, AxisTrace java,
                         long manifestInterval, long manifestLatency, int cleanImages, RtlRunner.Build build, double runSeconds,
                         double javaSeconds) {
        public boolean agree() {
            return mismatches.isEmpty();
        }

        /** Latency of the first image measured in the RTL. */
        public long measuredLatency() {
            return rtl.firstLatency();
        }

        /** Intervals between the clean images' results measured in the RTL. */
        public long[] measuredIntervals() {
            return rtl.intervals(Math.min(cleanImages, rtl.results().size()));
        }

        public ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("top", "axis");
            o.put("simulator", simulator.key());
            o.put("images", images);
            o.put("clean_images", cleanImages);
            o.put("mismatches", mismatches.size());
            o.put("agree", agree());
            o.put("axis_interval_cycles", manifestInterval);
            o.put("axis_latency_cycles", manifestLatency);
            measured(o.putObject("rtl"), rtl, cleanImages);
            measured(o.putObject("java"), java, cleanImages);
            o.put(simulator.key() + "_build_s", build.seconds());
            o.put(simulator.key() + "_run_s", runSeconds);
            o.put("build_s", build.seconds());
            o.put("run_s", runSeconds);
            o.put("java_s", javaSeconds);
            o.put("build", build.description());
            o.put("directory", workDir.toString());
            o.put("mismatches_file", workDir.resolve(MISMATCHES).toString());
            return o;
        }

        private static void measured(ObjectNode o, AxisTrace t, int clean) {
            List<AxisTrace.Result> rs = t.results();
            o.put("results", rs.size());
            o.put("beats", t.beatEdges().length);
            o.put("ended", t.ended());
            if (!rs.isEmpty() && t.beatEdges().length > 0) o.put("latency_cycles", t.firstLatency());
            ArrayNode iv = o.putArray("interval_cycles");
            if (rs.size() >= Math.min(clean, rs.size())) for (long x : t.intervals(Math.min(clean, rs.size()))) iv.add(x);
            o.put("frame_error_edge", t.frameErrorEdge());
            long[] w = t.waits();
            if (w != null) {
                o.put("source_wait_cycles", w[0]);
                o.put("sink_wait_cycles", w[1]);
            }
            String last = t.lines().isEmpty() ? "" : t.lines().get(t.lines().size() - 1);
            o.put("cycles", last.isEmpty() ? 0 : Long.parseLong(last.split(" ")[1]) + 1);
        }
    }

    /** The work directory of a simulator inside an RTL directory. */
    public static Path workDir(Path rtlDir, Simulator sim) {
        return rtlDir.toAbsolutePath().normalize().resolve("cosim-axis-" + sim.key());
    }

    /** The stimulus of a co-simulation. */
    public static AxisStimulus stimulus(AxisTop.Axis ax, MnistSet test, Options o) {
        int inputs = ax.sd().coreInterface().inputs();
        return AxisStimulus.stressed(test, o.images(), o.cleanImages(), inputs, ax.pixelsPerBeat(), ax.sd().cyclesPerInference(), o.stallSeed());
    }

    /** Writes the testbench and the stimulus into the work directory; returns it. */
    public static Path prepare(AxisTop.Axis ax, RtlDir rtl, Simulator sim, AxisStimulus st) {
        Path wd = workDir(rtl.dir(), sim);
        AxisTestbenchWriter.write(ax, rtl.memDirParameter(), wd);
        AxisTestbenchWriter.writeStimulus(st, wd);
        return wd;
    }

    /** Builds the testbench in {@code wd} with the AXI top's files. */
    public static RtlRunner.Build build(RtlDir rtl, Simulator sim, Path wd, RtlRunner.BuildOptions o) {
        return RtlRunner.build(sim, wd.resolve(scnn.testbench.verilog.TestbenchWriter.TB_FILE), rtl.verilog(), wd, o);
    }

    /** Runs a build on the stimulus in {@code wd} (memory files from {@code memDir}); returns the RTL trace and the seconds. */
    public static AxisTrace runRtl(AxisTop.Axis ax, RtlRunner.Build b, AxisStimulus st, Path memDir, Path wd, Duration timeout, double[] seconds) {
        Path out = wd.resolve(AxisTestbenchWriter.TRACE_FILE);
        try {
            Files.deleteIfExists(out);
        } catch (IOException e) {
            throw new ScnnException(out + ": cannot remove the old trace (" + e.getMessage() + ")");
        }
        List<String> cmd = new ArrayList<>(b.command());
        cmd.addAll(AxisTestbenchWriter.plusargs(st, wd, out, AxisRunner.maxCycles(ax, st)));
        Path log = wd.resolve(RtlRunner.RUN_LOG);
        Tools.Result r = Tools.run(memDir, timeout, cmd);
        StringBuilder sb = new StringBuilder("$ ").append(String.join(" ", r.command())).append('\n').append(r.stdout());
        if (!r.stderr().isEmpty()) sb.append("---- stderr ----\n").append(r.stderr());
        AtomicFiles.writeString(log, sb.toString());
        String tool = b.simulator() == Simulator.VERILATOR ? "verilator model" : "vvp";
        if (r.timedOut()) throw new ScnnException(tool + " run timed out after " + timeout.toSeconds() + " s (log: " + log + ")");
        if (r.exitCode() != 0) throw new ScnnException(tool + " run failed (exit " + r.exitCode() + "): " + r.tail(2) + " (log: " + log + ")");
        for (String line : r.output().split("\n")) {
            if (line.startsWith("tb: error")) throw new ScnnException(tool + ": " + line.strip() + " (log: " + log + ")");
            if (line.toLowerCase(java.util.Locale.ROOT).contains("readmem"))
                throw new ScnnException(tool + " could not read a memory file: " + line.strip() + " (log: " + log + ")");
        }
        seconds[0] = r.elapsed().toNanos() / 1e9;
        try {
            return AxisTrace.parse(Files.readString(out));
        } catch (IOException e) {
            throw new ScnnException(out + ": no trace written (" + e.getMessage() + "; log: " + log + ")");
        }
    }

    /** Every check of the class comment. */
    public static List<Mismatch> compare(AxisTrace rtl, AxisTrace java, AxisStimulus st, int[] corePredictions, long interval, long latency) {
        List<Mismatch> m = new ArrayList<>();
        int n = Math.max(rtl.lines().size(), java.lines().size());
        int shown = 0, diff = 0;
        for (int i = 0; i < n; i++) {
            String a = i < rtl.lines().size() ? rtl.lines().get(i) : "(none)", b = i < java.lines().size() ? java.lines().get(i) : "(none)";
            if (a.equals(b)) continue;
            diff++;
            if (shown++ < 20) m.add(new Mismatch("trace line " + (i + 1), a, b));
        }
        if (diff > 20) m.add(new Mismatch("trace lines differing", String.valueOf(diff), "0"));
        for (AxisTrace t : List.of(rtl, java)) {
            String who = t == rtl ? "rtl" : "java";
            if (!t.ended()) m.add(new Mismatch(who + " run ended", "no", "yes"));
            List<AxisTrace.Result> rs = t.results();
            if (rs.size() != st.expectedResults()) m.add(new Mismatch(who + " results", String.valueOf(rs.size()), String.valueOf(st.expectedResults())));
            for (int k = 0; k < Math.min(rs.size(), st.expectedResults()); k++) {
                long want = corePredictions[st.images()[k]];
                if (rs.get(k).tdata() != want) m.add(new Mismatch(who + " result " + k + " (image " + st.images()[k] + ", inference " + k + ") class",
                        String.valueOf(rs.get(k).tdata()), String.valueOf(want)));
                if (rs.get(k).tlast() != 1) m.add(new Mismatch(who + " result " + k + " tlast", String.valueOf(rs.get(k).tlast()), "1"));
            }
            if (t.beatEdges().length != st.beats().size())
                m.add(new Mismatch(who + " beats taken", String.valueOf(t.beatEdges().length), String.valueOf(st.beats().size())));
            boolean malformed = st.beats().stream().anyMatch(x -> x.image() < 0);
            long fe = t.frameErrorEdge();
            long[] be = t.beatEdges();
            long cleanEnd = st.stallFromBeat() > 0 && st.stallFromBeat() <= be.length ? be[st.stallFromBeat() - 1] : -1;
            if (malformed && (fe < 0 || fe <= cleanEnd)) m.add(new Mismatch(who + " frame_error edge", String.valueOf(fe), "after edge " + cleanEnd));
            if (!malformed && fe >= 0) m.add(new Mismatch(who + " frame_error edge", String.valueOf(fe), "-1 (no malformed frame)"));
            if (!rs.isEmpty() && be.length > 0 && t.firstLatency() != latency)
                m.add(new Mismatch(who + " latency of the first image (manifest axis_latency_cycles)", String.valueOf(t.firstLatency()), String.valueOf(latency)));
            int clean = Math.min(st.cleanImages(), rs.size());
            long[] iv = t.intervals(clean);
            for (int k = 0; k < iv.length; k++)
                if (iv[k] != interval) m.add(new Mismatch(who + " interval between results " + k + " and " + (k + 1) + " (manifest axis_interval_cycles)",
                        String.valueOf(iv[k]), String.valueOf(interval)));
        }
        return m;
    }

    /** Reads {@code axis_interval_cycles} and {@code axis_latency_cycles} from the RTL directory's manifest. */
    public static long[] manifestTiming(Path rtlDir) {
        Path mf = rtlDir.resolve(RtlWriter.MANIFEST);
        try {
            JsonNode m = new ObjectMapper().readTree(mf.toFile());
            if (!m.path("axis_interval_cycles").isNumber() || !m.path("axis_latency_cycles").isNumber())
                throw new ScnnException(mf + ": has no axis_interval_cycles / axis_latency_cycles");
            return new long[] {m.get("axis_interval_cycles").asLong(), m.get("axis_latency_cycles").asLong()};
        } catch (IOException e) {
            throw new ScnnException(mf + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Writes {@code java-trace.txt}, {@code mismatches.json} and {@code cosim.json}; returns the report. */
    public static Report report(Simulator sim, int images, Path wd, List<Mismatch> ms, AxisTrace rtl, AxisTrace java, long[] timing,
                                int clean, RtlRunner.Build b, double runS, double javaS) {
        AtomicFiles.writeString(wd.resolve(JAVA_TRACE), java.text());
        ArrayNode a = JSON.createArrayNode();
        for (Mismatch x : ms) {
            ObjectNode o = a.addObject();
            o.put("field", x.field());
            o.put("rtl", x.rtl());
            o.put("java", x.java());
        }
        Report rep = new Report(sim, images, wd, List.copyOf(ms), rtl, java, timing[0], timing[1], clean, b, runS, javaS);
        try {
            AtomicFiles.writeString(wd.resolve(MISMATCHES), JSON.writeValueAsString(a) + "\n");
            AtomicFiles.writeString(wd.resolve(SUMMARY), JSON.writeValueAsString(rep.toJson()) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return rep;
    }

    /**
     * The whole flow on an RTL directory written with the AXI top ({@link AxisRtl}): testbench,
     * build, RTL run, Java runs (the AXI top, and the core for the ordering rule), comparison.
     */
    public static Report run(ScDesign sd, AxisTop.Axis ax, Path rtlDir, MnistSet test, Options o, int threads, Progress progress) {
        if (o.images() < 1) throw new ScnnException("--images must be at least 1, got " + o.images());
        if (o.images() > test.size()) throw new ScnnException("--images " + o.images() + ": the test set has " + test.size() + " images");
        RtlDir rtl = AxisRtl.read(rtlDir);
        if (!rtl.top().equals(ax.design().name())) throw new ScnnException(rtlDir + ": holds the AXI top " + rtl.top() + ", expected " + ax.design().name());
        long[] timing = manifestTiming(rtl.dir());
        AxisStimulus st = stimulus(ax, test, o);
        Path wd = prepare(ax, rtl, o.simulator(), st);
        RtlRunner.Build b = build(rtl, o.simulator(), wd, o.build());
        double[] runS = new double[1];
        AxisTrace rt = runRtl(ax, b, st, rtl.dir(), wd, o.runTimeout(), runS);
        long t0 = System.nanoTime();
        AxisTrace jt = new AxisRunner(ax).run(st);
        SimResult core = new InferenceRunner(sd).run(test, o.images(), threads, EnergyModel.DEFAULT, progress);
        double javaS = (System.nanoTime() - t0) / 1e9;
        List<Mismatch> ms = compare(rt, jt, st, core.predictions, timing[0], timing[1]);
        return report(o.simulator(), o.images(), wd, ms, rt, jt, timing, o.cleanImages(), b, runS[0], javaS);
    }
}
