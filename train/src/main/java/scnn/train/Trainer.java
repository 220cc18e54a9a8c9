package scnn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.train.kernel.Rng;
import scnn.train.kernel.Workers;

/**
 * Quantization-aware (and optionally SC-aware) training of an MLP on MNIST.
 *
 * <p>Data: the last {@code val} of the training images are held out for validation; the rest are
 * shuffled every epoch with a generator keyed by (seed, epoch). Forward pass: weights rounded to
 * the nearest level, hidden outputs requantized by the comparator ladder, optionally the SC noise
 * model on every weighted sum (noise keyed by (seed, epoch, example index, layer)). Backward pass:
 * straight-through estimators (the rounding of the weights is the identity, the requantizer is the
 * identity inside [-1, 1] and zero outside). Optimiser: Adam on the shadow weights (clipped to
 * [-1, 1] after each step) and biases, learning rate cosine-decayed to 0.
 */
public final class Trainer {
    public static final int CLASSES = 10;
    /** Images used to choose the per-layer gains at initialisation. */
    static final int CALIBRATION_IMAGES = 1000;

    /** Statistics of one epoch. */
    public record EpochStats(int epoch, double loss, double trainAccuracy, double validationAccuracy, double seconds) {}

    /** The outcome of a run: the quantized network (no provenance yet) and its measurements. */
    public record Result(Network network, List<EpochStats> epochs, double validationAccuracy, double trainingSeconds) {}

    private final TrainConfig cfg;
    private final Progress progress;
    private final Consumer<String> log;

    public Trainer(TrainConfig cfg, Progress progress, Consumer<String> log) {
        this.cfg = cfg;
        this.progress = progress == null ? Progress.NONE : progress;
        this.log = log == null ? s -> {} : log;
    }

    public Result train(MnistSet trainSet, String name) {
        cfg.validate(trainSet.size());
        long t0 = System.nanoTime();
        int valStart = trainSet.size() - cfg.val();
        int nTrain = cfg.trainImages() > 0 ? Math.min(cfg.trainImages(), valStart) : valStart;
        int[] sizes = cfg.sizes(trainSet.imageSize(), trainSet.classes());
        QatModel model = new QatModel(sizes, cfg.levels(), cfg.seed(), cfg.initRange(), cfg.analog());
        int L = model.layers;
        ScNoise noiseModel = cfg.scTrain() ? new ScNoise(model.levels, cfg.encoding(), cfg.bits()) : null;
        ScNoise.LayerTables[] tables = null;
        if (noiseModel != null) {
            tables = new ScNoise.LayerTables[L];
            for (int k = 0; k < L; k++) tables[k] = noiseModel.tables(sizes[k], sizes[k + 1]);
        }
        ChipNoise chip = cfg.varied() ? new ChipNoise(cfg.variation(), cfg.stuckRate(), cfg.encoding(), model.levels, sizes) : null;
        List<EpochStats> stats = new ArrayList<>();
        try (Workers workers = new Workers(cfg.threads())) {
            Engine eng = new Engine(model, Math.max(cfg.batch(), Math.min(CALIBRATION_IMAGES, nTrain)));
            model.quantizeAll(workers);
            refreshTables(model, tables, workers);
            calibrate(model, eng, trainSet, nTrain, workers);
            Adam adam = new Adam(model);
            int batches = (nTrain + cfg.batch() - 1) / cfg.batch();
            long totalSteps = (long) batches * cfg.epochs();
            long step = 0;
            int[] idx = new int[cfg.batch()];
            for (int e = 1; e <= cfg.epochs(); e++) {
                long te = System.nanoTime();
                int[] perm = permutation(nTrain, Rng.of(cfg.seed(), 0x5f1eL, e));
                long epoch = e;
                progress.start(String.format("epoch %d/%d", e, cfg.epochs()), nTrain);
                double lossSum = 0;
                int correct = 0;
                for (int bi = 0; bi < batches; bi++) {
                    int from = bi * cfg.batch(), count = Math.min(cfg.batch(), nTrain - from);
                    System.arraycopy(perm, from, idx, 0, count);
                    int c = count;
                    workers.run(count, (a, b, w) -> eng.load(trainSet, idx, a, b, cfg.shift(), cfg.seed(), epoch));
                    if (chip != null) {
                        // a new chip for every mini-batch
                        chip.draw(cfg.seed(), 0xc41bL, e, bi);
                        eng.useChip(chip, workers);
                    }
                    eng.forwardBackward(workers, tables, cfg.bits(), cfg.seed(), e, c);
                    double lr = cfg.lr() * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps));
                    adam.step(eng, lr, workers);
                    model.quantizeAll(workers);
                    refreshTables(model, tables, workers);
                    step++;
                    double bl = 0;
                    for (int b = 0; b < count; b++) {
                        bl += eng.loss[b];
                        if (eng.predicted[b] == eng.label[b]) correct++;
                    }
                    lossSum += bl;
                    progress.advance(count);
                    if (bi % 20 == 0) progress.status(String.format("loss %.4f", bl / count));
                }
                double valAcc = Double.NaN;
                if (cfg.val() > 0) {
                    ExactInference ex = new ExactInference(model.toNetwork(name));
                    valAcc = (double) ex.correct(trainSet, valStart, trainSet.size(), workers) / cfg.val();
                }
                double secs = (System.nanoTime() - te) / 1e9;
                progress.status(String.format("loss %.4f val %.2f %%", lossSum / nTrain, 100 * valAcc));
                progress.finish();
                EpochStats s = new EpochStats(e, lossSum / nTrain, (double) correct / nTrain, valAcc, secs);
                stats.add(s);
                log.accept(String.format("epoch %d/%d: loss %.4f, train %.2f %%%s, validation %.2f %% (%s, exact), %.1f s",
                        e, cfg.epochs(), s.loss(), 100 * s.trainAccuracy(),
                        (cfg.scTrain() ? " (SC noise, N=" + cfg.bits() + ")" : "") + (chip != null ? " (varied chips)" : ""),
                        100 * valAcc, cfg.analog() ? "s-MTJ sigmoid" : "quantized", secs));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        EpochStats last = stats.get(stats.size() - 1);
        return new Result(model.toNetwork(name), stats, last.validationAccuracy(), secs);
    }

