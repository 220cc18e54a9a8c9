package scnn.generator.arch;

import java.util.Locale;

/**
 * The analog baseline's DAC: the step that sets each hidden neuron's output s-MTJ bias from its
 * accumulated count (a ROM from count to threshold, then a count-to-current conversion).
 *
 * <p>{@code latencyCycles} is the conversion latency: the cycles from the edge that latches the
 * counts into the DAC input registers to the edge after which the next layer's first input sample
 * is taken. With 1 (the default) the conversion settles within the latch cycle, as the quantized
 * design's comparator ladder does; with L > 1 the control FSM waits L - 1 more cycles after every
 * hidden layer (no device samples, no accumulator adds; the flip-flops are clocked), so that
 * {@code cycles = layers (N fold + 1) + (layers - 1)(L - 1)} and the activation latency is L cycles.
 *
 * <p>{@code conversionPj} is the energy of one conversion (one per hidden neuron and inference), or
 * null for the energy model's {@code dac_conversion_pj} (1 pJ by default, or {@code --energy FILE}'s).
 * Quantized designs have no DAC: neither applies to them.
 *
 * @param latencyCycles conversion latency in cycles, 1..{@link #MAX_LATENCY}
 * @param conversionPj  energy per conversion in pJ, or null (the energy model's)
 */
public record DacModel(int latencyCycles, Double conversionPj) implements java.io.Serializable {
    /** Today's DAC: settles within the latch cycle; the energy model's energy per conversion. */
    public static final DacModel DEFAULT = new DacModel(1, null);

    /** The longest conversion latency a device file may give, in cycles. */
    public static final int MAX_LATENCY = 1 << 16;

    public DacModel {
        if (latencyCycles < 1 || latencyCycles > MAX_LATENCY)
            throw new IllegalArgumentException("the DAC latency must be 1.." + MAX_LATENCY + " cycles, got " + latencyCycles);
        if (conversionPj != null && !(conversionPj >= 0 && conversionPj <= 1e9))
            throw new IllegalArgumentException("the DAC conversion energy must be in 0..1e9 pJ, got " + conversionPj);
    }

    /** Cycles the control waits after a hidden layer's latch cycle (L - 1). */
    public int waitCycles() {
        return latencyCycles - 1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DAC latency %d cycle(s), %s per conversion", latencyCycles,
                conversionPj == null ? "the energy model's energy" : String.format(Locale.ROOT, "%.4g pJ", conversionPj));
    }
}
