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
 * {@code clip(y, -1, 1)} (the ends of the layer's output grid): it shows what activation
 * quantization costs.
 *
 * <p>A hidden layer may have one scale per output neuron ({@code y_o = scale_o (z_o + bias_o)})
 * and an output grid of its own (e.g. the unsigned levels of a quantized ReLU), whose values
 * the next layer reads.
 *
 * <p>Hidden layers with activation {@code smtj-sigmoid} (the analog baseline) pass on
 * {@code h = Activation.smtjSigmoid(y)}, the 16-bit probability the hardware's DAC ROM programs into
 * the neuron's output s-MTJ, in both variants; {@code hiddenCodes} then receives the thresholds
 * {@code round(65536 h)}.
 */
public final class ReferenceModel {
    /**
     * What the devices of one chip make of the values the forward pass multiplies (a trainer's model
     * of device variation): the value a weight level of a layer takes, and the value an input of a
     * layer takes when it carries x. Null devices are ideal (the values themselves).
     */
    public interface Devices {
        /** The value weight level {@code code} of layer {@code layer} (0-based) takes. */
        double weight(int layer, int code);

        /** The value input {@code i} of layer {@code layer} takes when it carries {@code x}. */
        double input(int layer, int i, double x);
    }

    private final Network net;
    /** The chip's devices, or null (ideal). */
    private final Devices devices;
    private final double[] mids;
    /** Per layer: weight values as {@code [in][out]} (so that one input's products are one pass). */
    private final double[][] valuesT;
    /** Per layer: the values of its output codes and the midpoints between them (hidden quantize layers). */
    private final double[][] gridValues, gridMids;

    public ReferenceModel(Network net) {
        this(net, null);
    }

    /** The forward pass on one chip's {@code devices} (null: ideal, the same as {@link #ReferenceModel(Network)}). */
    public ReferenceModel(Network net, Devices devices) {
        this.net = net;
        this.devices = devices;
        this.mids = midpoints(net.levelValues());
        int n = net.layers().size();
        this.gridValues = new double[n][];
        this.gridMids = new double[n][];
        for (int k = 0; k < n - 1; k++) {
            gridValues[k] = net.hiddenValues(k);
            gridMids[k] = midpoints(gridValues[k]);
        }
        this.valuesT = new double[n][];
        for (int li = 0; li < n; li++) {
            Layer l = net.layers().get(li);
            int in = l.inputs(), m = l.outputs();
            double[] t = new double[in * m];
            for (int o = 0; o < m; o++)
                for (int i = 0; i < in; i++) t[i * m + o] = devices != null ? devices.weight(li, l.code(o, i)) : net.levelValue(l.code(o, i));
            valuesT[li] = t;
        }
    }

    private static double[] midpoints(double[] v) {
        double[] m = new double[v.length - 1];
        for (int k = 0; k < m.length; k++) m[k] = (v[k] + v[k + 1]) / 2;
        return m;
    }

    public Network network() {
        return net;
    }

    /** The comparator ladder of the level values: number of midpoints that {@code y} reaches. */
    public int requantize(double y) {
        return ladder(mids, y);
    }

    /** The comparator ladder of hidden layer {@code k}'s output grid. */
    public int requantize(int k, double y) {
        return ladder(gridMids[k], y);
    }

    private static int ladder(double[] m, double y) {
        int c = 0;
        for (double x : m) if (y >= x) c++;
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
        return forwardInputs(x, quantized, hiddenCodes);
    }

    /**
     * The forward pass on the inputs {@code x_i = pixel_i / pixelScale} (the one forward pass of the
     * project: the trainer's exact evaluation runs it too). Each weighted sum is accumulated from 0.0
     * over the inputs in ascending index order as {@code s += v * x}, then {@code z = s + bias};
     * inputs that are exactly zero are skipped, which changes no sum (adding {@code +-0.0} to a sum
     * that starts at {@code +0.0} leaves it unchanged).
     */
    public double[] forwardInputs(double[] x, boolean quantized, int[][] hiddenCodes) {
        int li = 0;
        for (Layer l : net.layers()) {
            int n = l.inputs(), m = l.outputs();
            double[] t = valuesT[li];
            double[] z = new double[m];
            for (int i = 0; i < n; i++) {
                double a = devices != null ? devices.input(li, i, x[i]) : x[i];
                if (a == 0.0) continue;
                int r = i * m;
                for (int o = 0; o < m; o++) z[o] += t[r + o] * a;
            }
            for (int o = 0; o < m; o++) z[o] = z[o] + l.bias(o);
            if (l.activation() == Activation.ARGMAX) return z;
            double[] h = new double[m];
            int[] codes = hiddenCodes != null ? (hiddenCodes[li] = new int[m]) : null;
            double[] g = gridValues[li];
            for (int o = 0; o < m; o++) {
                double y = l.scale(o) * z[o];
                if (l.activation() == Activation.SMTJ_SIGMOID) {
                    int th = Activation.smtjThreshold(y);
                    if (codes != null) codes[o] = th;
                    h[o] = th / 65536.0;
                } else if (quantized) {
                    int c = ladder(gridMids[li], y);
                    if (codes != null) codes[o] = c;
                    h[o] = g[c];
                } else {
                    h[o] = Math.max(g[0], Math.min(g[g.length - 1], y));
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
