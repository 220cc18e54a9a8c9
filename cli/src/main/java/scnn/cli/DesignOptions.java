package scnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.core.io.ScnnException;

/** Options that choose a network and how its SC hardware is generated (shared by generate, simulate, cosim, bench). */
final class DesignOptions {
    @Option(names = "--weights", paramLabel = "W", description = "Weights file (scnn-weights/1). Default: weights/mnist-1h-L5-sc.json.")
    Path weights;

    @Option(names = "--bits", paramLabel = "N", defaultValue = "100", description = "Bitstream length N (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--encoding", paramLabel = "E", defaultValue = "sign-magnitude",
            description = "Stream encoding: sign-magnitude (AND + up/down count) or bipolar (XNOR). Default: ${DEFAULT-VALUE}.")
    String encoding;

    @Option(names = "--fold", paramLabel = "F", defaultValue = "1",
            description = "Synapses sharing one multiply-accumulate (power of two; 1 = fully parallel). Default: ${DEFAULT-VALUE}.")
    int fold;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "SEED of the random sources (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--clock-ns", paramLabel = "T", description = "s-MTJ sampling (clock) period in ns (default: 10).")
    Double clockNs;

    @Option(names = "--tau-ns", paramLabel = "TAU", description = "s-MTJ telegraph correlation time in ns (default: 2).")
    Double tauNs;

    @Option(names = "--device", paramLabel = "FILE",
            description = "Device file (JSON): s-MTJ physics (delta_kt, tau0_ns, ic_ua, clock_ns, or \"preset\": \"measured-5ns\"): Neel-Arrhenius dwell "
                    + "times, so that the correlation time depends on each device's bias; and the analog baseline's DAC (dac_latency_cycles, "
                    + "dac_conversion_pj) (README, docs/devices.md). --clock-ns overrides its clock_ns.")
    Path device;

    @Option(names = "--replay", paramLabel = "FILE",
            description = "Recorded s-MTJ bitstreams ('<p> <0/1 samples>' per line) replayed for the weight streams of matching probability.")
    Path replay;

    @Option(names = "--arch", paramLabel = "A", defaultValue = "auto",
            description = "Architecture: auto (from the weights: analog when the hidden activation is smtj-sigmoid), quantized, or analog "
                    + "(the non-quantized baseline: one s-MTJ per synapse, DAC-biased s-MTJ sigmoid activations). Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--synapse-rng", paramLabel = "R", defaultValue = "rotate",
            description = "Analog baseline: random words of the per-synapse s-MTJs, rotate (fast) or xor (pairwise independent). Default: ${DEFAULT-VALUE}.")
    String synapseRng;

    @Option(names = "--variation", paramLabel = "SIGMA", defaultValue = "0",
            description = "Device-to-device variation: each s-MTJ's bias offset is drawn once per chip from N(0, SIGMA^2), in units of the "
                    + "sigmoid's width (docs/devices.md). Default: ${DEFAULT-VALUE} (ideal devices).")
    double variation;

    @Option(names = "--stuck-rate", paramLabel = "F", defaultValue = "0",
            description = "Fraction of s-MTJs stuck at 0 or at 1 (each device independently, half at each value). Default: ${DEFAULT-VALUE}.")
    double stuckRate;

    @Option(names = "--chip-seed", paramLabel = "C", defaultValue = "1",
            description = "Which chip: the seed of the per-device variation and faults (independent of --seed). Default: ${DEFAULT-VALUE}.")
    long chipSeed;

    @Option(names = "--weight-sources", paramLabel = "M", defaultValue = "layer",
            description = "Random sources of the quantized design's weight streams: layer (one bank of level s-MTJs per layer), neuron "
                    + "(one bank per output neuron) or synapse (one s-MTJ per synapse at its level's probability; fold 1). Default: ${DEFAULT-VALUE}.")
    String weightSources;

    /** --weight-sources as a value. */
    static scnn.generator.arch.WeightSources weightSources(String s) {
        try {
            return scnn.generator.arch.WeightSources.parse(s);
        } catch (IllegalArgumentException e) {
            throw new scnn.core.io.UsageException("--weight-sources: " + e.getMessage());
        }
    }

    /** The chip of --variation, --stuck-rate and --chip-seed. */
    static scnn.generator.arch.ChipVariation chip(double variation, double stuckRate, long chipSeed) {
        if (!(variation >= 0 && variation <= 100)) throw new scnn.core.io.UsageException("--variation must be in 0..100 (sigmoid widths), got " + variation);
        if (!(stuckRate >= 0 && stuckRate <= 1)) throw new scnn.core.io.UsageException("--stuck-rate must be in 0..1, got " + stuckRate);
        return new scnn.generator.arch.ChipVariation(variation, stuckRate, chipSeed);
    }

    @Option(names = "--axis-pixels", paramLabel = "P",
            description = "Pixels per beat of the AXI4-Stream top <top>_axis (s_axis_tdata is 8P bits; 1 .. the network's inputs). "
                    + "Default: 8 (or the input count when smaller).")
    Integer axisPixels;

    /** The AXI4-Stream top of {@code sd} with {@code --axis-pixels}. */
    scnn.generator.axis.AxisTop.Axis axis(ScDesign sd) {
        int inputs = sd.coreInterface().inputs();
        int p = axisPixels != null ? axisPixels : Math.min(scnn.generator.axis.AxisTop.DEFAULT_PIXELS_PER_BEAT, inputs);
        if (p < 1 || p > inputs)
            throw new scnn.core.io.UsageException("--axis-pixels must be in 1.." + inputs + " (the network's inputs), got " + p);
        return scnn.generator.axis.AxisTop.build(sd, p);
    }

    Path weightsPath() {
        return weights != null ? weights : Paths.defaultWeights();
    }

    Network network() {
        return WeightsIO.read(weightsPath());
    }

    ScConfig config() {
        if (bits < 1 || bits > 1 << 20) throw new scnn.core.io.UsageException("--bits must be in 1..1048576, got " + bits);
        if (fold < 1 || Integer.bitCount(fold) != 1) throw new scnn.core.io.UsageException("--fold must be a power of two (1, 2, 4, ...), got " + fold);
        Encoding e;
        try {
            e = Encoding.parse(encoding);
        } catch (IllegalArgumentException ex) {
            throw new scnn.core.io.UsageException("--encoding: " + ex.getMessage());
        }
        SmtjModel d = SmtjModel.DEFAULT;
        double c = clockNs != null ? clockNs : d.clockNs(), t = tauNs != null ? tauNs : d.tauCorrNs();
        if (!(c > 0 && c <= 1e9)) throw new scnn.core.io.UsageException("--clock-ns must be a positive number of ns up to 1e9, got " + c);
        if (!(t > 0 && t <= 1e9)) throw new scnn.core.io.UsageException("--tau-ns must be a positive number of ns up to 1e9, got " + t);
        scnn.generator.arch.Arch a;
        scnn.generator.arch.SynapseRng sr;
        try {
            a = scnn.generator.arch.Arch.parse(arch);
            sr = scnn.generator.arch.SynapseRng.parse(synapseRng);
        } catch (IllegalArgumentException ex) {
            throw new scnn.core.io.UsageException("--arch/--synapse-rng: " + ex.getMessage());
        }
        SmtjModel dev = new SmtjModel(c, t, d.i0Ua(), d.iWidthUa());
        scnn.generator.arch.DacModel dac = scnn.generator.arch.DacModel.DEFAULT;
        if (device != null) {
            scnn.generator.arch.DeviceFile df = scnn.generator.arch.DeviceFile.read(device);
            dac = df.dac();
            scnn.generator.arch.DevicePhysics ph = df.physics();
            if (ph != null) {
                if (tauNs != null) throw new scnn.core.io.UsageException("--tau-ns and --device: the device file sets the correlation time");
                if (clockNs != null) ph = new scnn.generator.arch.DevicePhysics(ph.deltaKt(), ph.tau0Ns(), ph.icUa(), clockNs);
                dev = SmtjModel.of(ph);
            }
        }
        return new ScConfig(bits, e, fold, seed, dev,
                replay == null ? null : scnn.generator.arch.Replay.read(replay), a, sr, chip(variation, stuckRate, chipSeed),
                weightSources(weightSources), dac);
    }

    /** Says which recorded traces of --replay no weight stream of the net uses (their p matches no level). */
    private void warnUnusedTraces(Network net, ScConfig cfg) {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int c = 0; c < net.levels(); c++) used.add(SmtjModel.threshold(cfg.encoding().probability(net.levelValue(c))));
        int[] ts = cfg.replay().thresholds();
        for (int i = 0; i < ts.length; i++)
            if (!used.contains(ts[i]))
                System.err.printf(java.util.Locale.ROOT, "scnn: %s: warning: the trace recorded at p = %.5f matches no weight level of %s "
                        + "(%s encoding); it is not used%n", replay, ts[i] / 65536.0, net.name(), cfg.encoding().key());
    }

    ScDesign build() {
        Network net = network();
        ScConfig cfg = config();
        try {
            ScDesign sd = ScBuilder.build(net, cfg, ScBuilder.topName(net.name()));
            if (cfg.replay() != null) warnUnusedTraces(net, cfg);
            return sd;
        } catch (IllegalArgumentException ex) {
            throw new ScnnException(weightsPath() + ": " + ex.getMessage());
        }
    }
}
