package scnn.generator.arch;

/**
 * How the analog baseline gives every synapse its own uniform random word each cycle (the behavioural
 * model of the synapse's own s-MTJ): per layer, one fresh D-bit word {@code a_m} per layer input
 * (xorshift32 each), and for {@link #XOR} one per neuron {@code b_j}.
 */
public enum SynapseRng {
    /**
     * Synapse (i, j) uses {@code a_((i + j) mod inputs)}: within one neuron all words differ (independent), the
     * synapses of one input use different words in different neurons; a word is shared by one synapse per
     * neuron (different inputs). Shared words let the simulator share comparators: 2-3.6x the quantized
     * design's cost per simulated cycle (measured, docs/analog.md).
     */
    ROTATE("rotate"),
    /**
     * Synapse (i, j) uses {@code a_i XOR b_j}: uniform, and pairwise independent between any two synapses;
     * about three times the simulation cost of {@link #ROTATE} (measured).
     */
    XOR("xor");

    private final String key;

    SynapseRng(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static SynapseRng parse(String s) {
        for (SynapseRng a : values()) if (a.key.equals(s)) return a;
        throw new IllegalArgumentException("unknown synapse random-word scheme '" + s + "' (rotate or xor)");
    }
}
