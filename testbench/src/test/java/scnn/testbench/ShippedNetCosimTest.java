package scnn.testbench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.ScConfig;
import scnn.generator.tools.Tools;
import scnn.testbench.verilog.Simulator;

/**
 * Shipped MNIST networks: the default {@code weights/mnist-1h-L5-sc.json} (784-256-10, 5 levels)
 * and the deepest, {@code mnist-3h-L11-sc.json} (784-256-256-256-10, 11 levels), 20 test images
 * each under Verilator, zero mismatches. Outside CI a missing weights file skips loudly; under CI it
 * fails.
 */
class ShippedNetCosimTest {
    static final int IMAGES = 20;
    static final int BITS = 16;

    @Execution(ExecutionMode.CONCURRENT)

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mnist-1h-L5-sc.json", "mnist-3h-L11-sc.json"})
    void shippedNetAgreesUnderVerilator(String file) {
        Path weights = CosimFixture.ROOT.resolve("weights").resolve(file);
        if (!Files.isRegularFile(weights)) {
            if (Tools.underCi()) throw new IllegalStateException(weights + " is missing and CI is set: the shipped weights must be in the repository");
            System.err.println("WARNING: ShippedNetCosimTest SKIPPED because " + weights + " does not exist (train or fetch the shipped weights)");
            assumeTrue(false, weights + " does not exist");
        }
        assumeTrue(Tools.require(Simulator.VERILATOR.tools()));
        Network net = WeightsIO.read(weights);
        CosimFixture.Design d = CosimFixture.design("shipped_" + net.name(), net, ScConfig.of(BITS));
        Cosim.Report r = CosimFixture.cosim(CosimFixture.built(d, Simulator.VERILATOR), IMAGES);
        CosimFixture.assertAgree(r, d);
        assertTrue(r.rtlAccuracy() > 0.5, "a trained net classifies most of " + IMAGES + " images, got " + r.rtlAccuracy());
    }

    /** The default net on a varied chip with stuck devices (per-device tables and constants), Verilator and Icarus. */
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"verilator", "icarus"})
    void shippedNetOnAVariedChipAgrees(String sim) {
        Path weights = CosimFixture.ROOT.resolve("weights").resolve("mnist-1h-L5-sc.json");
        Simulator s = Simulator.parse(sim);
        Tools.need(s.tools());
        Network net = WeightsIO.read(weights);
        CosimFixture.Design d = CosimFixture.design("shipped_chip_" + net.name(), net,
                ScConfig.of(8).withChip(new scnn.generator.arch.ChipVariation(0.5, 0.02, 7)));
        Cosim.Report r = CosimFixture.cosim(CosimFixture.built(d, s), s == Simulator.ICARUS ? 2 : 5);
        CosimFixture.assertAgree(r, d);
        assertTrue(d.sd().chip().stuckDevices() > 0, "the chip has stuck devices");
    }
}
