package scnn.train;

import scnn.core.mnist.MnistSet;
import scnn.core.model.ReferenceModel;
import scnn.core.weights.Network;
import scnn.train.kernel.Workers;

/**
 * The trainer's exact evaluation: the one reference forward pass of {@link ReferenceModel}
 * (quantized semantics), run over a data set on the trainer's worker threads. Every accuracy the
 * trainer reports comes from here.
 */
public final class ExactInference {
    private final Network net;
    private final ReferenceModel model;

    public ExactInference(Network net) {
        this.net = net;
        this.model = new ReferenceModel(net);
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
}
