package scnn.train;

import scnn.core.mnist.MnistSet;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.train.kernel.Workers;

/**
 * Fast inference with exactly the arithmetic of {@link scnn.core.model.ReferenceModel}: doubles,
 * {@code x_i = pixel / pixelScale}, each weighted sum accumulated from 0.0 over the inputs in
 * ascending index order as {@code s += v * x}, then {@code z = s + bias}, {@code y = scale * z} and the
 * comparator ladder ({@code y >= mid} counts, so a tie goes up). Skipping inputs that are exactly
 * zero does not change any sum (adding {@code +-0.0} to a sum that starts at {@code +0.0} leaves it
 * unchanged), so the results are bit-identical to the reference model while running about an
 * order of magnitude faster. Every accuracy the trainer reports comes from here.
 */
public final class ExactInference {
    private final Network net;
    private final double[] levels;
    private final double[] mids;
    /** Per layer: weight values as {@code [in][out]}. */
    private final double[][] valuesT;

    /** The chip whose devices the inputs and weights pass through, or null (ideal devices). */
    private final ChipNoise chip;

    public ExactInference(Network net) {
        this(net, null);
    }

    /**
     * Inference on one chip of varied devices ({@link ChipNoise}): every input of every layer and
     * every weight level takes the value its varied device encodes (the mean of its stream; no SC
     * noise). With {@code chip == null} the results are exactly the reference model's.
     */
    ExactInference(Network net, ChipNoise chip) {
        this.net = net;
        this.chip = chip;
        this.levels = net.levelValues();
        this.mids = new double[levels.length - 1];
        for (int k = 0; k < mids.length; k++) mids[k] = (levels[k] + levels[k + 1]) / 2;
        valuesT = new double[net.layers().size()][];
        for (int li = 0; li < valuesT.length; li++) {
            Layer l = net.layers().get(li);
            int n = l.inputs(), m = l.outputs();
            double[] t = new double[n * m];
            for (int o = 0; o < m; o++)
                for (int i = 0; i < n; i++) t[i * m + o] = chip != null ? chip.level[li][l.code(o, i)] : levels[l.code(o, i)];
            valuesT[li] = t;
        }
    }

    /** The comparator ladder of the reference model. */
    public int requantize(double y) {
        int c = 0;
        for (double mid : mids) if (y >= mid) c++;
        return c;
    }

    /**
     * Output scores of one image; when {@code hiddenCodes} is non-null, {@code hiddenCodes[k]}
     * receives the codes of hidden layer k.
     */
    public double[] scores(int[] pixels, int[][] hiddenCodes) {
        double[] x = new double[net.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = pixels[i] / net.pixelScale();
        return scoresOf(x, hiddenCodes);
    }

    private double[] scoresOf(double[] x, int[][] hiddenCodes) {
        for (int li = 0; li < valuesT.length; li++) {
            Layer l = net.layers().get(li);
            int n = l.inputs(), m = l.outputs();
            double[] t = valuesT[li];
            double[] s = new double[m];
            for (int i = 0; i < n; i++) {
                double a = chip != null ? chip.input(li, i, (float) x[i]) : x[i];
                if (a == 0.0) continue;
                int r = i * m;
                for (int o = 0; o < m; o++) s[o] += t[r + o] * a;
            }
            for (int o = 0; o < m; o++) s[o] = s[o] + l.bias(o);
            if (l.activation() == Activation.ARGMAX) return s;
            double[] h = new double[m];
            int[] codes = hiddenCodes != null ? (hiddenCodes[li] = new int[m]) : null;
            for (int o = 0; o < m; o++) {
                if (l.activation() == Activation.SMTJ_SIGMOID) {
                    int th = Activation.smtjThreshold(l.scale() * s[o]);
                    if (codes != null) codes[o] = th;
                    h[o] = th / 65536.0;
                    continue;
                }
                int c = requantize(l.scale() * s[o]);
                if (codes != null) codes[o] = c;
                h[o] = levels[c];
            }
            x = h;
        }
        throw new IllegalStateException("network has no argmax layer");
    }

    /** First index of the maximum (as the reference model). */
    public static int argmax(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) if (s[i] > s[best]) best = i;
        return best;
    }

    /** Predicted classes of images {@code from..to-1} of {@code set}. */
    public int[] predict(MnistSet set, int from, int to, Workers workers) {
        int[] pred = new int[to - from];
        workers.run(to - from, (a, b, w) -> {
            double[] x = new double[net.inputSize()];
            for (int k = a; k < b; k++) {
                int img = from + k;
                for (int i = 0; i < x.length; i++) x[i] = set.pixel(img, i) / net.pixelScale();
                pred[k] = argmax(scoresOf(x, null));
            }
        });
        return pred;
    }

    /** Number of correctly classified images among {@code from..to-1}. */
    public int correct(MnistSet set, int from, int to, Workers workers) {
        int[] p = predict(set, from, to, workers);
        int c = 0;
        for (int k = 0; k < p.length; k++) if (p[k] == set.label(from + k)) c++;
        return c;
    }

    /**
     * Mean accuracy over {@code chips} chips of varied devices (chip c drawn from
     * {@code (chipSeed, c)}) on images {@code from..to-1} of {@code set}; per chip in {@code perChip}
     * when it is non-null. The device model is {@link ChipNoise}'s, without SC noise.
     */
    public static double chipAccuracy(Network net, Encoding enc, double sigma, double stuckRate, long chipSeed, int chips,
                                      MnistSet set, int from, int to, Workers workers, double[] perChip) {
        int[] sizes = new int[net.layers().size() + 1];
        for (int k = 0; k < net.layers().size(); k++) sizes[k] = net.layers().get(k).inputs();
        sizes[sizes.length - 1] = net.outputSize();
        double sum = 0;
        for (int c = 0; c < chips; c++) {
            ChipNoise chip = new ChipNoise(sigma, stuckRate, enc, net.levelValues(), sizes);
            chip.draw(chipSeed, 0xe7a1L, c);
            double acc = (double) new ExactInference(net, chip).correct(set, from, to, workers) / (to - from);
            if (perChip != null) perChip[c] = acc;
            sum += acc;
        }
        return sum / chips;
    }
}
