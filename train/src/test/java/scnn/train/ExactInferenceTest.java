package scnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import scnn.core.model.ReferenceModel;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.train.kernel.Workers;

/** The trainer's forward passes against the reference model. */
class ExactInferenceTest {

    static Network randomNet(SplittableRandom r, int levels, int[] sizes, boolean bias) {
        List<Layer> ls = new ArrayList<>();
        for (int k = 0; k + 1 < sizes.length; k++) {
            int n = sizes[k], m = sizes[k + 1];
            byte[] codes = new byte[n * m];
            for (int j = 0; j < codes.length; j++) codes[j] = (byte) r.nextInt(levels);
            double[] b = null;
            if (bias) {
                b = new double[m];
                for (int o = 0; o < m; o++) b[o] = r.nextDouble(-2, 2);
            }
            boolean last = k + 2 == sizes.length;
            double scale = last ? 1.0 : r.nextDouble(0.05, 0.5);
            ls.add(new Layer(n, m, codes, scale, b, last ? Activation.ARGMAX : Activation.QUANTIZE));
        }
        return new Network("t", levels, Network.uniformLevels(levels), sizes[0], 255, ls, null);
    }

    static int[] randomImage(SplittableRandom r, int n) {
        int[] px = new int[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            px[i] = u < 0.5 ? 0 : u < 0.7 ? 255 : r.nextInt(256); // MNIST-like: many 0 and 255
        }
        return px;
    }

