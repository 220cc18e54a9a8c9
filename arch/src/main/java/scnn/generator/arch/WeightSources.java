package scnn.generator.arch;

/**
 * How many random sources the quantized design builds for its weight streams
 * ({@code --weight-sources}).
 */
public enum WeightSources {
    /** One bank of level devices per layer, shared by all its synapses (one device per random weight level). */
    LAYER("layer"),
    /** One bank of level devices per output neuron: the synapses of a neuron share its bank. */
    NEURON("neuron"),
    /**
     * One device per synapse, biased at its weight level's probability (as the analog baseline's synapses, with
     * the same random words, {@link SynapseRng}); synapses with a constant stream (level 0 or 1) have none.
     */
    SYNAPSE("synapse");

    private final String key;

    WeightSources(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static WeightSources parse(String s) {
        for (WeightSources a : values()) if (a.key.equals(s)) return a;
        throw new IllegalArgumentException("unknown weight-source sharing '" + s + "' (layer, neuron or synapse)");
    }
}
