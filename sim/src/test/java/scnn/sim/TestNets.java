package scnn.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;

/** Small random networks for tests. */
public final class TestNets {
    private TestNets() {}

    /** A random network 784-h1-...-outs with L levels; fixed seed. */
    public static Network random(long seed, int levels, int... sizes) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int in = 784;
        for (int k = 0; k < sizes.length; k++) {
            int out = sizes[k];
            byte[] codes = new byte[in * out];
            for (int i = 0; i < codes.length; i++) codes[i] = (byte) r.nextInt(levels);
            double[] bias = new double[out];
            for (int o = 0; o < out; o++) bias[o] = (r.nextDouble() - 0.5) * 2;
            boolean last = k == sizes.length - 1;
            layers.add(new Layer(in, out, codes, last ? 1.0 : 0.1 + r.nextDouble() * 0.2, bias, last ? Activation.ARGMAX : Activation.QUANTIZE));
            in = out;
        }
        return new Network("rand" + seed, levels, Network.uniformLevels(levels), 784, 255.0, layers, null);
    }

    /**
     * A random analog-baseline network (hidden activation smtj-sigmoid) 784-h1-...-outs; {@code dyadic}
     * levels are {@code (c - (L-1)/2) / ((L+1)/2)} (L + 1 a power of two), otherwise uniform in [-1, 1].
     */
    public static Network analog(long seed, int levels, boolean dyadic, int... sizes) {
        return analog(seed, levels, dyadic, 0, sizes);
    }

    /** As {@link #analog(long, int, boolean, int...)}, with the first layer's sigmoid gain {@code gain1} when positive. */
    public static Network analog(long seed, int levels, boolean dyadic, double gain1, int... sizes) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int in = 784;
        for (int k = 0; k < sizes.length; k++) {
            int out = sizes[k];
            byte[] codes = new byte[in * out];
            for (int i = 0; i < codes.length; i++) codes[i] = (byte) r.nextInt(levels);
            double[] bias = new double[out];
            for (int o = 0; o < out; o++) bias[o] = (r.nextDouble() - 0.5) * 2;
            boolean last = k == sizes.length - 1;
            // sigmoid gains that keep the output s-MTJs away from saturation (sums of ~784 inputs, then of a few)
            double scale = last ? 1.0 : (k == 0 ? 0.05 + r.nextDouble() * 0.1 : 0.5 + r.nextDouble());
            if (k == 0 && !last && gain1 > 0) scale = gain1;
            layers.add(new Layer(in, out, codes, scale, bias, last ? Activation.ARGMAX : Activation.SMTJ_SIGMOID));
            in = out;
        }
        double[] v = new double[levels];
        int h = (levels - 1) / 2;
        for (int c = 0; c < levels; c++) v[c] = dyadic ? (double) (c - h) / (h + 1) : (double) (c - h) / h;
        return new Network("analog" + seed, levels, v, 784, 255.0, layers, null);
    }
}