    /**
     * The quantized semantics written out literally (every input, zero or not, summed in index
     * order from 0.0): what the one forward pass of {@link ReferenceModel}, with its transposed
     * weights and skipped zero inputs, must reproduce bit for bit.
     */
    static double[] literal(Network net, int[] pixels, int[][] codes) {
        double[] x = new double[net.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = pixels[i] / net.pixelScale();
        for (int li = 0; li < net.layers().size(); li++) {
            Layer l = net.layers().get(li);
            double[] z = new double[l.outputs()];
            for (int o = 0; o < l.outputs(); o++) {
                double s = 0;
                for (int i = 0; i < l.inputs(); i++) s += net.levelValue(l.code(o, i)) * x[i];
                z[o] = s + l.bias(o);
            }
            if (l.activation() == Activation.ARGMAX) return z;
            double[] g = net.hiddenValues(li), h = new double[l.outputs()];
            codes[li] = new int[l.outputs()];
            for (int o = 0; o < l.outputs(); o++) {
                double y = l.scale(o) * z[o];
                int c = 0;
                for (int k = 0; k + 1 < g.length; k++) if (y >= (g[k] + g[k + 1]) / 2) c++;
                codes[li][o] = c;
                h[o] = g[c];
            }
            x = h;
        }
        throw new IllegalStateException("no argmax layer");
    }

    @Test
    void exactInferenceEqualsReferenceModelOnRandomNets() {
        SplittableRandom r = new SplittableRandom(42);
        int checkedNeurons = 0;
        for (int trial = 0; trial < 60; trial++) {
            int levels = new int[] {3, 5, 7, 11, 15}[trial % 5];
            int depth = 1 + trial % 3;
            int[] sizes = new int[depth + 2];
            sizes[0] = 5 + r.nextInt(60);
            for (int k = 1; k <= depth; k++) sizes[k] = 1 + r.nextInt(20);
            sizes[depth + 1] = 2 + r.nextInt(9);
            Network net = randomNet(r, levels, sizes, trial % 4 != 0);
            ReferenceModel ref = new ReferenceModel(net);
            ExactInference ex = new ExactInference(net);
            for (int img = 0; img < 20; img++) {
                int[] px = randomImage(r, sizes[0]);
                int[][] refCodes = new int[depth][], exCodes = new int[depth][];
                double[] rs = literal(net, px, refCodes);
                double[] es = ex.scores(px, exCodes);
                assertArrayEquals(rs, es, 0.0, "scores, trial " + trial);
                assertArrayEquals(rs, ref.scores(px), 0.0, "reference scores, trial " + trial);
                for (int k = 0; k < depth; k++) {
                    assertArrayEquals(refCodes[k], exCodes[k], "codes of layer " + k + ", trial " + trial);
                    checkedNeurons += refCodes[k].length;
                }
            }
        }
        assertTrue(checkedNeurons > 5000);
    }

    /** y lands exactly on midpoints: the ladder counts y >= mid, so a tie goes up. */
    @Test
    void midpointTiesGoUpLikeTheReference() {
        // L = 5: levels -1, -0.5, 0, 0.5, 1; midpoints -0.75, -0.25, 0.25, 0.75.
        // Hidden neuron o sees x0 = 1 (pixel 255) through weight 0.5 (code 3); bias b_o; scale 1.
        double[] biases = {-0.25, -0.75, 0.25, -1.25, 0.0, -0.5};
        // z = 0.5 + b = 0.25, -0.25, 0.75, -0.75, 0.5, 0.0 -> codes 3, 2, 4, 1, 3, 2
        int[] expected = {3, 2, 4, 1, 3, 2};
        int m = biases.length;
        byte[] c1 = new byte[m * 2];
        for (int o = 0; o < m; o++) {
            c1[o * 2] = 3;
            c1[o * 2 + 1] = 2;
        }
        byte[] c2 = new byte[2 * m];
        for (int j = 0; j < c2.length; j++) c2[j] = (byte) (j % 5);
        Network net = new Network("tie", 5, Network.uniformLevels(5), 2, 255, List.of(
                new Layer(2, m, c1, 1.0, biases, Activation.QUANTIZE),
                new Layer(m, 2, c2, 1.0, null, Activation.ARGMAX)), null);
        int[] px = {255, 0};
        int[][] refCodes = new int[1][], exCodes = new int[1][];
        double[] rs = new ReferenceModel(net).forward(px, true, refCodes);
        double[] es = new ExactInference(net).scores(px, exCodes);
        assertArrayEquals(expected, refCodes[0]);
        assertArrayEquals(expected, exCodes[0]);
        assertArrayEquals(rs, es, 0.0);
        // And the training model's weight rounding uses the same rule on the weight grid.
        QatModel q = new QatModel(new int[] {1, 1}, 5, 1, 1.0);
        assertEquals(3, q.weightCode(0.25f));
        assertEquals(2, q.weightCode(-0.25f));
        assertEquals(4, q.weightCode(0.75f));
        assertEquals(2, q.weightCode(0.2499f));
        assertEquals(3, q.activationCode(0.25f));
    }

    /**
     * The float training forward pass gives the reference model's codes for every neuron whose
     * pre-activation is not within float rounding (1e-4) of a midpoint.
     */
    @Test
    void floatTrainingForwardMatchesReferenceAwayFromTies() {
        SplittableRandom r = new SplittableRandom(7);
        int compared = 0, nearTies = 0;
        try (Workers w = new Workers(2)) {
            for (int trial = 0; trial < 20; trial++) {
                int levels = new int[] {3, 5, 11, 7}[trial % 4];
                int[] sizes = {784, 3 + r.nextInt(30), 3 + r.nextInt(30), 10};
                Network net = randomNet(r, levels, sizes, true);
                QatModel model = NoisyEvaluation.fromNetwork(net);
                Engine eng = new Engine(model, 16);
                int[][] px = new int[16][];
                for (int b = 0; b < 16; b++) {
                    px[b] = randomImage(r, 784);
                    for (int i = 0; i < 784; i++) eng.act[0][b * 784 + i] = px[b][i] / 255f;
                }
                eng.forward(w, null, 1, 0, 0, 16);
                ReferenceModel ref = new ReferenceModel(net);
                double[] lv = net.levelValues();
                for (int b = 0; b < 16; b++) {
                    int[][] codes = new int[2][];
                    ref.forward(px[b], true, codes);
                    // recompute the reference pre-activations to find near-ties
                    double[] x = new double[784];
                    for (int i = 0; i < 784; i++) x[i] = px[b][i] / 255.0;
                    for (int k = 0; k < 2; k++) {
                        Layer l = net.layers().get(k);
                        double[] h = new double[l.outputs()];
                        for (int o = 0; o < l.outputs(); o++) {
                            double s = 0;
                            for (int i = 0; i < l.inputs(); i++) s += lv[l.code(o, i)] * x[i];
                            double y = l.scale() * (s + l.bias(o));
                            boolean nearTie = false;
                            for (int c = 0; c + 1 < lv.length; c++) if (Math.abs(y - (lv[c] + lv[c + 1]) / 2) < 1e-4) nearTie = true;
                            h[o] = lv[codes[k][o]];
                            if (nearTie) {
                                nearTies++;
                                continue;
                            }
                            assertEquals((float) lv[codes[k][o]], eng.act[k + 1][b * l.outputs() + o], 0f, "trial " + trial + " layer " + k);
                            compared++;
                        }
                        x = h;
                    }
                }
            }
        }
        assertTrue(compared > 5000, "compared " + compared);
        assertTrue(nearTies < compared / 100, "near ties " + nearTies);
    }
}
