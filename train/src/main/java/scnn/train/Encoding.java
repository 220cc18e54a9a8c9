package scnn.train;

/** How the SC hardware encodes a value as a bitstream. */
public enum Encoding {
    /**
     * The magnitude {@code |v|} is the probability of a 1, the sign travels separately; products are
     * AND gates, the sign of a product is the XOR of the signs.
     */
    SIGN_MAGNITUDE("sign-magnitude"),
    /** {@code P(1) = (v + 1) / 2}; products are XNOR gates. */
    BIPOLAR("bipolar");

    private final String cli;

    Encoding(String cli) {
        this.cli = cli;
    }

    /** The spelling on the command line and in weights files. */
    public String cli() {
        return cli;
    }

    /** Parses {@code sign-magnitude} or {@code bipolar}; null if neither. */
    public static Encoding parse(String s) {
        for (Encoding e : values()) if (e.cli.equals(s)) return e;
        return null;
    }
}
