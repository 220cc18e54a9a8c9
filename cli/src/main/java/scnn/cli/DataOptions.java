package scnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import scnn.core.mnist.MnistFiles;

/** The {@code --mnist DIR} option shared by every command that reads MNIST. */
final class DataOptions {
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
        return MnistFiles.of(Paths.root(), mnistDir);
    }
}
