package scnn.core.model;

/**
 * How the SC hardware encodes a value as a bitstream and how a synapse multiplies: the one
 * definition that the trainer (its noise model), the generator (its multipliers and stream biases)
 * and the command line share.
 */
public enum Encoding {
    /**
     * Sign-magnitude (the default): a stream carries |v| as P(1), the sign travels separately; the
     * product of two streams is an AND, and the product's sign (XOR of the signs) steers it to the
     * up or the down count.
     */
    SIGN_MAGNITUDE("sign-magnitude"),
    /** Bipolar: a stream carries v in [-1, 1] as P(1) = (v + 1) / 2; the product is an XNOR. */
    BIPOLAR("bipolar");

    private final String key;

    Encoding(String key) {
        this.key = key;
    }

    /** The spelling on the command line, in weights files and reports. */
    public String key() {
        return key;
    }

    /** P(1) of the stream that carries {@code v} in [-1, 1]: |v| (sign-magnitude) or (v + 1) / 2 (bipolar). */
    public double probability(double v) {
        return this == SIGN_MAGNITUDE ? Math.abs(v) : (v + 1) / 2;
    }

    /** Parses {@code sign-magnitude} or {@code bipolar}; anything else throws (the message names both). */
    public static Encoding parse(String s) {
        for (Encoding e : values()) if (e.key.equals(s)) return e;
        throw new IllegalArgumentException("unknown encoding '" + s + "' (sign-magnitude or bipolar)");
    }
}
