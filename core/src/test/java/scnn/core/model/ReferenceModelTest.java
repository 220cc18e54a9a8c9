package scnn.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import scnn.core.mnist.MnistSet;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;

/**
 * The reference model on a network small enough to check by hand. L = 5, level values
 * {-1, -0.5, 0, 0.5, 1} (codes 0..4, code 2 = 0), midpoints {-0.75, -0.25, 0.25, 0.75};
 * pixel_scale 255, and only three pixels are non-zero: p0 = 255 (x = 1.0), p1 = 51 (x = 0.2),
 * p2 = 102 (x = 0.4). All numbers below are exact in binary floating point.
 */
class ReferenceModelTest {
    static final int N = 784;

    /** 784 - 5 - 4: a hidden layer with scale 2 and biases, an argmax layer with biases. */
    static Network net() {
        byte[] h = zeroCodes(5, N);
        h[0 * N + 0] = 3;                    // h0: 0.5*1.0                  = 0.5,  + bias -0.375 = 0.125
        h[1 * N + 0] = 0; h[1 * N + 1] = 0;  // h1: -1*1.0 + -1*0.2          = -1.2
        h[2 * N + 0] = 4; h[2 * N + 2] = 4;  // h2: 1*1.0 + 1*0.4            = 1.4
        h[3 * N + 0] = 1;                    // h3: -0.5*1.0                 = -0.5, + bias 0.375 = -0.125
        h[4 * N + 1] = 4;                    // h4: 1*0.2                    = 0.2
        Layer hidden = new Layer(N, 5, h, 2.0, new double[] {-0.375, 0, 0, 0.375, 0}, Activation.QUANTIZE);
        byte[] o = zeroCodes(4, 5);
        o[0 * 5 + 0] = 4;                    // o0 = +1 * h0
        o[1 * 5 + 4] = 4;                    // o1 = +1 * h4
        o[2 * 5 + 1] = 0;                    // o2 = -1 * h1 - 0.75
        o[3 * 5 + 2] = 0;                    // o3 = -1 * h2 + 1.5
        Layer out = new Layer(5, 4, o, 1.0, new double[] {0, 0, -0.75, 1.5}, Activation.ARGMAX);
        return new Network("hand", 5, Network.uniformLevels(5), N, 255, List.of(hidden, out), null);
    }

    static int[] pixels() {
        int[] px = new int[N];
        px[0] = 255;
        px[1] = 51;
        px[2] = 102;
        return px;
    }

    @Test
    void inputsAreScaledExactly() {
        assertEquals(1.0, 255 / 255.0);
        assertEquals(0.2, 51 / 255.0);
        assertEquals(0.4, 102 / 255.0);
    }

    @Test
    void hiddenCodes() {
        int[][] codes = new int[1][];
        new ReferenceModel(net()).forward(pixels(), true, codes);
        // y = scale * (z + bias) = 2 * (z + bias):
        // h0: y = 2 * 0.125  =  0.25 exactly on the midpoint between codes 2 and 3 -> goes up: 3
        // h1: y = 2 * -1.2   = -2.4  below -1 -> clamps to code 0
        // h2: y = 2 * 1.4    =  2.8  above 1  -> clamps to code 4
        // h3: y = 2 * -0.125 = -0.25 exactly on the midpoint between codes 1 and 2 -> goes up: 2
        // h4: y = 2 * 0.2    =  0.4  between the midpoints 0.25 and 0.75 -> 3
        assertArrayEquals(new int[] {3, 0, 4, 2, 3}, codes[0]);
    }

    @Test
    void quantizedScoresAndArgmaxTie() {
        ReferenceModel m = new ReferenceModel(net());
        // hidden values v(code) = {0.5, -1, 1, 0, 0.5}
        double[] s = m.scores(pixels());
        assertArrayEquals(new double[] {
                0.5,             // o0 = h0
                0.5,             // o1 = h4
                1 - 0.75,        // o2 = -h1 - 0.75 = 0.25
                -1 + 1.5         // o3 = -h2 + 1.5  = 0.5
        }, s);
        assertEquals(0, m.classify(pixels()), "three-way tie of 0.5: the lowest index wins");
        assertEquals(0, ReferenceModel.argmax(s));
    }

