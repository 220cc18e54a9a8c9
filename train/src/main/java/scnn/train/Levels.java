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
}
