package scnn.generator.arch;

import java.util.ArrayList;
import java.util.List;
import scnn.core.weights.Network;
import scnn.ir.Bits;

/**
 * What the builders of one design share: the weights, the options, the top's name, the s-MTJ
 * cell, the running device index (from which every device's seed constant C_i derives, so devices
 * are numbered in build order: layer 1's input sources, its weight bank, layer 2's input sources,
 * ...), the source groups, and the analog baseline's device and DAC counts.
 */
final class BuildContext {
    final Network net;
    final ScConfig cfg;
    final String top;
    /** The s-MTJ cell of this design (one module, instantiated per source group). */
    final SourceCell smtj;
    final List<ScDesign.SourceGroup> groups = new ArrayList<>();
    /** Analog: per-synapse s-MTJs of all layers, and DAC conversions per inference. */
    long synapseDevices, dacConversions;
    private long nextDeviceIndex;
    /**
     * Chip indices of devices that have no seed constant of their own and did not reserve running
     * indices (the analog baseline's per-synapse devices): a range of their own, so that the running
     * indices, and with them every seed, are the same on every chip.
     */
    private long nextChipOnlyIndex = CHIP_ONLY_INDICES;
    /** The first chip-only device index (far above any running index). */
    static final long CHIP_ONLY_INDICES = 1L << 40;
    /** The devices that the chip's variation and faults affect (filled as the groups are built). */
    final ChipVariation.Report chipReport = new ChipVariation.Report();

    BuildContext(Network net, ScConfig cfg, String top) {
        this.net = net;
        this.cfg = cfg;
        this.top = top;
        this.smtj = sourceCell(top, cfg.device());
    }

    /** The random-source model of a design: the registration point of {@link SourceCell} kinds. */
    static SourceCell sourceCell(String top, SmtjModel device) {
        return new SmtjCell(top, device);
    }

    /** Bits N x fold: accumulate cycles per layer. */
    int cyclesPerLayer() {
        return cfg.bits() * cfg.fold();
    }

    /**
     * Cycles the control waits after each hidden layer's activation (latch) cycle: the analog
     * baseline's DAC conversion latency minus the latch cycle ({@link DacModel#waitCycles()}); 0 for
     * the quantized design and for nets without hidden layers.
     */
    int dacWaitCycles() {
        return net.layers().size() > 1 && cfg.arch().resolve(net) == Arch.ANALOG ? cfg.dac().waitCycles() : 0;
    }

    /** The running index of the next device to be built (the first device of the next group). */
    long nextDevice() {
        return nextDeviceIndex;
    }

    /** Reserves the next {@code n} device indices (devices without a seed constant of their own); returns the first. */
    long reserveDevices(long n) {
        long f = nextDeviceIndex;
        nextDeviceIndex += n;
        return f;
    }

    /** Reserves {@code n} chip-only device indices ({@link #nextChipOnlyIndex}); returns the first. */
    long reserveChipOnlyDevices(long n) {
        long f = nextChipOnlyIndex;
        nextChipOnlyIndex += n;
        return f;
    }

    /** The seed constants C_i of the next {@code count} devices (from SEED and the running device index). */
    Bits[] deviceSeeds(int count) {
        Bits[] seeds = new Bits[count];
        for (int i = 0; i < count; i++)
            seeds[i] = Bits.of(32, ScBuilder.splitmix(cfg.seed() * 0x9E3779B97F4A7C15L + nextDeviceIndex++) & 0xffffffffL);
        return seeds;
    }
}
