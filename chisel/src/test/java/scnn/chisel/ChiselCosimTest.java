package scnn.chisel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.tools.Tools;
import scnn.sim.SimResult;
import scnn.testbench.Cosim;
import scnn.testbench.RtlDir;
import scnn.testbench.verilog.RtlRunner;
import scnn.testbench.verilog.Simulator;
import scnn.testbench.verilog.TestbenchWriter;

/**
 * The Chisel-emitted SystemVerilog of the shipped net {@code weights/mnist-1h-L5-sc.json}
 * (784-256-10, 203,264 synapses) under Verilator against the Java simulator, on the first 20 MNIST
 * test images, with the testbench module's co-simulation harness ({@link TestbenchWriter},
 * {@link RtlRunner}, {@link Cosim}; see docs/cosim.md): zero mismatches in class, every score, the
 * cycle count of every image, and the s-MTJ flip and accumulator toggle totals.
 */
class ChiselCosimTest {
    static final Path ROOT = Path.of(System.getProperty("scnn.root", "..")).toAbsolutePath().normalize();
    static final String WEIGHTS = "mnist-1h-L5-sc.json";
    static final int IMAGES = 20;
    /** Bitstream length: small, so that an inference is short (the Verilator build is the slow part). */
    static final int BITS = 16;

    @Test
    void shippedNetChiselVerilogAgreesWithTheJavaSimulatorUnderVerilator() throws IOException {
        Path weights = ROOT.resolve("weights").resolve(WEIGHTS);
        // the shipped weights are part of the repository: missing is a defect, never a skip
        org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(weights), weights + " is missing");
        assumeTrue(Tools.require(Simulator.VERILATOR.tools()));
        Network net = WeightsIO.read(weights);
        ScDesign sd = ScBuilder.build(net, ScConfig.of(BITS), ScBuilder.topName(net.name()));
        MnistSet test = MnistFiles.defaultLocation(ROOT).test();

        Path dir = Path.of("target", "chisel-test", "cosim-1h").toAbsolutePath();
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        ChiselBackend.Result res = ChiselBackend.emit(sd.design(), dir.resolve("chisel"));
        double emitS = (System.nanoTime() - t0) / 1e9;
        RtlDir rtl = new RtlDir(res.verilog().getParent(), sd.design().name(), res.verilog(), null);

        // the harness of the testbench module; the Chisel SystemVerilog has flattened register arrays
        Path wd = Cosim.workDir(rtl.dir(), Simulator.VERILATOR);
        Files.createDirectories(wd);
        TestbenchWriter.write(sd, null, wd, true);
        TestbenchWriter.writeImages(test, IMAGES, wd.resolve(TestbenchWriter.IMAGES_FILE));
        RtlRunner.Build b = Cosim.build(rtl, Simulator.VERILATOR, wd, RtlRunner.BuildOptions.fewImages().withTimeout(Duration.ofMinutes(30)));
        // The model keeps wide temporaries (up to 200,704-bit vectors: a whole layer in bit-plane
        // layout) on the stack, more than the default 8 MB: run it with the stack limit raised.
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "ulimit -s unlimited 2>/dev/null || ulimit -s \"$(ulimit -H -s)\"; exec \"$0\" \"$@\""));
        cmd.addAll(b.command());
        b = new RtlRunner.Build(b.simulator(), b.dir(), List.copyOf(cmd), b.seconds(), b.log(), b.description() + ", run with ulimit -s unlimited");
        RtlRunner.Run run = Cosim.run(sd, b, rtl.dir(), wd, IMAGES, Duration.ofMinutes(10));
        SimResult java = Cosim.java(sd, test, IMAGES, 2, Progress.NONE);
        Cosim.Report r = Cosim.report(b, run, java, test, wd);
        System.out.printf("[chisel cosim] %s N=%d: emit (elaboration + firtool) %.1f s, SystemVerilog %.1f MB, verilator build %.1f s, "
                        + "run %.1f s; %d images x %d cycles, %d mismatches; events rtl %d/%d java %d/%d; accuracy %.2f%n",
                sd.design().name(), BITS, emitS, Files.size(res.verilog()) / 1e6, b.seconds(), run.seconds(), IMAGES,
                java.cyclesPerInference, r.mismatches().size(), r.rtl().smtjFlips(), r.rtl().accToggles(), java.smtjFlips,
                java.ffToggles.get("accumulator"), r.rtlAccuracy());

        if (!r.agree()) {
            StringBuilder sb = new StringBuilder(r.mismatches().size() + " mismatches between the Chisel SystemVerilog (Verilator) and the Java simulator; see " + wd + ":");
            r.mismatches().stream().limit(10).forEach(m -> sb.append("\n  ").append(m));
            fail(sb.toString());
        }
        assertEquals(IMAGES, r.rtl().images().size(), "every image ran");
        assertEquals(sd.cyclesPerInference(), java.cyclesPerInference, "cycles per inference (declared vs simulated)");
        assertNotNull(r.rtl().smtjFlips(), "event monitors ran");
        assertTrue(r.rtl().smtjFlips() > 0 && r.rtl().accToggles() > 0, "events were counted");
        assertTrue(r.rtlAccuracy() > 0.5, "a trained net classifies most of " + IMAGES + " images, got " + r.rtlAccuracy());
    }
}
