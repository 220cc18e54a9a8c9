package scnn.testbench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;

/** Small random networks for co-simulation tests (fixed seeds; their accuracy is chance). */
final class RandomNets {
    private RandomNets() {}

    /** A random network 784-sizes[0]-...-sizes[last] with {@code levels} levels. */
    static Network random(String name, long seed, int levels, int... sizes) {
        return random(784, name, seed, levels, sizes);
    }

    /**
     * A random network inputs-sizes[0]-...-sizes[last] with {@code levels} levels; hidden scales
     * chosen so that the requantizer ladders are crossed (not always saturated).
     */
    static Network random(int inputs, String name, long seed, int levels, int... sizes) {
        return build(inputs, name, seed, levels, Network.uniformLevels(levels), 0.1, 0.2, Activation.QUANTIZE, sizes);
    }

    /**
     * A random analog-baseline network (hidden activation smtj-sigmoid): levels {@code (c - h) / (h + 1)}
     * (dyadic, L + 1 a power of two) or {@code (c - h) / h} (uniform; 16-bit synapse thresholds), h = (L-1)/2.
     */
    static Network analog(String name, long seed, int levels, boolean dyadic, int... sizes) {
        return analog(784, name, seed, levels, dyadic, sizes);
    }

    /** As {@link #analog(String, long, int, boolean, int...)} on {@code inputs} inputs; sigmoid gains that keep the output s-MTJs away from saturation. */
    static Network analog(int inputs, String name, long seed, int levels, boolean dyadic, int... sizes) {
        double[] v = new double[levels];
        int h = (levels - 1) / 2;
        for (int c = 0; c < levels; c++) v[c] = dyadic ? (double) (c - h) / (h + 1) : (double) (c - h) / h;
        return build(inputs, name, seed, levels, v, 0.05, 0.1, Activation.SMTJ_SIGMOID, sizes);
    }

    /**
     * Random codes and biases, layer by layer; the first layer's scale is drawn from
     * [{@code first}, {@code first + span}) times sqrt(784 / inputs), so that its sums spread as on
     * 784 inputs (the spread of a sum of random-weight products grows with the square root of its
     * terms); later hidden layers' from [0.5, 1.5); the last layer's is 1 (argmax).
     */
    private static Network build(int inputs, String name, long seed, int levels, double[] values, double first, double span,
                                 Activation hidden, int... sizes) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int in = inputs;
        for (int k = 0; k < sizes.length; k++) {
            int out = sizes[k];
            byte[] codes = new byte[in * out];
            for (int i = 0; i < codes.length; i++) codes[i] = (byte) r.nextInt(levels);
            double[] bias = new double[out];
            for (int o = 0; o < out; o++) bias[o] = (r.nextDouble() - 0.5) * 2;
            boolean last = k == sizes.length - 1;
            double scale = last ? 1.0 : (k == 0 ? (first + r.nextDouble() * span) * Math.sqrt(784.0 / inputs) : 0.5 + r.nextDouble());
            layers.add(new Layer(in, out, codes, scale, bias, last ? Activation.ARGMAX : hidden));
            in = out;
        }
        return new Network(name, levels, values, inputs, 255.0, layers, null);
    }
}
