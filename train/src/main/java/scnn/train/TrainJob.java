package scnn.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.model.ReferenceModel;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.train.kernel.Workers;

/**
 * One complete {@code scnn train} run: checks the output location, trains, measures the written
 * network with the reference model on the test set, adds the provenance and writes the file
 * atomically. Nothing is written unless everything succeeded.
 */
public final class TrainJob {
    /** Bitstream lengths at which the SC noise model's test accuracy is reported. */
    public static final int[] SC_EVAL_BITS = {16, 32, 64};
    /** Repetitions of the noisy test-set evaluation. */
    public static final int SC_EVAL_REPS = 3;
    /** Chips of varied devices on which a variation-aware run reports its test accuracy. */
    public static final int CHIP_EVAL = 10;

    /** What a finished job reports. */
    public record Outcome(Network network, Trainer.Result result, double testAccuracy, ObjectNode scModelAccuracy) {}

    private TrainJob() {}

    /**
     * Fails with one line unless {@code out} can be created: its directory must exist and be
     * writable and {@code out} must not be a directory. Creates nothing.
     */
    public static void checkWritable(Path out) {
        checkWritable(out, scnn.core.io.OutputPolicy.Replace.OWN);
    }

    /** {@link #checkWritable(Path)}, and {@code out} must pass {@link scnn.core.io.OutputPolicy#checkFile}. */
    public static void checkWritable(Path out, scnn.core.io.OutputPolicy.Replace replace) {
        scnn.core.io.OutputPolicy.checkFile(out, replace, WeightsIO.MARK);
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) throw new ScnnException(out + ": is a directory, expected a file name for --out");
        if (dir == null || !Files.isDirectory(dir)) throw new ScnnException(out + ": cannot write (directory " + dir + " does not exist)");
        if (!Files.isWritable(dir)) throw new ScnnException(out + ": cannot write (directory " + dir + " is not writable)");
        if (Files.exists(abs) && !Files.isWritable(abs)) throw new ScnnException(out + ": cannot write (file is not writable)");
        // Probe: create and delete a temporary file, as the atomic writer will.
        try {
            Path probe = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".probe");
            Files.delete(probe);
        } catch (IOException e) {
            throw new ScnnException(out + ": cannot write (" + e.getMessage() + ")");
        }
    }

    /**
     * Trains with {@code cfg} and writes the network to {@code out}.
     *
     * @param command the command line recorded in the provenance
     */
    public static Outcome run(TrainConfig cfg, String name, Path out, MnistFiles data, String command,
                              Progress progress, Consumer<String> logOrNull) {
        return run(cfg, name, out, scnn.core.io.OutputPolicy.Replace.OWN, data, command, progress, logOrNull);
    }

    /** {@link #run(TrainConfig, String, Path, MnistFiles, String, Progress, Consumer)} with the rule for replacing {@code out}. */
    public static Outcome run(TrainConfig cfg, String name, Path out, scnn.core.io.OutputPolicy.Replace replace, MnistFiles data,
                              String command, Progress progress, Consumer<String> logOrNull) {
        Consumer<String> log = logOrNull == null ? s -> {} : logOrNull;
        try {
            cfg.validate(60000);
        } catch (IllegalArgumentException e) {
            throw new ScnnException(e.getMessage());
        }
        checkWritable(out, replace);
        MnistSet train = data.train();
        MnistSet test = data.test();
        if (test.imageSize() != train.imageSize())
            throw new ScnnException(data.dir() + ": the test images have " + test.imageSize() + " pixels, the training images " + train.imageSize());
        if (test.classes() > train.classes())
            throw new ScnnException(data.dir() + ": the test labels go up to " + (test.classes() - 1) + ", the training labels only to " + (train.classes() - 1));
        Trainer.Result r = new Trainer(cfg, progress, log).train(train, name);
        Network net = r.network();

        // The accuracy of exactly what is written, with the reference model itself.
        ReferenceModel.Evaluation ev = new ReferenceModel(net).evaluate(test, test.size());
        int exactCorrect;
        try (Workers w = new Workers(cfg.threads())) {
            exactCorrect = new ExactInference(net).correct(test, 0, test.size(), w);
        }
        if (exactCorrect != ev.correct())
            throw new IllegalStateException("exact inference (" + exactCorrect + ") disagrees with the reference model (" + ev.correct() + ")");
        log.accept(String.format("test accuracy (reference model, %s): %.2f %% (%d / %d)", cfg.analog() ? "s-MTJ sigmoid" : "quantized",
                100 * ev.accuracy(), ev.correct(), ev.images()));

        ObjectNode sc = JsonNodeFactory.instance.objectNode();
        // the SC noise model describes the quantized design's shared level streams and ladder; it is
        // not a model of the analog baseline (measure that with the cycle simulator)
        for (int bits : cfg.analog() ? new int[0] : SC_EVAL_BITS) {
            double acc = NoisyEvaluation.accuracy(net, test, cfg.encoding(), bits, SC_EVAL_REPS, cfg.seed(), cfg.threads());
            sc.put(Integer.toString(bits), Math.round(acc * 1e5) / 1e5);
            log.accept(String.format("test accuracy under the SC noise model (%s, N=%d, mean of %d draws): %.2f %%",
                    cfg.encoding().key(), bits, SC_EVAL_REPS, 100 * acc));
        }

        ObjectNode chips = null;
        if (cfg.varied()) {
            // the same device model on CHIP_EVAL chips of the test set (mean of each device's stream, no SC noise)
            double[] per = new double[CHIP_EVAL];
            double mean;
            try (Workers w = new Workers(cfg.threads())) {
                mean = ExactInference.chipAccuracy(net, cfg.encoding(), cfg.variation(), cfg.stuckRate(), cfg.seed(), CHIP_EVAL, test, 0, test.size(), w, per);
            }
            chips = JsonNodeFactory.instance.objectNode();
            chips.put("chips", CHIP_EVAL);
            chips.put("variation", cfg.variation());
            chips.put("stuck_rate", cfg.stuckRate());
            chips.put("mean", Math.round(mean * 1e5) / 1e5);
            chips.put("min", Math.round(java.util.Arrays.stream(per).min().orElse(0) * 1e5) / 1e5);
            log.accept(String.format("test accuracy on %d chips of varied devices (sigma %.3g, stuck rate %.3g; device means, no SC noise): mean %.2f %%, min %.2f %%",
                    CHIP_EVAL, cfg.variation(), cfg.stuckRate(), 100 * mean, 100 * java.util.Arrays.stream(per).min().orElse(0)));
        }

        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("command", command);
        p.put("dataset", data.kind() == MnistFiles.Kind.DIRECTORY ? data.dir().toString() : data.kind().key());
        p.put("seed", cfg.seed());
        p.put("epochs", cfg.epochs());
        p.put("batch", cfg.batch());
        p.put("lr", cfg.lr());
        p.put("shift", cfg.shift());
        p.put("training_time_s", Math.round(r.trainingSeconds() * 10) / 10.0);
        p.put("threads", cfg.threads());
        p.put("sc_train", cfg.scTrain());
        if (cfg.scTrain()) p.put("bits", cfg.bits());
        p.put("encoding", cfg.encoding().key());
        if (cfg.varied()) {
            p.put("variation", cfg.variation());
            p.put("stuck_rate", cfg.stuckRate());
            p.set("test_accuracy_varied_chips", chips);
        }
        p.put("validation_images", cfg.val());
        p.put("validation_accuracy", cfg.val() > 0 ? r.validationAccuracy() : null);
        if (cfg.analog()) {
            p.put("activation", "smtj-sigmoid");
            p.put("scale_target", cfg.scaleTarget());
            p.put("test_accuracy_reference", ev.accuracy());
        } else {
            p.put("test_accuracy_quantized", ev.accuracy());
            p.set("test_accuracy_sc_noise_model", sc);
        }
        Network withProv = net.withProvenance(p);
        // The strict reader must accept the file before anything is written.
        try {
            WeightsIO.parse(WeightsIO.toJson(withProv));
        } catch (RuntimeException e) {
            throw new ScnnException(out + ": the trained network does not pass the weights-file checks (" + e.getMessage() + "); nothing written");
        }
        WeightsIO.write(withProv, out, replace);
        Network back = WeightsIO.read(out);
        if (!back.layers().equals(withProv.layers()))
            throw new ScnnException(out + ": read-back differs from the trained network");
        return new Outcome(withProv, r, ev.accuracy(), sc);
    }
}
