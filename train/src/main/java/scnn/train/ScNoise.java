package scnn.train;

import scnn.core.model.Encoding;

import java.util.ArrayList;
import java.util.List;
import scnn.train.kernel.Kernels;

/**
 * The stochastic-computing error model: the variance of the per-cycle up/down-counter increment
 * {@code T} of every neuron, so that the estimate after {@code N} cycles can be modelled as
 * {@code z_hat = z + sqrt(Var[T] / N) * g} with {@code g} standard normal (see docs/training.md for
 * the derivation).
 *
 * <p>Sign-magnitude: {@code Var[T] = sum_i m_i |x_i| (1 - |x_i|) + sum_{m not in {0,1}} m (1 - m) S_m^2}
 * with {@code m_i = |w_i|} and {@code S_m = sum_{i: |w_i| = m} sign(w_i) x_i}.
 *
 * <p>Bipolar: {@code Var[T] = sum_i (1 - x_i^2) + sum_{v not in {-1,1}} (1 - v^2) S_v^2} with
 * {@code S_v = sum_{i: w_i = v} x_i}.
 *
 * <p>The first term is one matrix product ({@code |W| @ (|x| - x^2)}, or a row sum for bipolar),
 * the second one masked matrix product per random weight stream.
 */
public final class ScNoise {
    private final double[] levels;
    private final Encoding encoding;
    private final int bits;
    /** Codes whose weight stream is random (one shared stream per group), grouped. */
    private final List<int[]> groups = new ArrayList<>();
    /** Variance coefficient of each group's stream: m (1 - m) or 1 - v^2. */
    private final List<Double> coefs = new ArrayList<>();

    public ScNoise(double[] levels, Encoding encoding, int bits) {
        if (bits < 1) throw new IllegalArgumentException("bits must be >= 1");
        this.levels = levels.clone();
        this.encoding = encoding;
        this.bits = bits;
        int L = levels.length, mid = (L - 1) / 2;
        if (encoding == Encoding.SIGN_MAGNITUDE) {
            // One stream per magnitude: codes c and L-1-c share it; magnitudes 0 and 1 are constants.
            for (int c = mid + 1; c < L - 1; c++) {
                groups.add(new int[] {c, L - 1 - c});
                double m = Math.abs(levels[c]);
                coefs.add(m * (1 - m));
            }
        } else {
            // One stream per level value; -1 and +1 are constants.
            for (int c = 1; c < L - 1; c++) {
                groups.add(new int[] {c});
                double v = levels[c];
                coefs.add(1 - v * v);
            }
        }
    }

    public int bits() { return bits; }
    public Encoding encoding() { return encoding; }
    public int randomStreams() { return groups.size(); }

    /** Per-layer tables derived from the weight codes ({@code [in][out]} layout). */
    public final class LayerTables {
        final int n, m;
        /** Sign-magnitude: {@code |w|} as {@code [in][out]}; null for bipolar. */
        final float[] absT;
        /** One {@code [in][out]} mask per random stream: sign(w) (sign-magnitude) or 1 (bipolar) where the weight uses the stream. */
        final float[][] masksT;
        final float[] coef;

        LayerTables(int n, int m) {
            this.n = n;
            this.m = m;
            absT = encoding == Encoding.SIGN_MAGNITUDE ? new float[n * m] : null;
            masksT = new float[groups.size()][n * m];
            coef = new float[groups.size()];
            for (int g = 0; g < coef.length; g++) coef[g] = (float) (double) coefs.get(g);
        }

        /** Refreshes the tables from codes {@code [in][out]} for the flat indices {@code from..to-1}. */
        public void update(byte[] codesT, int from, int to) {
            int L = levels.length, mid = (L - 1) / 2;
            int[] groupOf = new int[L];
            java.util.Arrays.fill(groupOf, -1);
            for (int g = 0; g < groups.size(); g++) for (int c : groups.get(g)) groupOf[c] = g;
            for (int g = 0; g < masksT.length; g++) java.util.Arrays.fill(masksT[g], from, to, 0f);
            for (int k = from; k < to; k++) {
                int c = codesT[k];
                if (absT != null) absT[k] = (float) Math.abs(levels[c]);
                int g = groupOf[c];
                if (g >= 0) masksT[g][k] = encoding == Encoding.SIGN_MAGNITUDE ? (c > mid ? 1f : -1f) : 1f;
            }
        }

        /**
         * {@code var[b][o] = Var[T]} for rows {@code b0..b1-1} of the inputs {@code x} ({@code [*][n]});
         * {@code u} and {@code tmp} are scratch of the same shapes as {@code x} and {@code var}.
         */
        public void variance(float[] x, float[] u, float[] tmp, float[] var, int b0, int b1) {
            if (encoding == Encoding.SIGN_MAGNITUDE) {
                for (int k = b0 * n; k < b1 * n; k++) {
                    float a = Math.abs(x[k]);
                    u[k] = a - a * a;
                }
                Kernels.matmulXW(u, n, absT, m, var, b0, b1);
            } else {
                for (int b = b0; b < b1; b++) {
                    float s = 0;
                    for (int i = 0; i < n; i++) {
                        float a = x[b * n + i];
                        s += 1f - a * a;
                    }
                    java.util.Arrays.fill(var, b * m, (b + 1) * m, s);
                }
            }
            for (int g = 0; g < masksT.length; g++) {
                Kernels.matmulXW(x, n, masksT[g], m, tmp, b0, b1);
                float c = coef[g];
                for (int k = b0 * m; k < b1 * m; k++) var[k] += c * tmp[k] * tmp[k];
            }
        }
    }

    public LayerTables tables(int inputs, int outputs) {
        return new LayerTables(inputs, outputs);
    }

    /**
     * Reference (unvectorised, double) {@code Var[T]} of one neuron with weight codes {@code codes}
     * and inputs {@code x}; used by the tests.
     */
    public double variance(int[] codes, double[] x) {
        int L = levels.length, mid = (L - 1) / 2;
        double var = 0;
        double[] s = new double[L];
        for (int i = 0; i < codes.length; i++) {
            double w = levels[codes[i]];
            if (encoding == Encoding.SIGN_MAGNITUDE) {
                double a = Math.abs(x[i]);
                var += Math.abs(w) * a * (1 - a);
                // Key the shared stream by magnitude (the larger code of the pair).
                int key = codes[i] >= mid ? codes[i] : L - 1 - codes[i];
                s[key] += Math.signum(w) * x[i];
            } else {
                var += 1 - x[i] * x[i];
                s[codes[i]] += x[i];
            }
        }
        for (int c = 0; c < L; c++) {
            double v = levels[c];
            if (Math.abs(v) == 1.0) continue;
            if (encoding == Encoding.SIGN_MAGNITUDE) {
                if (c <= mid) continue; // magnitude 0 and the mirrored codes are keyed above mid
                double mm = Math.abs(v);
                var += mm * (1 - mm) * s[c] * s[c];
            } else {
                var += (1 - v * v) * s[c] * s[c];
            }
        }
        return var;
    }
}
