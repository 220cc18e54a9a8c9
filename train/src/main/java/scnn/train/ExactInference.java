package scnn.train;

import scnn.core.mnist.MnistSet;
import scnn.core.model.Encoding;
import scnn.core.model.ReferenceModel;
import scnn.core.weights.Network;
import scnn.train.kernel.Workers;

/**
 * The trainer's exact evaluation: the one reference forward pass of {@link ReferenceModel}
 * (quantized semantics), run over a data set on the trainer's worker threads, on ideal devices or
 * on one chip of varied devices ({@link ChipNoise}). Every accuracy the trainer reports comes from
 * here.
 */
public final class ExactInference {
    private final Network net;
    private final ReferenceModel model;

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
        this.model = new ReferenceModel(net, chip == null ? null : new ReferenceModel.Devices() {
            @Override
            public double weight(int layer, int code) {
                return chip.level[layer][code];
            }

            @Override
            public double input(int layer, int i, double x) {
                return chip.input(layer, i, (float) x);
            }
        });
    }

    /**
     * Output scores of one image; when {@code hiddenCodes} is non-null, {@code hiddenCodes[k]}
     * receives the codes of hidden layer k.
     */
    public double[] scores(int[] pixels, int[][] hiddenCodes) {
        return model.forward(pixels, true, hiddenCodes);
    }

    /** First index of the maximum (as the reference model). */
    public static int argmax(double[] s) {
        return ReferenceModel.argmax(s);
    }

    /** Predicted classes of images {@code from..to-1} of {@code set}. */
    public int[] predict(MnistSet set, int from, int to, Workers workers) {
        int[] pred = new int[to - from];
        workers.run(to - from, (a, b, w) -> {
            double[] x = new double[net.inputSize()];
            for (int k = a; k < b; k++) {
                int img = from + k;
                for (int i = 0; i < x.length; i++) x[i] = set.pixel(img, i) / net.pixelScale();
                pred[k] = argmax(model.forwardInputs(x, true, null));
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
