package scnn.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scnn.core.mnist.MnistSet;
import scnn.core.model.ReferenceModel;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Accuracy of a weights file on the MNIST test set with the exact software reference model "
                + "(quantized weights and requantized hidden outputs, as the hardware computes them for long bitstreams), "
                + "beside the same net with float (clamped) hidden outputs.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--weights", paramLabel = "W", description = "Weights file (scnn-weights/1). Default: weights/mnist-1h-L5-sc.json.")
    Path weights;

    @Option(names = "--images", paramLabel = "K", description = "Evaluate the first K test images (default: all 10,000).")
    Integer images;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin DataOptions data;

    @Override
    public Integer call() {
        Path w = weights != null ? weights : Paths.defaultWeights();
        Network net = WeightsIO.read(w);
        if (images != null && images < 1) throw new scnn.core.io.UsageException("--images must be at least 1, got " + images);
        MnistSet test = data.test(net, w);
        int k = DataOptions.images(images, test);
        ReferenceModel.Evaluation e = new ReferenceModel(net).evaluate(test, k);
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("weights", w.toString());
            o.put("network", net.name());
            o.put("shape", net.shape());
            o.put("levels", net.levels());
            o.put("images", e.images());
            o.put("correct", e.correct());
            o.put("accuracy", e.accuracy());
            o.put("float_activation_accuracy", e.floatAccuracy());
            o.put("hidden_activation", net.layers().size() > 1 ? net.layers().get(0).activation().json() : "none");
            Json.print(o);
        } else {
            System.out.printf("%s (%s, %d levels, %,d synapses)%n", net.name(), net.shape(), net.levels(), net.synapses());
            if (scnn.generator.arch.Arch.of(net) == scnn.generator.arch.Arch.ANALOG) {
                // the analog baseline's s-MTJ sigmoid is the same in both variants
                System.out.printf("reference accuracy (s-MTJ sigmoid hidden outputs, analog baseline): %.2f %% (%d / %d test images)%n",
                        100 * e.accuracy(), e.correct(), e.images());
            } else {
                System.out.printf("quantized reference accuracy: %.2f %% (%d / %d test images)%n", 100 * e.accuracy(), e.correct(), e.images());
                System.out.printf("float-activation accuracy:    %.2f %%%n", 100 * e.floatAccuracy());
            }
        }
        return 0;
    }
}
