package scnn.testbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.generator.arch.ScDesign;
import scnn.sim.EnergyModel;
import scnn.sim.InferenceRunner;
import scnn.sim.SimResult;
import scnn.testbench.verilog.RtlRunner;
import scnn.testbench.verilog.Simulator;
import scnn.testbench.verilog.TestbenchWriter;

/**
 * The Java simulator against the Verilator model of the same design on the same images.
 *
 * <p>How each is run, so that the race is fair:
 * <ul>
 *   <li><b>Java</b>: {@link InferenceRunner}, 64 images per machine word, on {@code threads}
 *       threads; the time is {@link SimResult#wallSeconds} (simulation only; the netlist compile
 *       is reported separately). It always counts every net's toggles.</li>
 *   <li><b>Verilator</b>: the testbench built with {@code verilator --binary}, the model
 *       single-threaded unless asked otherwise, C++ {@code -O2}, {@code --x-assign/--x-initial fast};
 *       run with {@code +nomon +backdoor}: no event monitors, and pixels written straight into the
 *       pixel memory (zero cycles, as the Java simulator loads them) so that only the inference
 *       cycles are simulated. The time is the wall time of the whole process (start-up, memory
 *       files, the image file, the inferences, the score reads).</li>
 * </ul>
 * Image-cycles per second = images x cycles per inference / run seconds. The benchmark also
 * compares the two runs' classes, scores and cycle counts (events are not counted by the
 * Verilator run) and reports the mismatches.
 */
public final class Bench {
    private Bench() {}

    /**
     * Options.
     *
     * @param images           the first K test images
     * @param javaThreads      Java simulator threads
     * @param verilatorThreads Verilator model threads ({@code --threads})
     * @param runTimeout       limit for the Verilator run
     */
    public record Options(int images, int javaThreads, int verilatorThreads, Duration runTimeout) {}

    /** The measurements. */
    public record Report(int images, int cyclesPerInference, long synapses, int bits, SimResult java, RtlRunner.Build build,
                         RtlRunner.Run run, List<Cosim.Mismatch> mismatches, Path workDir) {
        public double javaImageCyclesPerS() {
            return (double) images * cyclesPerInference / java.wallSeconds;
        }

        public double verilatorImageCyclesPerS() {
            return (double) images * cyclesPerInference / run.seconds();
        }

        public double ratio() {
            return javaImageCyclesPerS() / verilatorImageCyclesPerS();
        }

        public double javaSynapseBitOpsPerS() {
            return (double) synapses * bits * images / java.wallSeconds;
        }

        public double verilatorSynapseBitOpsPerS() {
            return (double) synapses * bits * images / run.seconds();
        }

        public ObjectNode toJson(ObjectMapper m) {
            ObjectNode o = m.createObjectNode();
            o.put("images", images);
            o.put("cycles_per_inference", cyclesPerInference);
            o.put("synapses", synapses);
            o.put("bits", bits);
            o.put("java_image_cycles_per_s", javaImageCyclesPerS());
            o.put("verilator_image_cycles_per_s", verilatorImageCyclesPerS());
            o.put("ratio", ratio());
            o.put("java_synapse_bit_ops_per_s", javaSynapseBitOpsPerS());
            o.put("verilator_synapse_bit_ops_per_s", verilatorSynapseBitOpsPerS());
            o.put("java_run_s", java.wallSeconds);
            o.put("verilator_run_s", run.seconds());
            o.put("java_compile_s", java.compileSeconds);
            o.put("verilator_compile_s", build.seconds());
            o.put("threads", java.threads);
            o.put("java_threads", java.threads);
            o.put("java_how", "InferenceRunner, 64 images per 64-bit word, " + java.threads + " thread(s), all net toggles counted");
            o.put("verilator_how", build.description() + "; run with +nomon +backdoor (no event monitors, pixels loaded in zero cycles)");
            o.put("mismatches", mismatches.size());
            o.put("rtl_accuracy", (double) java.correct / images); // equal to Java's when mismatches == 0
            o.put("java_accuracy", java.accuracy());
            o.put("directory", workDir.toString());
            return o;
        }
    }

    /** The work directory of the benchmark inside an RTL directory. */
    public static Path workDir(Path rtlDir) {
        return rtlDir.toAbsolutePath().normalize().resolve("bench-verilator");
    }

    /** Builds the Verilator model, runs it and the Java simulator on the first K images. */
    public static Report run(ScDesign sd, Path rtlDir, MnistSet test, Options o, Progress progress) {
        if (o.images() < 1) throw new ScnnException("--images must be at least 1, got " + o.images());
        if (o.images() > test.size()) throw new ScnnException("--images " + o.images() + ": the test set has " + test.size() + " images");
        RtlDir rtl = RtlDir.read(rtlDir, sd.design().name());
        Path wd = workDir(rtl.dir());
        TestbenchWriter.write(sd, rtl.memDirParameter(), wd);
        TestbenchWriter.writeImages(test, o.images(), wd.resolve(TestbenchWriter.IMAGES_FILE));
        RtlRunner.Build b = RtlRunner.build(Simulator.VERILATOR, wd.resolve(TestbenchWriter.TB_FILE), rtl.verilog(), wd,
                RtlRunner.BuildOptions.bench(o.verilatorThreads()));
        RtlRunner.Run r = RtlRunner.run(b, rtl.dir(), wd.resolve(TestbenchWriter.IMAGES_FILE), o.images(), sd.coreInterface().classes(),
                false, true, wd.resolve(TestbenchWriter.RESULTS_FILE), wd.resolve(RtlRunner.RUN_LOG), o.runTimeout());
        SimResult j = new InferenceRunner(sd).run(test, o.images(), o.javaThreads(), EnergyModel.DEFAULT, progress);
        List<Cosim.Mismatch> ms = Cosim.compare(r.results(), j);
        Cosim.writeMismatches(wd, ms);
        return new Report(o.images(), j.cyclesPerInference, sd.network().synapses(), sd.config().bits(), j, b, r, List.copyOf(ms), wd);
    }
}
