package scnn.generator.arch;

/** How numbers become bitstreams and how a synapse multiplies. */
public enum Encoding {
    /**
     * Sign-magnitude (the default): a stream carries |v| as P(1); the product of two streams is an
     * AND, and the product's sign (XOR of the signs) steers it to the up or the down count.
     */
    SIGN_MAGNITUDE("sign-magnitude"),
    /** Bipolar: a stream carries v in [-1, 1] as P(1) = (v + 1) / 2; the product is an XNOR. */
    BIPOLAR("bipolar");

    private final String key;

    Encoding(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** P(1) of the stream that carries {@code v} in [-1, 1]: |v| (sign-magnitude) or (v + 1) / 2 (bipolar). */
    public double probability(double v) {
        return this == SIGN_MAGNITUDE ? Math.abs(v) : (v + 1) / 2;
    }

    public static Encoding parse(String s) {
        for (Encoding e : values()) if (e.key.equals(s)) return e;
        throw new IllegalArgumentException("unknown encoding '" + s + "' (sign-magnitude or bipolar)");
    }
}
