package scnn.testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scnn.core.mnist.MnistSet;
import scnn.core.model.Encoding;
import scnn.generator.arch.ChipVariation;
import scnn.generator.arch.DacModel;
import scnn.generator.arch.Replay;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.SmtjModel;
import scnn.generator.arch.SynapseRng;
import scnn.generator.arch.WeightSources;
import scnn.generator.tools.Tools;
import scnn.testbench.verilog.Simulator;

/**
 * Randomized small networks (fixed seeds) on real MNIST test images, most of them averaged over 4 x 4
 * pixel blocks (49 inputs; two nets 14 x 14, one the full 784 pixels: {@link #DEFAULT_POOL}): shapes with one and two hidden layers, 3, 5 and 11
 * levels, both encodings, fold 1, 2 and 4, N in {3, 8, 16}, several SEEDs. The Verilog must agree
 * with the Java simulator bit for bit: class, every score, cycle count per image, and the s-MTJ
 * flip and accumulator toggle totals. One configuration replays recorded bitstreams for two of
 * its weight levels ({@code --replay}). Three are the analog baseline (rotate and xor random words,
 * dyadic and uniform weight grids, one and two hidden layers). Three use device physics ({@code --device}: a
 * redraw threshold per device from its bias). Three are varied chips ({@link ChipVariation}: bias offsets and
 * stuck-at faults per device, with replay and with device physics in two of them). Four use {@code --weight-sources}
 * neuron or synapse (with a varied chip, replay or device physics). Three are the analog baseline with a DAC latency
 * ({@code dac_latency_cycles}: the control waits after each hidden layer) and on varied chips (per-synapse thresholds,
 * DAC-table shifts and forced bits; with device physics and a DAC latency in one). Verilator on every configuration (one
 * build each), 3-5 images; Icarus on the configurations marked for it, {@link #ICARUS_IMAGES} images each.
 */
class RandomNetsCosimTest {
    /** Images per Icarus run (a few seconds each since the emitter's Icarus form; docs/cosim.md). */
    static final int ICARUS_IMAGES = 4;


