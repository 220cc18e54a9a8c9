package scnn.train;

import scnn.core.model.Encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import scnn.core.weights.Network;

/**
 * The variance formula of {@link ScNoise} against a Monte-Carlo simulation of the actual stream
 * model: one independent stream per input, one shared stream per weight magnitude (sign-magnitude)
 * or per level value (bipolar) for the whole layer, the up/down counter adding
 * {@code T = sum_i c_i X_i W_i} per cycle.
 */
class ScNoiseTest {
    static final int INPUTS = 24, OUTPUTS = 6, CYCLES = 200_000;

    @Test
    void signMagnitudeL5() {
        check(5, Encoding.SIGN_MAGNITUDE, 1);
    }

    @Test
    void signMagnitudeL11() {
        check(11, Encoding.SIGN_MAGNITUDE, 2);
    }

    @Test
    void bipolarL5() {
        check(5, Encoding.BIPOLAR, 3);
    }

    @Test
    void bipolarL11() {
        check(11, Encoding.BIPOLAR, 4);
    }

    static void check(int levels, Encoding enc, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] lv = Network.uniformLevels(levels);
        int mid = (levels - 1) / 2;
        int[][] codes = new int[OUTPUTS][INPUTS];
        for (int o = 0; o < OUTPUTS; o++)
            for (int i = 0; i < INPUTS; i++)
                // skew towards positive weights of one magnitude so the shared-stream term is large
                codes[o][i] = o % 2 == 0 && r.nextDouble() < 0.5 ? mid + 1 : r.nextInt(levels);
        double[] x = new double[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            // signed hidden-like values, some exactly 0, +-1 and in between
            x[i] = switch (i % 4) {
                case 0 -> lv[r.nextInt(levels)];
                case 1 -> 0.0;
                case 2 -> r.nextDouble(-1, 1);
                default -> r.nextDouble();
            };
        }
        ScNoise noise = new ScNoise(lv, enc, 32);

        // Vectorised float variance equals the double reference per neuron.
        ScNoise.LayerTables t = noise.tables(INPUTS, OUTPUTS);
        byte[] codesT = new byte[INPUTS * OUTPUTS];
        for (int o = 0; o < OUTPUTS; o++) for (int i = 0; i < INPUTS; i++) codesT[i * OUTPUTS + o] = (byte) codes[o][i];
        t.update(codesT, 0, codesT.length);
        float[] xf = new float[INPUTS];
        for (int i = 0; i < INPUTS; i++) xf[i] = (float) x[i];
        float[] var = new float[OUTPUTS];
        t.variance(xf, new float[INPUTS], new float[OUTPUTS], var, 0, 1);

        // Monte-Carlo of the stream model.
        double[] sum = new double[OUTPUTS], sum2 = new double[OUTPUTS];
        double[][] samples = new double[OUTPUTS][CYCLES];
        int[] xbit = new int[INPUTS];
        int[] wbit = new int[levels];
        for (int cyc = 0; cyc < CYCLES; cyc++) {
            for (int i = 0; i < INPUTS; i++) {
                if (enc == Encoding.SIGN_MAGNITUDE) xbit[i] = r.nextDouble() < Math.abs(x[i]) ? 1 : 0;
                else xbit[i] = r.nextDouble() < (x[i] + 1) / 2 ? 1 : -1;
            }
            for (int c = 0; c < levels; c++) {
                if (enc == Encoding.SIGN_MAGNITUDE) {
                    // one stream per magnitude, shared by codes c and L-1-c: draw for c >= mid, mirror
                    if (c < mid) continue;
                    double m = Math.abs(lv[c]);
                    wbit[c] = m == 0 ? 0 : m == 1 ? 1 : (r.nextDouble() < m ? 1 : 0);
                    wbit[levels - 1 - c] = wbit[c];
                } else {
                    double v = lv[c];
                    wbit[c] = v == -1 ? -1 : v == 1 ? 1 : (r.nextDouble() < (v + 1) / 2 ? 1 : -1);
                }
            }
            for (int o = 0; o < OUTPUTS; o++) {
                double tsum = 0;
                for (int i = 0; i < INPUTS; i++) {
                    int c = codes[o][i];
                    if (enc == Encoding.SIGN_MAGNITUDE) {
                        double sign = Math.signum(lv[c]) * Math.signum(x[i]);
                        tsum += sign * (xbit[i] & wbit[c]);
                    } else {
                        tsum += xbit[i] * wbit[c]; // XNOR of bipolar bits = product of +-1
                    }
                }
                samples[o][cyc] = tsum;
                sum[o] += tsum;
                sum2[o] += tsum * tsum;
            }
        }
        for (int o = 0; o < OUTPUTS; o++) {
            double z = 0;
            for (int i = 0; i < INPUTS; i++) z += lv[codes[o][i]] * x[i];
            double formula = noise.variance(codes[o], x);
            assertEquals(formula, var[o], 1e-4 * Math.max(1, formula), "vectorised variance, neuron " + o);
            double mean = sum[o] / CYCLES;
            double s2 = 0, m4 = 0;
            for (int c = 0; c < CYCLES; c++) {
                double d = samples[o][c] - mean;
                s2 += d * d;
                m4 += d * d * d * d;
            }
            s2 /= CYCLES - 1;
            m4 /= CYCLES;
            // sd of the sample variance: sqrt((mu4 - sigma^4) / n); sd of the mean: sqrt(var / n)
            double sdVar = Math.sqrt(Math.max(m4 - s2 * s2, 1e-12) / CYCLES);
            double sdMean = Math.sqrt(formula / CYCLES);
            assertTrue(formula > 0.5, "the test needs a non-trivial variance, got " + formula);
            assertEquals(z, mean, 5 * sdMean + 1e-12, enc + " L" + levels + " mean of T, neuron " + o);
            assertEquals(formula, s2, 5 * sdVar, enc + " L" + levels + " Var[T], neuron " + o + " (sd of estimate " + sdVar + ")");
        }
    }

    /** The shared-stream term matters: without it the formula would be clearly wrong here. */
    @Test
    void sharedStreamTermIsNeeded() {
        double[] lv = Network.uniformLevels(5);
        ScNoise noise = new ScNoise(lv, Encoding.SIGN_MAGNITUDE, 32);
        int[] codes = new int[10];
        double[] x = new double[10];
        java.util.Arrays.fill(codes, 3); // all weights 0.5: one shared stream
        java.util.Arrays.fill(x, 1.0);   // inputs constant 1: no input noise
        // T = 10 * W, W ~ Bernoulli(0.5): Var = 100 * 0.25
        assertEquals(25.0, noise.variance(codes, x), 1e-12);
    }
}
