package scnn.train;

import scnn.core.model.Encoding;

import java.util.SplittableRandom;
import scnn.train.kernel.Rng;

/**
 * Variation-aware training: the s-MTJ device variation of a chip in the forward pass.
 *
 * <p>The device model is the one of {@code --variation SIGMA} and {@code --stuck-rate F} in
 * {@code generate}/{@code simulate} ({@code ChipVariation} of the architecture): device i has an offset
 * {@code delta_i ~ N(0, SIGMA^2)} of its sigmoid in sigmoid widths, so a device biased for
 * {@code P(1) = p} gives {@code p_i = 1 / (1 + exp(-(logit p + delta_i)))}; a device biased at
 * p = 0 or 1 stays there; a fraction F of the devices is stuck at 0 or at 1 (equally likely) whatever
 * its bias. The hardware has one such device per layer input (pixel or hidden neuron) and one per
 * random weight-level stream of each layer (sign-magnitude: one per magnitude other than 0 and 1;
 * bipolar: one per level other than -1 and +1), as {@link ScNoise} counts them.
 *
 * <p>In training, every mini-batch runs on a freshly drawn chip (keyed by seed, epoch and batch
 * index, so independent of the thread count): the layer's inputs become the values their varied
 * devices encode ({@code sign(x) p_i} with {@code p = |x|}, or {@code 2 p_i - 1} with
 * {@code p = (x + 1) / 2} for bipolar), and each weight level the value its varied level device
 * encodes, in the forward and the backward pass. The gradients treat the chip as a fixed
 * perturbation (straight through the device sigmoid). The trainer does not quantize the offsets to
 * steps of {@code SIGMA / 16} as the netlist does; that adds a variance of {@code SIGMA^2 / 3072}.
 */
final class ChipNoise {
    private final double sigma, stuckRate;
    private final Encoding encoding;
    private final double[] levels;
    private final int[] sizes;
    /** Per layer k: the offset of each input device, and -1 (works), 0 or 1 (stuck at). */
    final float[][] inOffset;
    final byte[][] inStuck;
    /** Per layer k: the value that weight code c encodes on this chip. */
    final float[][] level;

    ChipNoise(double sigma, double stuckRate, Encoding encoding, double[] levels, int[] sizes) {
        this.sigma = sigma;
        this.stuckRate = stuckRate;
        this.encoding = encoding;
        this.levels = levels.clone();
        this.sizes = sizes.clone();
        int L = sizes.length - 1;
        inOffset = new float[L][];
        inStuck = new byte[L][];
        level = new float[L][levels.length];
        for (int k = 0; k < L; k++) {
            inOffset[k] = new float[sizes[k]];
            inStuck[k] = new byte[sizes[k]];
        }
    }

    /** Draws chip {@code key}: every device's offset and fault. */
    void draw(long... key) {
        SplittableRandom r = Rng.of(key);
        int nl = levels.length, mid = (nl - 1) / 2;
        for (int k = 0; k < inOffset.length; k++) {
            for (int i = 0; i < inOffset[k].length; i++) {
                inOffset[k][i] = (float) (sigma * r.nextGaussian());
                inStuck[k][i] = fault(r);
            }
            if (encoding == Encoding.SIGN_MAGNITUDE) {
                // one device per magnitude: codes c and L-1-c share it
                for (int c = mid; c < nl; c++) {
                    double m = Math.abs(levels[c]);
                    double v = levelDevice(m, sigma * r.nextGaussian(), fault(r));
                    level[k][c] = (float) v;
                    level[k][nl - 1 - c] = (float) -v;
                }
                level[k][mid] = (float) levelDevice(Math.abs(levels[mid]), 0, (byte) -1);
            } else {
                for (int c = 0; c < nl; c++) level[k][c] = (float) (2 * levelDevice((levels[c] + 1) / 2, sigma * r.nextGaussian(), fault(r)) - 1);
            }
        }
    }

    private byte fault(SplittableRandom r) {
        if (stuckRate == 0) return -1;
        boolean stuck = r.nextDouble() < stuckRate;
        boolean one = r.nextBoolean();
        return stuck ? (byte) (one ? 1 : 0) : -1;
    }

    /** A weight level's stream: a device when 0 < p < 1, else a constant (no device, no fault). */
    private static double levelDevice(double p, double delta, byte stuck) {
        return p <= 0 || p >= 1 ? p : device(p, delta, stuck);
    }

    /** P(1) of a device biased for {@code p} with offset {@code delta} and fault {@code stuck}. */
    static double device(double p, double delta, byte stuck) {
        if (stuck >= 0) return stuck;
        if (p <= 0 || p >= 1 || delta == 0) return p;
        double x = Math.log(p / (1 - p)) + delta;
        return 1 / (1 + Math.exp(-x));
    }

    /** The value input {@code i} of layer {@code k} carries on this chip when the value is {@code x}. */
    float input(int k, int i, float x) {
        float d = inOffset[k][i];
        byte st = inStuck[k][i];
        if (d == 0 && st < 0) return x;
        if (encoding == Encoding.SIGN_MAGNITUDE) {
            double p = device(Math.abs(x), d, st);
            return (float) (x < 0 ? -p : p);
        }
        return (float) (2 * device((x + 1) / 2.0, d, st) - 1);
    }

    /** Rows {@code b0..b1-1} of {@code act} ({@code [*][sizes[k]]}) replaced by their values on this chip. */
    void inputs(int k, float[] act, int b0, int b1) {
        int n = sizes[k];
        for (int b = b0; b < b1; b++)
            for (int i = 0; i < n; i++) act[b * n + i] = input(k, i, act[b * n + i]);
    }

    /** The weights of layer {@code k} on this chip from its codes {@code [in][out]}, in both layouts ({@code q} is {@code [out][in]}, may be null). */
    void weights(int k, byte[] codeT, float[] qT, float[] q, int from, int to) {
        int n = sizes[k], m = sizes[k + 1];
        float[] lv = level[k];
        for (int j = from; j < to; j++) {
            float v = lv[codeT[j]];
            qT[j] = v;
            if (q != null) q[(j % m) * n + j / m] = v;
        }
    }
}
