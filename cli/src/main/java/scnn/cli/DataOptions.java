package scnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.weights.Network;

/** The {@code --dataset mnist|fashion-mnist|DIR} and {@code --mnist DIR} options shared by every command that reads images. */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "D",
            description = "Data set: mnist (default), fashion-mnist (Debian's dataset-fashion-mnist) or a directory holding "
                    + "train-/t10k-images-idx3-ubyte and train-/t10k-labels-idx1-ubyte (raw or .gz; any image size and label count).")
    String dataset;

    @Option(names = "--mnist", paramLabel = "DIR",
            description = "Directory with the four MNIST IDX files (raw or .gz) instead of data/mnist/ (fetched on demand).")
    Path mnistDir;

    /**
     * The number of test images to use: all when {@code images} is null; otherwise it must be in
     * 1..the test set's size (one line naming --images otherwise, never a silent cut).
     */
    static int images(Integer images, scnn.core.mnist.MnistSet test) {
        if (images == null) return test.size();
        if (images < 1) throw new scnn.core.io.UsageException("--images must be at least 1, got " + images);
        if (images > test.size()) throw new scnn.core.io.UsageException("--images " + images + ": the test set has " + test.size() + " images");
        return images;
    }

    MnistFiles files() {
        return MnistFiles.dataset(Paths.root(), dataset, mnistDir);
    }

    /** The test split, checked to fit {@code net} (one input per pixel, a class for every label). */
    MnistSet test(Network net, Path weights) {
        MnistFiles f = files();
        MnistSet t = f.test();
        t.requireFits(net.inputSize(), net.outputSize(), f.dir().toString(), weights.toString());
        return t;
    }
}
