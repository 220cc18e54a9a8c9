package scnn.generator.arch;

import scnn.core.model.Encoding;

/**
 * Generation options.
 *
 * @param bits     bitstream length N (samples per number)
 * @param encoding stream encoding and multiplier kind
 * @param fold     synapses that share one physical multiply-accumulate (1 = fully parallel; a power of two); each
 *                 bitstream bit then takes {@code fold} cycles
 * @param seed     SEED of every random source
 * @param device   s-MTJ behavioural model
 * @param replay   recorded bitstreams for the weight streams, or null
 * @param arch     architecture (AUTO: from the weights' hidden activation)
 * @param synapseRng random words of the analog baseline's per-synapse s-MTJs
 * @param chip     device variation and stuck-at faults of the chip ({@link ChipVariation#IDEAL}: none)
 * @param weightSources how many random sources the quantized design builds for its weight streams
 * @param dac      the analog baseline's DAC (conversion latency and energy; {@link DacModel#DEFAULT}: today's)
 */
public record ScConfig(int bits, Encoding encoding, int fold, long seed, SmtjModel device, Replay replay, Arch arch, SynapseRng synapseRng,
                       ChipVariation chip, WeightSources weightSources, DacModel dac) implements java.io.Serializable {
    public ScConfig(int bits, Encoding encoding, int fold, long seed, SmtjModel device, Replay replay, Arch arch, SynapseRng synapseRng,
                    ChipVariation chip, WeightSources weightSources) {
        this(bits, encoding, fold, seed, device, replay, arch, synapseRng, chip, weightSources, DacModel.DEFAULT);
    }

    public ScConfig(int bits, Encoding encoding, int fold, long seed, SmtjModel device, Replay replay, Arch arch, SynapseRng synapseRng) {
        this(bits, encoding, fold, seed, device, replay, arch, synapseRng, ChipVariation.IDEAL, WeightSources.LAYER);
    }

    public ScConfig(int bits, Encoding encoding, int fold, long seed, SmtjModel device, Replay replay, Arch arch, SynapseRng synapseRng,
                    ChipVariation chip) {
        this(bits, encoding, fold, seed, device, replay, arch, synapseRng, chip, WeightSources.LAYER);
    }

    public ScConfig(int bits, Encoding encoding, int fold, long seed, SmtjModel device) {
        this(bits, encoding, fold, seed, device, null);
    }

    public ScConfig(int bits, Encoding encoding, int fold, long seed, SmtjModel device, Replay replay) {
        this(bits, encoding, fold, seed, device, replay, Arch.AUTO, SynapseRng.ROTATE);
    }

    public ScConfig {
        if (bits < 1 || bits > 1 << 20) throw new IllegalArgumentException("bitstream length must be in 1..1048576, got " + bits);
        if (fold < 1) throw new IllegalArgumentException("fold must be at least 1, got " + fold);
        if (arch == null) arch = Arch.AUTO;
        if (synapseRng == null) synapseRng = SynapseRng.ROTATE;
        if (chip == null) chip = ChipVariation.IDEAL;
        if (weightSources == null) weightSources = WeightSources.LAYER;
        if (dac == null) dac = DacModel.DEFAULT;
    }

    public static ScConfig of(int bits) {
        return new ScConfig(bits, Encoding.SIGN_MAGNITUDE, 1, 1, SmtjModel.DEFAULT);
    }

    public ScConfig withSeed(long s) {
        return new ScConfig(bits, encoding, fold, s, device, replay, arch, synapseRng, chip, weightSources, dac);
    }

    public ScConfig withFold(int f) {
        return new ScConfig(bits, encoding, f, seed, device, replay, arch, synapseRng, chip, weightSources, dac);
    }

    public ScConfig withEncoding(Encoding e) {
        return new ScConfig(bits, e, fold, seed, device, replay, arch, synapseRng, chip, weightSources, dac);
    }

    public ScConfig withArch(Arch a) {
        return new ScConfig(bits, encoding, fold, seed, device, replay, a, synapseRng, chip, weightSources, dac);
    }

    public ScConfig withChip(ChipVariation c) {
        return new ScConfig(bits, encoding, fold, seed, device, replay, arch, synapseRng, c, weightSources, dac);
    }

    public ScConfig withWeightSources(WeightSources w) {
        return new ScConfig(bits, encoding, fold, seed, device, replay, arch, synapseRng, chip, w, dac);
    }

    public ScConfig withDac(DacModel x) {
        return new ScConfig(bits, encoding, fold, seed, device, replay, arch, synapseRng, chip, weightSources, x);
    }

    public ScConfig withSynapseRng(SynapseRng r) {
        return new ScConfig(bits, encoding, fold, seed, device, replay, arch, r, chip, weightSources, dac);
    }
}
