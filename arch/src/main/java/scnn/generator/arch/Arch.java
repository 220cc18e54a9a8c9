package scnn.generator.arch;

import scnn.core.weights.Activation;
import scnn.core.weights.Network;

/** Which SC architecture the builder generates. */
public enum Arch {
    /** From the weights: {@link #ANALOG} when the hidden layers use {@code smtj-sigmoid}, else {@link #QUANTIZED}. */
    AUTO("auto"),
    /** The paper's quantized SC-ANN: shared level banks, comparator-ladder requantizers. */
    QUANTIZED("quantized"),
    /**
     * The analog baseline: one s-MTJ per synapse biased to its weight, and per hidden neuron an output
     * s-MTJ whose bias a DAC sets from the accumulated count (the s-MTJ sigmoid is the activation).
     */
    ANALOG("analog");

    private final String key;

    Arch(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Arch parse(String s) {
        for (Arch a : values()) if (a.key.equals(s)) return a;
        throw new IllegalArgumentException("unknown architecture '" + s + "' (auto, quantized or analog)");
    }

    /** The architecture the weights call for. */
    public static Arch of(Network net) {
        return net.layers().size() > 1 && net.layers().get(0).activation() == Activation.SMTJ_SIGMOID ? ANALOG : QUANTIZED;
    }

    /** The architecture to build for {@code net}: AUTO resolved; an explicit choice that the weights cannot implement throws. */
    public Arch resolve(Network net) {
        Arch want = of(net);
        if (this == AUTO || this == want) return want;
        if (this == ANALOG)
            throw new IllegalArgumentException(net.name() + ": --arch analog needs hidden layers with activation smtj-sigmoid (this net requantizes: train it with --activation smtj-sigmoid)");
        throw new IllegalArgumentException(net.name() + ": --arch quantized needs hidden layers with activation quantize (this net's are smtj-sigmoid)");
    }
}
