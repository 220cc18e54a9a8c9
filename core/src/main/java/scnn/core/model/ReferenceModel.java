package scnn.core.model;

import java.util.stream.IntStream;
import scnn.core.mnist.MnistSet;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;

/**
 * Deterministic inference of a {@link Network}.
 *
 * <p>Quantized semantics (what the hardware computes as the bitstream length grows): inputs
 * {@code x_i = pixel_i / pixelScale}; for each layer {@code z_o = sum_i v(code_oi) * x_i} summed in
 * index order; a hidden layer requantizes {@code y_o = scale * (z_o + bias_o)} by the comparator
 * ladder (code = number of midpoints {@code m_k = (v_k + v_{k+1}) / 2} with {@code y_o >= m_k}) and
 * passes {@code v(code)} on; the output layer's scores are {@code z_o + bias_o} and the class is the
 * first index of the maximum.
 *
 * <p>The float variant keeps the quantized weights but replaces requantization by the clamp
 * {@code clip(y, -1, 1)}: it shows what activation quantization costs.
 *
 * <p>Hidden layers with activation {@code smtj-sigmoid} (the analog baseline) pass on
 * {@code h = Activation.smtjSigmoid(y)}, the 16-bit probability the hardware's DAC ROM programs into
 * the neuron's output s-MTJ, in both variants; {@code hiddenCodes} then receives the thresholds
 * {@code round(65536 h)}.
 */
public final class ReferenceModel {
    private final Network net;
    private final double[] mids;

    public ReferenceModel(Network net) {
        this.net = net;
        int L = net.levels();
        this.mids = new double[L - 1];
        for (int k = 0; k < L - 1; k++) mids[k] = (net.levelValue(k) + net.levelValue(k + 1)) / 2;
    }

    public Network network() {
        return net;
    }

    /** The comparator ladder: number of midpoints that {@code y} reaches. */
    public int requantize(double y) {
        int c = 0;
        for (double m : mids) if (y >= m) c++;
        return c;
    }

    /** Output scores of one image (pixels 0..255), quantized semantics. */
    public double[] scores(int[] pixels) {
        return forward(pixels, true, null);
    }

    /** Output scores with float (clamped, not requantized) hidden activations. */
    public double[] floatScores(int[] pixels) {
        return forward(pixels, false, null);
    }

    /**
     * Forward pass; when {@code hiddenCodes} is non-null, {@code hiddenCodes[k]} receives the level
     * codes of hidden layer k (quantized mode only).
     */
    public double[] forward(int[] pixels, boolean quantized, int[][] hiddenCodes) {
        double[] x = new double[net.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = pixels[i] / net.pixelScale();
        int li = 0;
        for (Layer l : net.layers()) {
            double[] z = new double[l.outputs()];
            for (int o = 0; o < l.outputs(); o++) {
                double s = 0;
                for (int i = 0; i < l.inputs(); i++) s += net.levelValue(l.code(o, i)) * x[i];
                z[o] = s + l.bias(o);
            }
            if (l.activation() == Activation.ARGMAX) return z;
            double[] h = new double[l.outputs()];
            int[] codes = hiddenCodes != null ? (hiddenCodes[li] = new int[l.outputs()]) : null;
            for (int o = 0; o < l.outputs(); o++) {
                double y = l.scale() * z[o];
                if (l.activation() == Activation.SMTJ_SIGMOID) {
                    int t = Activation.smtjThreshold(y);
                    if (codes != null) codes[o] = t;
                    h[o] = t / 65536.0;
                } else if (quantized) {
                    int c = requantize(y);
                    if (codes != null) codes[o] = c;
                    h[o] = net.levelValue(c);
                } else {
                    h[o] = Math.max(-1, Math.min(1, y));
                }
            }
            x = h;
            li++;
        }
        throw new IllegalStateException("network has no argmax layer");
    }

    /** First index of the maximum. */
    public static int argmax(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) if (s[i] > s[best]) best = i;
        return best;
    }

    public int classify(int[] pixels) {
        return argmax(scores(pixels));
    }

    /** Result of evaluating a data set. */
    public record Evaluation(int images, int correct, int floatCorrect, int[] predictions) {
        public double accuracy() { return images == 0 ? 0 : (double) correct / images; }
        public double floatAccuracy() { return images == 0 ? 0 : (double) floatCorrect / images; }
    }

    /** Evaluates the first {@code k} images of {@code set} on all cores; deterministic. */
    public Evaluation evaluate(MnistSet set, int k) {
        int n = Math.min(k, set.size());
        int[] pred = new int[n];
        int[] fpred = new int[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] px = set.image(i);
            pred[i] = classify(px);
            fpred[i] = argmax(floatScores(px));
        });
        int c = 0, fc = 0;
        for (int i = 0; i < n; i++) {
            if (pred[i] == set.label(i)) c++;
            if (fpred[i] == set.label(i)) fc++;
        }
        return new Evaluation(n, c, fc, pred);
    }
}
