package scnn.train;

import java.util.SplittableRandom;
import scnn.core.mnist.MnistSet;
import scnn.train.kernel.Kernels;
import scnn.train.kernel.Rng;
import scnn.train.kernel.Workers;

/**
 * Forward and backward pass of one mini-batch of a {@link QatModel}, with every buffer allocated
 * once. Rows (examples) are split across the workers for the forward and backward passes; the
 * weight gradients are split by weight row and summed over the examples in batch order, so every
 * number is independent of the thread count.
 */
final class Engine {
    final QatModel model;
    final int cap;
    final int[] sizes;
    final int layers;
    final float[][] act;   // inputs of layer k: [cap][sizes[k]]
    final float[][] z;     // (noisy) weighted sums of layer k: [cap][sizes[k+1]]
    final float[][] mask;  // hidden: 1 where |y| <= 1 (straight-through), else 0
    final float[][] g;     // dL/d(y) for hidden layers, dL/d(score) for the output layer
    final float[][] dz;    // dL/dz = gain * g
    final float[][] dact;  // dL/d(input of layer k), k >= 1
    final float[][] u, tmp, var; // noise scratch
    final float[][] gradT; // weight gradients [in][out]
    final float[][] gradB;
    final float[] loss;
    final int[] label;
    final int[] example;
    final int[] predicted;
    /** Variation-aware training: the chip of the current mini-batch (null: ideal devices). */
    private ChipNoise chip;
    /** The weights on that chip, {@code [in][out]} and {@code [out][in]} (layers >= 1). */
    private float[][] chipQT, chipQ;

    Engine(QatModel model, int cap) {
        this.model = model;
        this.cap = cap;
        this.sizes = model.sizes;
        this.layers = model.layers;
        act = new float[layers][];
        z = new float[layers][];
        mask = new float[layers][];
        g = new float[layers][];
        dz = new float[layers][];
        dact = new float[layers][];
        u = new float[layers][];
        tmp = new float[layers][];
        var = new float[layers][];
        gradT = new float[layers][];
        gradB = new float[layers][];
        for (int k = 0; k < layers; k++) {
            int n = sizes[k], m = sizes[k + 1];
            act[k] = new float[cap * n];
            z[k] = new float[cap * m];
            mask[k] = new float[cap * m];
            g[k] = new float[cap * m];
            dz[k] = new float[cap * m];
            if (k > 0) dact[k] = new float[cap * n];
            gradT[k] = new float[n * m];
            gradB[k] = new float[m];
        }
        loss = new float[cap];
        label = new int[cap];
        example = new int[cap];
        predicted = new int[cap];
    }

    /**
     * Runs the next passes on {@code c} (null: ideal devices): its weights are computed from the
     * model's current codes, so call it again after every update.
     */
    void useChip(ChipNoise c, Workers workers) {
        chip = c;
        if (c == null) return;
        if (chipQT == null) {
            chipQT = new float[layers][];
            chipQ = new float[layers][];
            for (int k = 0; k < layers; k++) {
                chipQT[k] = new float[sizes[k] * sizes[k + 1]];
                if (k > 0) chipQ[k] = new float[sizes[k] * sizes[k + 1]];
            }
        }
        for (int k = 0; k < layers; k++) {
            int kk = k;
            workers.run(chipQT[k].length, (a, b, w) -> c.weights(kk, model.codeT[kk], chipQT[kk], chipQ[kk], a, b));
        }
    }

    private void ensureNoiseScratch() {
        if (u[0] != null) return;
        for (int k = 0; k < layers; k++) {
            u[k] = new float[cap * sizes[k]];
            tmp[k] = new float[cap * sizes[k + 1]];
            var[k] = new float[cap * sizes[k + 1]];
        }
    }

    /** Loads images {@code idx[0..count-1]} of {@code set} as rows {@code b0..b1-1}. */
    void load(MnistSet set, int[] idx, int b0, int b1) {
        load(set, idx, b0, b1, 0, 0, 0);
    }

    /**
     * As {@link #load(MnistSet, int[], int, int)}, each image shifted by a random offset in
     * {@code [-shift, shift]} pixels per axis drawn from (key0, key1, image index); 0 = no shift.
     */
    void load(MnistSet set, int[] idx, int b0, int b1, int shift, long key0, long key1) {
        for (int b = b0; b < b1; b++) {
            if (shift == 0) {
                QatModel.loadImage(set, idx[b], act[0], b);
            } else {
                SplittableRandom r = Rng.of(key0, key1, idx[b], 0x5817L);
                int dx = r.nextInt(2 * shift + 1) - shift, dy = r.nextInt(2 * shift + 1) - shift;
                loadShifted(set, idx[b], act[0], b, dx, dy);
            }
            label[b] = set.label(idx[b]);
            example[b] = idx[b];
        }
    }

    static void loadShifted(MnistSet set, int img, float[] x, int b, int dx, int dy) {
        byte[] px = set.rawPixels();
        int P = set.imageSize(), off = img * P, r = b * P, W = set.cols(), H = set.rows();
        java.util.Arrays.fill(x, r, r + P, 0f);
        for (int y = Math.max(0, dy); y < Math.min(H, H + dy); y++)
            for (int c = Math.max(0, dx); c < Math.min(W, W + dx); c++)
                x[r + y * W + c] = (px[off + (y - dy) * W + (c - dx)] & 0xff) / 255f;
    }

