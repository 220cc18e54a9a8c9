package scnn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import scnn.core.mnist.MnistSet;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.train.kernel.Rng;
import scnn.train.kernel.Workers;

/**
 * The parameters of a quantization-aware network: full-precision shadow weights clipped to
 * [-1, 1] (stored transposed, {@code [in][out]}), their rounding to the nearest level (codes and
 * values, refreshed after every update), a bias per neuron and a gain per layer.
 *
 * <p>Hidden layer k computes {@code y = gain[k] * z + bp[k]} and requantizes it; the file stores
 * {@code scale = gain[k]} and {@code bias = bp[k] / gain[k]}, which is the same function
 * {@code y = scale * (z + bias)}. The output layer's scores are {@code gain * z + bp}; the gain is a
 * softmax temperature used only in training (argmax does not change), the file stores
 * {@code bias = bp / gain} and {@code scale = 1}.
 */
public final class QatModel {
    final int[] sizes;
    final int layers;
    final double[] levels;
    final float[] levelsF;
    final float[] midsF;
    final float[][] wT;
    final float[][] bp;
    final float[] gain;
    final byte[][] codeT;
    final float[][] qT;
    /** Quantized values as {@code [out][in]} for layers >= 1 (used to back-propagate). */
    final float[][] q;

    /** Analog baseline: s-MTJ sigmoid hidden activations and the dyadic grid. */
    final boolean analog;

    QatModel(int[] sizes, int levels, long seed, double initRange) {
        this(sizes, levels, seed, initRange, false);
    }

    QatModel(int[] sizes, int levels, long seed, double initRange, boolean analog) {
        this.analog = analog;
        this.sizes = sizes.clone();
        this.layers = sizes.length - 1;
        this.levels = analog ? Levels.dyadic(levels) : Levels.uniform(levels);
        this.levelsF = new float[levels];
        for (int c = 0; c < levels; c++) levelsF[c] = (float) this.levels[c];
        this.midsF = new float[levels - 1];
        for (int c = 0; c < levels - 1; c++) midsF[c] = (float) ((this.levels[c] + this.levels[c + 1]) / 2);
        wT = new float[layers][];
        bp = new float[layers][];
        gain = new float[layers];
        codeT = new byte[layers][];
        qT = new float[layers][];
        q = new float[layers][];
        for (int k = 0; k < layers; k++) {
            int n = sizes[k], m = sizes[k + 1];
            wT[k] = new float[n * m];
            SplittableRandom r = Rng.of(seed, 0x1417L, k);
            for (int j = 0; j < wT[k].length; j++) wT[k][j] = (float) ((2 * r.nextDouble() - 1) * initRange);
            bp[k] = new float[m];
            gain[k] = 1f;
            codeT[k] = new byte[n * m];
            qT[k] = new float[n * m];
            if (k > 0) q[k] = new float[n * m];
        }
    }

    int levelCount() {
        return levels.length;
    }

    /** The level code of a shadow weight: the comparator ladder ({@code w >= mid} counts). */
    int weightCode(float w) {
        int c = 0;
        for (float mid : midsF) if (w >= mid) c++;
        return c;
    }

    /** The requantizer of the hidden layers in training (same ladder, in float). */
    int activationCode(float y) {
        int c = 0;
        for (float mid : midsF) if (y >= mid) c++;
        return c;
    }

    /** Re-rounds every shadow weight of layer {@code k} in the flat range {@code from..to-1}. */
    void quantize(int k, int from, int to) {
        byte[] c = codeT[k];
        float[] v = qT[k], w = wT[k];
        for (int j = from; j < to; j++) {
            int code = weightCode(w[j]);
            c[j] = (byte) code;
            v[j] = levelsF[code];
        }
    }

    /** Re-rounds all weights and refreshes the transposed copies. */
    void quantizeAll(Workers workers) {
        for (int k = 0; k < layers; k++) {
            int kk = k;
            workers.run(wT[k].length, (a, b, w) -> quantize(kk, a, b));
            transpose(k, workers);
        }
    }

    void transpose(int k, Workers workers) {
        if (k == 0) return;
        int n = sizes[k], m = sizes[k + 1];
        float[] src = qT[k], dst = q[k];
        workers.run(m, (a, b, w) -> {
            for (int o = a; o < b; o++) for (int i = 0; i < n; i++) dst[o * n + i] = src[i * m + o];
        });
    }

    /** The network as the hardware uses it. */
    public Network toNetwork(String name) {
        List<Layer> ls = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            int n = sizes[k], m = sizes[k + 1];
            byte[] codes = new byte[n * m];
            for (int o = 0; o < m; o++) for (int i = 0; i < n; i++) codes[o * n + i] = codeT[k][i * m + o];
            double g = gain[k];
            double[] bias = new double[m];
            for (int o = 0; o < m; o++) bias[o] = bp[k][o] / g;
            boolean last = k == layers - 1;
            ls.add(new Layer(n, m, codes, last ? 1.0 : g, bias, last ? Activation.ARGMAX : analog ? Activation.SMTJ_SIGMOID : Activation.QUANTIZE));
        }
        return new Network(name, levels.length, levels, sizes[0], 255.0, ls, null);
    }

    /** Fills row {@code b} of {@code x} with image {@code img} scaled to [0, 1]. */
    static void loadImage(MnistSet set, int img, float[] x, int b) {
        byte[] px = set.rawPixels();
        int P = set.imageSize(), off = img * P, r = b * P;
        for (int i = 0; i < P; i++) x[r + i] = (px[off + i] & 0xff) / 255f;
    }
}
