package scnn.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import scnn.core.weights.Network;
import scnn.core.model.Encoding;
import scnn.train.TrainConfig;
import scnn.train.TrainJob;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Train a quantized MLP on MNIST or another data set (--dataset; quantization-aware, optionally stochastic-computing-aware) and write a "
                        + "scnn-weights/1 file.",
                "Weights are rounded to L uniform levels in [-1, 1], hidden outputs are requantized exactly as the hardware "
                        + "does; with --sc-train every weighted sum also carries the error of an N-bit SC estimate. "
                        + "The last --val training images are held out for validation; the test set is used only for the "
                        + "final report (reference-model accuracy of the written file). Results do not depend on --threads."})
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--hidden", paramLabel = "N[,N...]", split = ",", defaultValue = "256",
            description = "Hidden layer sizes (default: ${DEFAULT-VALUE}), e.g. 256,256,256.")
    List<Integer> hidden;

    @Option(names = "--levels", paramLabel = "L", defaultValue = "5", description = "Quantization levels, odd, >= 3 (default: ${DEFAULT-VALUE}).")
    int levels;

    @Option(names = "--sc-train", description = "Train against the SC noise model (needs --bits).")
    boolean scTrain;

    @Option(names = "--bits", paramLabel = "N", description = "Bitstream length of the SC noise model (with --sc-train).")
    Integer bits;

    @Option(names = "--encoding", paramLabel = "ENC", defaultValue = "sign-magnitude",
            description = "SC encoding: sign-magnitude or bipolar (default: ${DEFAULT-VALUE}); the noise model of --sc-train and of the final SC-noise report.")
    String encoding;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "" + TrainConfig.DEFAULT_EPOCHS, description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "" + TrainConfig.DEFAULT_BATCH, description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "" + TrainConfig.DEFAULT_LR,
            description = "Adam learning rate, cosine-decayed to 0 (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "Worker threads (default: ${DEFAULT-VALUE}); results are identical for any value.")
    int threads;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Weights file to write (atomically, only if training succeeds).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "Network name in the file (default: the file's base name).")
    String name;

    @Option(names = "--val", paramLabel = "K", defaultValue = "5000", description = "Training images held out for validation (default: ${DEFAULT-VALUE}).")
    int val;

    @Option(names = "--train-images", paramLabel = "K", defaultValue = "0",
            description = "Train on only the first K of the remaining training images (default: all).")
    int trainImages;

    @Option(names = "--scale-target", paramLabel = "S", defaultValue = "" + TrainConfig.DEFAULT_SCALE_TARGET,
            description = "Each hidden layer's scale is set at initialisation so that y = scale * z has this standard deviation (default: ${DEFAULT-VALUE}).")
    double scaleTarget;

    @Option(names = "--init-range", paramLabel = "R", defaultValue = "" + TrainConfig.DEFAULT_INIT_RANGE,
            description = "Shadow weights start uniform in [-R, R] (default: ${DEFAULT-VALUE}).")
    double initRange;

    @Option(names = "--shift", paramLabel = "P", defaultValue = "0",
            description = "Data augmentation: shift each training image by a random offset in [-P, P] pixels per axis (default: ${DEFAULT-VALUE} = off).")
    int shift;

    @Option(names = "--activation", paramLabel = "A", defaultValue = "quantize",
            description = "Hidden activation: quantize (comparator ladder, the quantized SC-ANN) or smtj-sigmoid (the analog "
                    + "baseline: s-MTJ sigmoid outputs, dyadic weight grid; needs --levels L with L + 1 a power of two, e.g. 127). "
                    + "Default: ${DEFAULT-VALUE}.")
    String activation;

    @Option(names = "--variation", paramLabel = "SIGMA", defaultValue = "0",
            description = "Variation-aware training: every mini-batch runs on a freshly drawn chip whose s-MTJs have a bias offset "
                    + "of sigma SIGMA sigmoid widths (the device model of generate/simulate --variation); default ${DEFAULT-VALUE} = off.")
    double variation;

    @Option(names = "--stuck-rate", paramLabel = "F", defaultValue = "0",
            description = "With variation-aware training, the fraction of each drawn chip's s-MTJs stuck at 0 or 1 (default: ${DEFAULT-VALUE}).")
    double stuckRate;

    @Mixin DataOptions data;
    @Mixin ForceOption force;

    @Override
    public Integer call() {
        Encoding enc;
        try {
            enc = Encoding.parse(encoding);
        } catch (IllegalArgumentException e) {
            throw bad("--encoding must be sign-magnitude or bipolar, got '" + encoding + "'");
        }
        if (scTrain && bits == null) throw bad("--sc-train needs --bits N (the bitstream length to train at)");
        if (!scTrain && bits != null) throw bad("--bits is only used with --sc-train");
        int[] h = hidden.stream().mapToInt(Integer::intValue).toArray();
        TrainConfig cfg = new TrainConfig(h, levels, scTrain, scTrain ? bits : 0, enc, epochs, batch, lr, seed, threads, val,
                trainImages, scaleTarget, initRange, shift, analogActivation(), variation, stuckRate);
        try {
            cfg.validate(60000);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (out.getFileName() == null) throw bad("--out must name a file");
        String n = name != null ? name : out.getFileName().toString().replaceFirst("\\.json$", "");
        if (n.isBlank()) throw bad("--name must not be empty");
        String command = commandLine();
        ConsoleProgress progress = new ConsoleProgress();
        TrainJob.Outcome o = TrainJob.run(cfg, n, out, force.replace(), data.files(), command, progress, System.err::println);
        Network net = o.network();
        System.out.printf("wrote %s: %s (%s, %d levels, %,d synapses)%n", out, net.name(), net.shape(), net.levels(), net.synapses());
        System.out.printf("validation accuracy: %.2f %%, test accuracy (reference model): %.2f %%, training time %.1f s%n",
                100 * o.result().validationAccuracy(), 100 * o.testAccuracy(), o.result().trainingSeconds());
        return 0;
    }

    private boolean analogActivation() {
        return switch (activation) {
            case "quantize" -> false;
            case "smtj-sigmoid" -> true;
            default -> throw bad("--activation must be quantize or smtj-sigmoid, got '" + activation + "'");
        };
    }

    private ParameterException bad(String msg) {
        return new ParameterException(spec.commandLine(), msg);
    }

    private String commandLine() {
        StringBuilder sb = new StringBuilder("./scnn train");
        // originalArgs() is the whole command line, starting with the subcommand's own name.
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int from = args.indexOf(spec.name()) + 1;
        for (String a : args.subList(from, args.size())) sb.append(' ').append(quote(a));
        return sb.toString();
    }

    static String quote(String a) {
        if (!a.isEmpty() && a.matches("[A-Za-z0-9_@%+=:,./-]+")) return a;
        return "'" + a.replace("'", "'\\''") + "'";
    }
}