    /**
     * Weighted sums of layer {@code k} for rows {@code b0..b1-1}, plus SC noise when
     * {@code noise != null} (keyed by {@code (key0, key1, example, layer)}).
     */
    void sums(int k, ScNoise.LayerTables noise, int bits, long key0, long key1, int b0, int b1) {
        int n = sizes[k], m = sizes[k + 1];
        if (chip != null) chip.inputs(k, act[k], b0, b1);
        Kernels.matmulXW(act[k], n, chip != null ? chipQT[k] : model.qT[k], m, z[k], b0, b1);
        if (noise == null) return;
        float[] v = var[k], zz = z[k];
        noise.variance(act[k], u[k], tmp[k], v, b0, b1);
        for (int b = b0; b < b1; b++) {
            SplittableRandom r = Rng.of(key0, key1, example[b], k);
            for (int o = b * m; o < (b + 1) * m; o++)
                zz[o] += (float) (Math.sqrt(Math.max(0f, v[o]) / bits) * r.nextGaussian());
        }
    }

    /** Requantizes hidden layer {@code k} into the inputs of layer k+1 for rows {@code b0..b1-1}. */
    void activate(int k, int b0, int b1) {
        int m = sizes[k + 1];
        float gk = model.gain[k];
        float[] bias = model.bp[k], zz = z[k], msk = mask[k], out = act[k + 1];
        for (int b = b0; b < b1; b++) {
            for (int o = 0; o < m; o++) {
                int j = b * m + o;
                float y = gk * zz[j] + bias[o];
                if (model.analog) {
                    // the s-MTJ sigmoid as the hardware programs it (16-bit threshold); gradient h (1 - h)
                    float h = (float) scnn.core.weights.Activation.smtjSigmoid(y);
                    out[j] = h;
                    msk[j] = h * (1f - h);
                    continue;
                }
                out[j] = model.levelsF[model.activationCode(y)];
                msk[j] = (y >= -1f && y <= 1f) ? 1f : 0f;
            }
        }
    }

    /** Softmax cross-entropy of rows {@code b0..b1-1}; fills loss, predictions and g = dL/dscore / count. */
    void output(int b0, int b1, int count) {
        int k = layers - 1, m = sizes[layers];
        float t = model.gain[k];
        float[] bias = model.bp[k], zz = z[k], gg = g[k], dzz = dz[k];
        double[] s = new double[m];
        for (int b = b0; b < b1; b++) {
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int o = 0; o < m; o++) {
                s[o] = t * zz[b * m + o] + bias[o];
                if (s[o] > max) {
                    max = s[o];
                    arg = o;
                }
            }
            double sum = 0;
            for (int o = 0; o < m; o++) sum += (s[o] = Math.exp(s[o] - max));
            predicted[b] = arg;
            loss[b] = (float) -Math.log(s[label[b]] / sum);
            for (int o = 0; o < m; o++) {
                float p = (float) (s[o] / sum);
                float grad = (p - (o == label[b] ? 1f : 0f)) / count;
                gg[b * m + o] = grad;
                dzz[b * m + o] = t * grad;
            }
        }
    }

    /** Forward (and, when {@code backward}, backward) pass of rows {@code b0..b1-1}. */
    void pass(ScNoise.LayerTables[] noise, int bits, long key0, long key1, int b0, int b1, int count, boolean backward) {
        for (int k = 0; k < layers; k++) {
            sums(k, noise == null ? null : noise[k], bits, key0, key1, b0, b1);
            if (k < layers - 1) activate(k, b0, b1);
        }
        output(b0, b1, count);
        if (!backward) return;
        for (int k = layers - 1; k >= 1; k--) {
            int n = sizes[k];
            Kernels.matmulDzW(dz[k], sizes[k + 1], chip != null ? chipQ[k] : model.q[k], n, dact[k], b0, b1);
            float gk = model.gain[k - 1];
            float[] d = dact[k], msk = mask[k - 1], gg = g[k - 1], dzz = dz[k - 1];
            for (int j = b0 * n; j < b1 * n; j++) {
                float v = d[j] * msk[j];
                gg[j] = v;
                dzz[j] = gk * v;
            }
        }
    }

    /** Forward+backward of a batch already loaded into rows 0..count-1; then the gradients. */
    void forwardBackward(Workers workers, ScNoise.LayerTables[] noise, int bits, long key0, long key1, int count) {
        if (noise != null) ensureNoiseScratch();
        workers.run(count, (b0, b1, w) -> pass(noise, bits, key0, key1, b0, b1, count, true));
        for (int k = 0; k < layers; k++) {
            int n = sizes[k], m = sizes[k + 1], kk = k;
            workers.run(n, (i0, i1, w) -> Kernels.outerAccumulate(act[kk], n, dz[kk], m, count, gradT[kk], i0, i1));
            float[] gb = gradB[k], gg = g[k];
            java.util.Arrays.fill(gb, 0f);
            for (int b = 0; b < count; b++) for (int o = 0; o < m; o++) gb[o] += gg[b * m + o];
        }
    }

    /** Forward only (evaluation) of rows 0..count-1. */
    void forward(Workers workers, ScNoise.LayerTables[] noise, int bits, long key0, long key1, int count) {
        if (noise != null) ensureNoiseScratch();
        workers.run(count, (b0, b1, w) -> pass(noise, bits, key0, key1, b0, b1, count, false));
    }
}