    @Test
    void floatVariantClampsInsteadOfRequantizing() {
        ReferenceModel m = new ReferenceModel(net());
        // hidden values clip(y, -1, 1) = {0.25, -1, 1, -0.25, 0.4}
        double[] s = m.floatScores(pixels());
        assertArrayEquals(new double[] {
                0.25,            // o0 = h0
                0.4,             // o1 = h4
                1 - 0.75,        // o2 = -h1 - 0.75 (unclamped h1 = -2.4 would give 1.65)
                -1 + 1.5         // o3 = -h2 + 1.5  (unclamped h2 = 2.8 would give -1.3)
        }, s);
        assertEquals(3, ReferenceModel.argmax(s));
        assertArrayEquals(s, m.forward(pixels(), false, null));
    }

    @Test
    void blankImage() {
        ReferenceModel m = new ReferenceModel(net());
        int[][] codes = new int[1][];
        double[] s = m.forward(new int[N], true, codes);
        // y = 2 * bias: h0 = -0.75 (midpoint 0|1, up: 1), h3 = 0.75 (midpoint 3|4, up: 4), others 0 -> 2
        assertArrayEquals(new int[] {1, 2, 2, 4, 2}, codes[0]);
        // o0 = -0.5, o1 = 0, o2 = -0 - 0.75, o3 = -0 + 1.5
        assertArrayEquals(new double[] {-0.5, 0, -0.75, 1.5}, s);
        assertArrayEquals(new double[] {-0.75, 0, -0.75, 1.5}, m.floatScores(new int[N]));
    }

    @Test
    void requantizeLadder() {
        ReferenceModel m = new ReferenceModel(net());
        assertEquals(0, m.requantize(-1e9));
        assertEquals(0, m.requantize(-1));
        assertEquals(0, m.requantize(Math.nextDown(-0.75)));
        assertEquals(1, m.requantize(-0.75));
        assertEquals(1, m.requantize(-0.5));
        assertEquals(2, m.requantize(-0.25));
        assertEquals(2, m.requantize(0));
        assertEquals(2, m.requantize(Math.nextDown(0.25)));
        assertEquals(3, m.requantize(0.25));
        assertEquals(3, m.requantize(Math.nextDown(0.75)));
        assertEquals(4, m.requantize(0.75));
        assertEquals(4, m.requantize(1));
        assertEquals(4, m.requantize(1e9));
    }

    @Test
    void requantizeWithThreeAndNonUniformLevels() {
        Layer out = new Layer(1, 1, new byte[] {0}, 1, null, Activation.ARGMAX);
        ReferenceModel three = new ReferenceModel(new Network("L3", 3, Network.uniformLevels(3), 1, 255, List.of(out), null));
        assertEquals(0, three.requantize(-0.6));
        assertEquals(1, three.requantize(-0.5));
        assertEquals(1, three.requantize(0.49));
        assertEquals(2, three.requantize(0.5));
        // levels {-1, -0.25, 0, 0.25, 1}: midpoints {-0.625, -0.125, 0.125, 0.625}
        ReferenceModel nu = new ReferenceModel(new Network("nu", 5, new double[] {-1, -0.25, 0, 0.25, 1}, 1, 255, List.of(out), null));
        assertEquals(0, nu.requantize(-0.7));
        assertEquals(1, nu.requantize(-0.625));
        assertEquals(1, nu.requantize(-0.2));
        assertEquals(2, nu.requantize(-0.125));
        assertEquals(2, nu.requantize(0.1));
        assertEquals(3, nu.requantize(0.125));
        assertEquals(3, nu.requantize(0.6));
        assertEquals(4, nu.requantize(0.625));
    }

    @Test
    void argmaxTakesTheFirstMaximum() {
        assertEquals(1, ReferenceModel.argmax(new double[] {1, 3, 3, 2}));
        assertEquals(0, ReferenceModel.argmax(new double[] {7}));
        assertEquals(0, ReferenceModel.argmax(new double[] {-2, -2, -2}));
        assertEquals(3, ReferenceModel.argmax(new double[] {-5, -4, -3, -2.5}));
    }