    /** One randomized configuration. */
    record Config(String name, long netSeed, int levels, int[] sizes, Encoding encoding, int fold, int bits, long seed,
                  int images, boolean icarus, boolean replay, SynapseRng analog, boolean physics, ChipVariation chip,
                  WeightSources sources, SynapseRng synapseRng, int dacLatency, int pool) {
        Config(String name, long netSeed, int levels, int[] sizes, Encoding encoding, int fold, int bits, long seed,
               int images, boolean icarus, boolean replay, SynapseRng analog, boolean physics, ChipVariation chip,
               WeightSources sources, SynapseRng synapseRng, int dacLatency) {
            this(name, netSeed, levels, sizes, encoding, fold, bits, seed, images, icarus, replay, analog, physics, chip, sources, synapseRng, dacLatency, DEFAULT_POOL);
        }

        Config(String name, long netSeed, int levels, int[] sizes, Encoding encoding, int fold, int bits, long seed,
               int images, boolean icarus, boolean replay, SynapseRng analog, boolean physics, ChipVariation chip,
               WeightSources sources, SynapseRng synapseRng) {
            this(name, netSeed, levels, sizes, encoding, fold, bits, seed, images, icarus, replay, analog, physics, chip, sources, synapseRng, 1);
        }

        Config(String name, long netSeed, int levels, int[] sizes, Encoding encoding, int fold, int bits, long seed,
               int images, boolean icarus, boolean replay, SynapseRng analog, boolean physics, ChipVariation chip) {
            this(name, netSeed, levels, sizes, encoding, fold, bits, seed, images, icarus, replay, analog, physics, chip, WeightSources.LAYER, SynapseRng.ROTATE);
        }

        Config(String name, long netSeed, int levels, int[] sizes, Encoding encoding, int fold, int bits, long seed,
               int images, boolean icarus, boolean replay, SynapseRng analog, boolean physics) {
            this(name, netSeed, levels, sizes, encoding, fold, bits, seed, images, icarus, replay, analog, physics, ChipVariation.IDEAL);
        }

        Config(String name, long netSeed, int levels, int[] sizes, Encoding encoding, int fold, int bits, long seed,
               int images, boolean icarus, boolean replay) {
            this(name, netSeed, levels, sizes, encoding, fold, bits, seed, images, icarus, replay, null, false);
        }

        Config(String name, long netSeed, int levels, int[] sizes, Encoding encoding, int fold, int bits, long seed,
               int images, boolean icarus, boolean replay, SynapseRng analog) {
            this(name, netSeed, levels, sizes, encoding, fold, bits, seed, images, icarus, replay, analog, false);
        }

        /** This configuration on MNIST images averaged over {@code k x k} blocks ({@link CosimFixture#test(int)}; 1: the 784 pixels). */
        Config pooled(int k) {
            return new Config(name, netSeed, levels, sizes, encoding, fold, bits, seed, images, icarus, replay, analog, physics, chip, sources, synapseRng, dacLatency, k);
        }

        /** Inputs of the net: pixels of the pooled images. */
        int inputs() {
            return (MnistSet.ROWS / pool) * (MnistSet.COLS / pool);
        }

        /** The s-MTJ model: the default, or with device physics the measured-5ns preset sampled every 2 ns (bias-dependent correlation). */
        SmtjModel device() {
            return physics ? SmtjModel.of(new scnn.generator.arch.DevicePhysics(Math.log(10), 1.0, 10.0, 2.0)) : SmtjModel.DEFAULT;
        }

        @Override
        public String toString() {
            return name + " " + inputs() + "-" + String.join("-", Arrays.stream(sizes).mapToObj(String::valueOf).toList()) + " L" + levels + " "
                    + encoding.key() + " fold " + fold + " N " + bits + " seed " + seed + (replay ? " replay" : "")
                    + (analog != null ? " analog " + analog.key() : "") + (physics ? " device physics" : "") + (chip.ideal() ? "" : " " + chip)
                    + (sources == WeightSources.LAYER ? "" : " weight sources " + sources.key() + (sources == WeightSources.SYNAPSE ? " " + synapseRng.key() : ""))
                    + (dacLatency == 1 ? "" : " DAC latency " + dacLatency);
        }

        CosimFixture.Design design() {
            if (analog != null) // analog baseline: dyadic grid when L + 1 is a power of two, else uniform (16-bit thresholds)
                return CosimFixture.design(name, RandomNets.analog(inputs(), name, netSeed, levels, Integer.bitCount(levels + 1) == 1, sizes),
                        new ScConfig(bits, encoding, fold, seed, device()).withSynapseRng(analog).withChip(chip).withDac(new DacModel(dacLatency, null)),
                        false, CosimFixture.test(pool));
            // the quantized nets' runs take 0.2-3.6 s even at -O0 (session 15), so their Verilator builds compile at -O0; the
            // analog baseline's per-synapse devices make its runs seconds long at -O1 (ra_rot_n5_uniform: 6 s), so those stay at -O1
            return CosimFixture.design(name, RandomNets.random(inputs(), name, netSeed, levels, sizes),
                    new ScConfig(bits, encoding, fold, seed, device(), replay ? replayFile() : null).withChip(chip).withWeightSources(sources).withSynapseRng(synapseRng),
                    true, CosimFixture.test(pool));
        }
    }

    /**
     * Pixel blocks averaged into one input ({@link CosimFixture#test(int)}) unless a configuration says
     * otherwise: 7 x 7 = 49 inputs. The Verilator builds' time grows with the input layer (on 784
     * inputs they took 35-170 s each, 914 s for the class; the 784-pixel layer is the shipped nets'
     * test and {@link #SM_F1_N8}'s).
     */
    static final int DEFAULT_POOL = 4;

    /** The full 784 pixels (the corrupted-netlist test's ROM word and seed positions are those of this net). */
    static final Config SM_F1_N8 = new Config("rc_sm_f1_n8", 11, 5, new int[] {6, 10}, Encoding.SIGN_MAGNITUDE, 1, 8, 1, 5, false, false).pooled(1);

