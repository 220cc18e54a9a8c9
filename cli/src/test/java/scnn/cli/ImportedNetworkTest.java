package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.model.ReferenceModel;
import scnn.core.progress.Progress;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.tools.Tools;
import scnn.generator.verilog.RtlWriter;
import scnn.sim.InferenceRunner;
import scnn.sim.SimResult;
import scnn.testbench.Cosim;
import scnn.testbench.verilog.Simulator;

/**
 * Networks from outside: the Brevitas-style QONNX fixture (4-bit per-channel weights, a 4-bit
 * unsigned quantized ReLU) through import, the cycle-accurate simulator and co-simulation, and a
 * network of another input size and class count (20 pixels, 20 classes) through the hardware.
 */
class ImportedNetworkTest {
    @TempDir Path tmp;

    static final Path ROOT = Path.of(System.getProperty("scnn.root"));

    private Network importFixture() {
        Path w = tmp.resolve("qonnx.json");
        MainTest.Run r = MainTest.run("import", ROOT.resolve("onnx/src/test/resources/fixtures/mlp-qonnx.onnx").toString(), "--out", w.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + w + ": mlp-qonnx (784-16-10, scnn-weights/2, 15 weight levels"), r.out());
        return WeightsIO.read(w);
    }

    /** For long bitstreams the hardware computes the reference model's classes (per-neuron thresholds, unsigned hidden levels). */
    @Test
    void importedNetSimulatesCycleAccurately() {
        Network net = importFixture();
        MnistSet test = MnistFiles.defaultLocation(ROOT).test().head(128);
        ScDesign sd = ScBuilder.build(net, ScConfig.of(2048), "scnn_imported");
        SimResult r = new InferenceRunner(sd).run(test, 128, 2, scnn.sim.EnergyModel.DEFAULT, Progress.NONE);
        ReferenceModel ref = new ReferenceModel(net);
        int agree = 0;
        for (int i = 0; i < 128; i++) if (r.predictions[i] == ref.classify(test.image(i))) agree++;
        // deterministic (fixed seed); at N = 2048 the SC estimate of each weighted sum has a standard
        // deviation of a few hundredths of the ladder's step, so only images near a threshold differ
        assertTrue(agree >= 115, "the SC hardware at N = 2048 agrees with the reference model on " + agree + " of 128 images");
        assertEquals(784, sd.design().node("pix_mem").count());
    }

    @Test
    void importedNetCosimulatesUnderVerilator() {
        Tools.need(Simulator.VERILATOR.tools());
        Network net = importFixture();
        cosim(net, MnistFiles.defaultLocation(ROOT).test(), Simulator.VERILATOR, 8, "imported");
    }

    /** 20 inputs (4x5 images), 20 classes: port widths and the testbench follow the network. */
    @Test
    void otherInputSizeAndClassCountCosimulateUnderIcarus() {
        Tools.need(Simulator.ICARUS.tools());
        Random r = new Random(7);
        int L = 7;
        byte[] c1 = new byte[6 * 20], c2 = new byte[20 * 6];
        for (byte[] c : List.of(c1, c2)) for (int i = 0; i < c.length; i++) c[i] = (byte) r.nextInt(L);
        double[] s1 = new double[6], b1 = new double[6];
        for (int o = 0; o < 6; o++) {
            s1[o] = 0.2 + r.nextDouble();
            b1[o] = r.nextGaussian() * 0.2;
        }
        double[] grid = {0, 0.2, 0.4, 0.6, 0.8, 1};
        Network net = new Network("small-20", L, Network.uniformLevels(L), 20, 255.0, List.of(
                new Layer(20, 6, c1, 1.0, s1, b1, Activation.QUANTIZE, grid),
                new Layer(6, 20, c2, 1.0, null, Activation.ARGMAX)), null);
        byte[] px = new byte[8 * 20], lb = new byte[8];
        r.nextBytes(px);
        for (int i = 0; i < 8; i++) lb[i] = (byte) r.nextInt(20);
        MnistSet set = new MnistSet(4, 5, 20, px, lb);
        ScDesign sd = cosim(net, set, Simulator.ICARUS, 8, "small20");
        assertEquals(5, sd.design().node("pix_addr").width(), "pix_addr addresses 20 inputs");
        assertEquals(5, sd.design().outputs().get("class_out").node().width(), "class_out holds 20 classes");
        assertEquals(20, sd.design().node("pix_mem").count());
    }

    private ScDesign cosim(Network net, MnistSet test, Simulator sim, int images, String name) {
        ScDesign sd = ScBuilder.build(net, ScConfig.of(16), ScBuilder.topName(name));
        Path dir = tmp.resolve(name);
        RtlWriter.write(sd.design(), dir, sd.manifestFacts());
        Cosim.Report rep = Cosim.run(sd, dir, test, Cosim.Options.of(sim, images), Progress.NONE);
        assertTrue(rep.agree(), rep.mismatches().size() + " mismatches, e.g. " + rep.mismatches().stream().limit(3).toList());
        assertEquals(images, rep.images());
        assertEquals(sd.cyclesPerInference(), rep.java().cyclesPerInference);
        return sd;
    }
}
