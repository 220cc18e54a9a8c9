package scnn.chisel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;

/** Small random networks for tests (a copy of the one in the sim module's tests). */
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
}
