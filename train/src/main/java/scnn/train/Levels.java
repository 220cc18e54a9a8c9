package scnn.train;

/** The level grid the trainer uses. */
public final class Levels {
    private Levels() {}

    /**
     * The uniform grid of L values in [-1, 1], {@code v[c] = (2c - (L-1)) / (L-1)}, each value the
     * correctly rounded quotient of two integers, hence exactly symmetric ({@code v[c] = -v[L-1-c]})
     * as {@code scnn-weights/1} requires. ({@code Network.uniformLevels} computes
     * {@code -1 + 2c/(L-1)}, which is not exactly symmetric for e.g. L = 11: 0.6000000000000001 vs
     * -0.6.) For L = 3 and 5 the values are the same as {@code Network.uniformLevels}.
     */
    public static double[] uniform(int levels) {
        double[] v = new double[levels];
        for (int c = 0; c < levels; c++) v[c] = (double) (2 * c - (levels - 1)) / (levels - 1);
        return v;
    }

    /**
     * The dyadic grid of the analog baseline: {@code v[c] = (c - (L-1)/2) / ((L+1)/2)} for L + 1 a power
     * of two (L = 127: steps of 1/64 in [-63/64, 63/64]). Every magnitude is a multiple of
     * {@code 2^-D} with {@code 2^D = (L+1)/2}, so a D-bit probability threshold expresses it exactly.
     */
    public static double[] dyadic(int levels) {
        if (levels < 3 || Integer.bitCount(levels + 1) != 1) throw new IllegalArgumentException("dyadic grid needs L + 1 a power of two, got " + levels);
        double[] v = new double[levels];
        int h = (levels - 1) / 2, den = (levels + 1) / 2;
        for (int c = 0; c < levels; c++) v[c] = (double) (c - h) / den;
        return v;
    }
}