    static final List<Config> CONFIGS = List.of(
            SM_F1_N8,
            new Config("rc_bp_f2_n16", 12, 3, new int[] {5, 4, 10}, Encoding.BIPOLAR, 2, 16, 7, 4, false, false).pooled(2),
            new Config("rc_bp_f4_n3", 13, 11, new int[] {6, 10}, Encoding.BIPOLAR, 4, 3, 3, 5, true, false),
            new Config("rc_sm_f4_n8", 14, 11, new int[] {5, 4, 10}, Encoding.SIGN_MAGNITUDE, 4, 8, 99, 4, false, true),
            new Config("rc_sm_f2_n3", 15, 3, new int[] {7, 6}, Encoding.SIGN_MAGNITUDE, 2, 3, 5, 3, true, false),
            // the analog baseline: per-synapse s-MTJs (both random-word schemes), DAC-biased sigmoid neurons
            new Config("ra_rot_n8", 16, 127, new int[] {6, 10}, Encoding.SIGN_MAGNITUDE, 1, 8, 1, 5, true, false, SynapseRng.ROTATE).pooled(2),
            new Config("ra_xor_n16", 17, 15, new int[] {5, 4, 10}, Encoding.SIGN_MAGNITUDE, 1, 16, 7, 4, false, false, SynapseRng.XOR),
            new Config("ra_rot_n5_uniform", 18, 11, new int[] {12, 10}, Encoding.SIGN_MAGNITUDE, 1, 5, 3, 4, true, false, SynapseRng.ROTATE),
            // device physics: every device's redraw threshold from its bias (quantized, both encodings, and the analog baseline)
            new Config("rp_sm_f2_n8", 19, 5, new int[] {6, 10}, Encoding.SIGN_MAGNITUDE, 2, 8, 4, 4, true, false, null, true),
            new Config("rp_bp_f1_n6", 20, 11, new int[] {5, 4, 10}, Encoding.BIPOLAR, 1, 6, 5, 3, false, false, null, true),
            new Config("rp_an_n8", 21, 15, new int[] {6, 10}, Encoding.SIGN_MAGNITUDE, 1, 8, 6, 3, false, false, SynapseRng.ROTATE, true),
            // a varied chip: per-device bias offsets and stuck-at faults (tables per offset class, varied bank constants)
            new Config("rv_sm_f2_n8", 22, 11, new int[] {6, 10}, Encoding.SIGN_MAGNITUDE, 2, 8, 2, 4, true, false, null, false,
                    new ChipVariation(0.6, 0.08, 5)),
            new Config("rv_bp_f1_n6", 23, 5, new int[] {5, 4, 10}, Encoding.BIPOLAR, 1, 6, 3, 3, false, false, null, true,
                    new ChipVariation(1.0, 0.1, 9)),
            new Config("rv_sm_f1_n16_replay", 14, 11, new int[] {5, 4, 10}, Encoding.SIGN_MAGNITUDE, 1, 16, 4, 3, false, true, null, false,
                    new ChipVariation(0.3, 0.02, 2)),
            // --weight-sources: a bank per neuron (with a varied chip; with replayed levels, which stay per layer), a device per synapse
            new Config("rw_neuron_sm_f2_n8", 24, 11, new int[] {6, 10}, Encoding.SIGN_MAGNITUDE, 2, 8, 3, 4, true, false, null, false,
                    new ChipVariation(0.4, 0.05, 3), WeightSources.NEURON, SynapseRng.ROTATE),
            new Config("rw_neuron_bp_n6_replay", 14, 11, new int[] {5, 4, 10}, Encoding.BIPOLAR, 1, 6, 2, 3, false, true, null, false,
                    ChipVariation.IDEAL, WeightSources.NEURON, SynapseRng.ROTATE),
            new Config("rw_syn_sm_n8", 25, 5, new int[] {6, 10}, Encoding.SIGN_MAGNITUDE, 1, 8, 4, 4, true, false, null, false,
                    ChipVariation.IDEAL, WeightSources.SYNAPSE, SynapseRng.ROTATE),
            new Config("rw_syn_bp_n6_chip", 26, 11, new int[] {5, 4, 10}, Encoding.BIPOLAR, 1, 6, 5, 3, false, false, null, true,
                    new ChipVariation(0.5, 0.03, 4), WeightSources.SYNAPSE, SynapseRng.XOR),
            // the analog baseline's DAC conversion latency (device file dac_latency_cycles): the control waits after each hidden layer
            new Config("ra_dac3_n6", 27, 15, new int[] {5, 4, 10}, Encoding.SIGN_MAGNITUDE, 1, 6, 2, 3, true, false, SynapseRng.ROTATE, false,
                    ChipVariation.IDEAL, WeightSources.LAYER, SynapseRng.ROTATE, 3),
            // the analog baseline on a varied chip: per-synapse thresholds, DAC-table shifts and forced bits per device
            new Config("ra_chip_n8", 28, 127, new int[] {6, 10}, Encoding.SIGN_MAGNITUDE, 1, 8, 6, 4, true, false, SynapseRng.ROTATE, false,
                    new ChipVariation(0.5, 0.05, 6)),
            new Config("ra_chip_xor_n6_dac2", 29, 15, new int[] {5, 4, 10}, Encoding.SIGN_MAGNITUDE, 1, 6, 3, 3, false, false, SynapseRng.XOR, true,
                    new ChipVariation(1.0, 0.1, 8), WeightSources.LAYER, SynapseRng.ROTATE, 2));