    private static void refreshTables(QatModel model, ScNoise.LayerTables[] tables, Workers workers) {
        if (tables == null) return;
        for (int k = 0; k < tables.length; k++) {
            int kk = k;
            workers.run(model.codeT[k].length, (a, b, w) -> tables[kk].update(model.codeT[kk], a, b));
        }
    }

    /**
     * Chooses each hidden layer's gain so that {@code y = gain * z} has standard deviation
     * {@code scaleTarget} over a calibration batch (layer by layer, without noise), and the output
     * temperature so that the initial scores have standard deviation 1.
     */
    private void calibrate(QatModel model, Engine eng, MnistSet set, int nTrain, Workers workers) {
        int count = Math.min(CALIBRATION_IMAGES, nTrain);
        int[] perm = permutation(nTrain, Rng.of(cfg.seed(), 0xca1bL));
        int[] idx = java.util.Arrays.copyOf(perm, count);
        workers.run(count, (a, b, w) -> eng.load(set, idx, a, b));
        for (int k = 0; k < model.layers; k++) {
            int kk = k;
            workers.run(count, (a, b, w) -> eng.sums(kk, null, 1, 0, 0, a, b));
            int m = model.sizes[k + 1];
            double s = 0, s2 = 0;
            for (int j = 0; j < count * m; j++) {
                s += eng.z[k][j];
                s2 += (double) eng.z[k][j] * eng.z[k][j];
            }
            double mean = s / (count * m);
            double sd = Math.sqrt(Math.max(1e-12, s2 / (count * m) - mean * mean));
            boolean last = k == model.layers - 1;
            model.gain[k] = (float) ((last ? 1.0 : cfg.scaleTarget()) / sd);
            if (!last) workers.run(count, (a, b, w) -> eng.activate(kk, a, b));
            log.accept(String.format("calibration: layer %d weighted sums have sd %.3f -> %s %.5f", k + 1, sd,
                    last ? "softmax temperature" : "scale", model.gain[k]));
        }
    }

    static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Adam (beta1 0.9, beta2 0.999, eps 1e-8) on shadow weights (then clipped to [-1, 1]) and biases. */
    static final class Adam {
        static final float B1 = 0.9f, B2 = 0.999f, EPS = 1e-8f;
        final QatModel model;
        final float[][] mw, vw, mb, vb;
        int t;

        Adam(QatModel model) {
            this.model = model;
            int L = model.layers;
            mw = new float[L][];
            vw = new float[L][];
            mb = new float[L][];
            vb = new float[L][];
            for (int k = 0; k < L; k++) {
                mw[k] = new float[model.wT[k].length];
                vw[k] = new float[model.wT[k].length];
                mb[k] = new float[model.bp[k].length];
                vb[k] = new float[model.bp[k].length];
            }
        }

        void step(Engine eng, double lr, Workers workers) {
            t++;
            double c1 = 1 - Math.pow(B1, t), c2 = 1 - Math.pow(B2, t);
            float a = (float) (lr * Math.sqrt(c2) / c1);
            float eps = (float) (EPS * Math.sqrt(c2));
            for (int k = 0; k < model.layers; k++) {
                float[] w = model.wT[k], gw = eng.gradT[k], m = mw[k], v = vw[k];
                workers.run(w.length, (from, to, id) -> update(w, gw, m, v, a, eps, from, to, true));
                update(model.bp[k], eng.gradB[k], mb[k], vb[k], a, eps, 0, model.bp[k].length, false);
            }
        }

        private static void update(float[] w, float[] g, float[] m, float[] v, float a, float eps, int from, int to, boolean clip) {
            for (int j = from; j < to; j++) {
                float gj = g[j];
                float mj = m[j] = B1 * m[j] + (1 - B1) * gj;
                float vj = v[j] = B2 * v[j] + (1 - B2) * gj * gj;
                float x = w[j] - a * mj / ((float) Math.sqrt(vj) + eps);
                w[j] = clip ? Math.max(-1f, Math.min(1f, x)) : x;
            }
        }
    }
}