    @Test
    void twoHiddenLayers() {
        Network one = net();
        Layer h1 = one.layers().get(0);
        byte[] c = zeroCodes(2, 5);
        c[0 * 5 + 0] = 4; c[0 * 5 + 1] = 4;   // n0 = h0 + h1       = 0.5 - 1 = -0.5 -> code 1
        c[1 * 5 + 2] = 4; c[1 * 5 + 4] = 3;   // n1 = h2 + 0.5 * h4 = 1 + 0.25 = 1.25 -> code 4
        Layer h2 = new Layer(5, 2, c, 1.0, null, Activation.QUANTIZE);
        Layer out = new Layer(2, 2, new byte[] {4, 2, 2, 4}, 1.0, null, Activation.ARGMAX);
        Network n = new Network("deep", 5, Network.uniformLevels(5), N, 255, List.of(h1, h2, out), null);
        int[][] codes = new int[2][];
        double[] s = new ReferenceModel(n).forward(pixels(), true, codes);
        assertArrayEquals(new int[] {3, 0, 4, 2, 3}, codes[0]);
        assertArrayEquals(new int[] {1, 4}, codes[1]);
        assertArrayEquals(new double[] {-0.5, 1}, s);
        assertEquals(1, new ReferenceModel(n).classify(pixels()));
    }

    @Test
    void evaluateCountsBothVariants() {
        // image 0: the three pixels, label 0 -> quantized 0 (right), float 3 (wrong)
        // image 1: blank, label 3            -> quantized 3, float 3 (both right)
        // image 2: the three pixels, label 1 -> both wrong
        byte[] px = new byte[3 * N];
        int[] p = pixels();
        for (int i = 0; i < N; i++) {
            px[i] = (byte) p[i];
            px[2 * N + i] = (byte) p[i];
        }
        MnistSet set = new MnistSet(px, new byte[] {0, 3, 1});
        ReferenceModel.Evaluation e = new ReferenceModel(net()).evaluate(set, 10);
        assertEquals(3, e.images());
        assertEquals(2, e.correct());
        assertEquals(1, e.floatCorrect());
        assertArrayEquals(new int[] {0, 3, 0}, e.predictions());
        assertEquals(2.0 / 3, e.accuracy());
        assertEquals(1.0 / 3, e.floatAccuracy());
        ReferenceModel.Evaluation first = new ReferenceModel(net()).evaluate(set, 1);
        assertEquals(1, first.images());
        assertEquals(1.0, first.accuracy());
        assertEquals(0.0, first.floatAccuracy());
    }

    /** Row-major codes all set to the zero code 2. */
    static byte[] zeroCodes(int outputs, int inputs) {
        byte[] b = new byte[outputs * inputs];
        java.util.Arrays.fill(b, (byte) 2);
        return b;
    }

    /**
     * The analog baseline's rule: h = round(65536 sigmoid(scale (z + bias))) / 65536, the 16-bit
     * threshold the DAC ROM programs; the same in the float variant; hiddenCodes get the thresholds.
     */
    @Test
    void smtjSigmoidHiddenLayer() {
        Network q = net();
        Layer h = q.layers().get(0);
        Network a = new Network("hand-analog", 5, Network.uniformLevels(5), N, 255,
                List.of(new Layer(N, 5, h.codes(), 2.0, h.biasOrNull(), Activation.SMTJ_SIGMOID), q.layers().get(1)), null);
        ReferenceModel m = new ReferenceModel(a);
        int[][] codes = new int[1][];
        double[] s = m.forward(pixels(), true, codes);
        double[] z = {0.125, -1.2, 1.4, -0.125, 0.2};
        double[] hv = new double[5];
        for (int o = 0; o < 5; o++) {
            int t = (int) Math.round(65536.0 / (1 + Math.exp(-2.0 * z[o])));
            assertEquals(t, codes[0][o], "threshold of neuron " + o);
            hv[o] = t / 65536.0;
        }
        assertEquals(Activation.smtjThreshold(0), 32768);
        assertEquals(0, Activation.smtjThreshold(-12));
        assertEquals(65536, Activation.smtjThreshold(12));
        assertArrayEquals(new double[] {hv[0], hv[4], -hv[1] - 0.75, -hv[2] + 1.5}, s, 0.0);
        assertArrayEquals(s, m.floatScores(pixels()), 0.0);
    }
}
