package scnn.train;

import scnn.core.model.Encoding;

import scnn.core.mnist.MnistSet;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.train.kernel.Workers;

/**
 * Accuracy of a network under the SC noise model of {@link ScNoise} (Gaussian approximation of
 * the bitstream error at length N, every layer noisy including the output scores). It is an
 * estimate of what the SC hardware achieves at short bitstreams, not a bit-level simulation.
 */
public final class NoisyEvaluation {
    private NoisyEvaluation() {}

    /** Mean accuracy over {@code reps} independent noise draws on all images of {@code set}. */
    public static double accuracy(Network net, MnistSet set, Encoding enc, int bits, int reps, long seed, int threads) {
        QatModel model = fromNetwork(net);
        ScNoise noise = new ScNoise(model.levels, enc, bits);
        int L = model.layers;
        ScNoise.LayerTables[] tables = new ScNoise.LayerTables[L];
        int batch = 500;
        long correct = 0;
        try (Workers w = new Workers(threads)) {
            for (int k = 0; k < L; k++) {
                tables[k] = noise.tables(model.sizes[k], model.sizes[k + 1]);
                tables[k].update(model.codeT[k], 0, model.codeT[k].length);
            }
            Engine eng = new Engine(model, batch);
            int[] idx = new int[batch];
            for (int rep = 0; rep < reps; rep++) {
                for (int from = 0; from < set.size(); from += batch) {
                    int count = Math.min(batch, set.size() - from);
                    for (int b = 0; b < count; b++) idx[b] = from + b;
                    w.run(count, (a, b, id) -> eng.load(set, idx, a, b));
                    eng.forward(w, tables, bits, seed ^ 0x7e57L, ((long) bits << 20) + rep, count);
                    for (int b = 0; b < count; b++) if (eng.predicted[b] == eng.label[b]) correct++;
                }
            }
        }
        return (double) correct / ((long) reps * set.size());
    }

    /**
     * Measurement helper for docs/training.md:
     * {@code java -Dscnn.root=. -cp cli/target/scnn.jar scnn.train.NoisyEvaluation W.json BITS[,BITS...] REPS [ENCODING]}
     * prints the test accuracy under the noise model for each bitstream length.
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: NoisyEvaluation WEIGHTS BITS[,BITS...] REPS [sign-magnitude|bipolar]");
            System.exit(2);
        }
        Network net = scnn.core.weights.WeightsIO.read(java.nio.file.Path.of(args[0]));
        Encoding enc = args.length > 3 ? Encoding.parse(args[3]) : Encoding.SIGN_MAGNITUDE;
        MnistSet test = scnn.core.mnist.MnistFiles.defaultLocation(
                java.nio.file.Path.of(System.getProperty("scnn.root", "."))).test();
        int reps = Integer.parseInt(args[2]);
        for (String b : args[1].split(",")) {
            int bits = Integer.parseInt(b);
            double acc = accuracy(net, test, enc, bits, reps, 12345, 2);
            System.out.printf("%s %s N=%d: %.2f %% (mean of %d draws)%n", net.name(), enc.key(), bits, 100 * acc, reps);
        }
    }

    /** A float model with the network's codes, scales and biases (uniform levels assumed). */
    static QatModel fromNetwork(Network net) {
        int L = net.layers().size();
        int[] sizes = new int[L + 1];
        sizes[0] = net.inputSize();
        for (int k = 0; k < L; k++) sizes[k + 1] = net.layers().get(k).outputs();
        QatModel m = new QatModel(sizes, net.levels(), 0, 1.0);
        for (int k = 0; k < L; k++) {
            Layer l = net.layers().get(k);
            int n = sizes[k], o = sizes[k + 1];
            for (int j = 0; j < o; j++) for (int i = 0; i < n; i++) {
                int c = l.code(j, i);
                m.codeT[k][i * o + j] = (byte) c;
                m.qT[k][i * o + j] = m.levelsF[c];
                m.wT[k][i * o + j] = m.levelsF[c];
                if (k > 0) m.q[k][j * n + i] = m.levelsF[c];
            }
            boolean last = k == L - 1;
            m.gain[k] = last ? 1f : (float) l.scale();
            for (int j = 0; j < o; j++) m.bp[k][j] = (float) (l.bias(j) * m.gain[k]);
        }
        return m;
    }
}