    /**
     * Recorded bitstreams (random, fixed seed) for the magnitudes 0.2 and 0.6 of the 11-level nets:
     * those weight streams are replayed from a trace memory instead of the behavioural s-MTJ.
     */
    static Replay replayFile() {
        Path f = CosimFixture.workRoot().resolve("replay-traces.txt");
        SplittableRandom r = new SplittableRandom(2024);
        StringBuilder sb = new StringBuilder("# test traces\n");
        for (double p : new double[] {0.2, 0.6}) {
            sb.append(p).append(' ');
            for (int t = 0; t < 100; t++) sb.append(r.nextDouble() < p ? '1' : '0');
            sb.append('\n');
        }
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Replay rp = Replay.read(f);
        assertEquals(2, rp.traces().length);
        assertEquals(64, rp.length(), "traces are cut to a power of two");
        return rp;
    }

    /**
     * The configurations to run: all, or with {@code -Dscnn.cosim.only=prefix1,prefix2} (a developer's
     * shortcut, e.g. {@code rw_,rv_}) those whose name starts with one of the prefixes.
     */
    static Stream<Config> selected() {
        String only = System.getProperty("scnn.cosim.only", "");
        if (only.isBlank()) return CONFIGS.stream();
        List<String> p = Arrays.asList(only.split(","));
        return CONFIGS.stream().filter(c -> p.stream().anyMatch(x -> c.name().startsWith(x.trim())));
    }

    static Stream<Config> configs() {
        return selected();
    }

    static Stream<Config> icarusConfigs() {
        return selected().filter(Config::icarus);
    }

    @Execution(ExecutionMode.CONCURRENT)

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void verilatorAgreesWithJava(Config c) {
        assumeTrue(Tools.require(Simulator.VERILATOR.tools()));
        CosimFixture.Design d = c.design();
        CosimFixture.assertAgree(CosimFixture.cosim(CosimFixture.built(d, Simulator.VERILATOR), c.images()), d);
    }

    @Execution(ExecutionMode.CONCURRENT)

    @ParameterizedTest(name = "{0}")
    @MethodSource("icarusConfigs")
    void icarusAgreesWithJava(Config c) {
        assumeTrue(Tools.require(Simulator.ICARUS.tools()));
        CosimFixture.Design d = c.design();
        CosimFixture.assertAgree(CosimFixture.cosim(CosimFixture.built(d, Simulator.ICARUS), ICARUS_IMAGES), d);
    }
}
