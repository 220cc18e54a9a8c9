package scnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import scnn.core.mnist.MnistFiles;

/** The {@code --mnist DIR} option shared by every command that reads MNIST. */
final class DataOptions {
    @Option(names = "--mnist", paramLabel = "DIR",
            description = "Directory with the four MNIST IDX files (raw or .gz) instead of data/mnist/ (fetched on demand).")
    Path mnistDir;

    MnistFiles files() {
        return MnistFiles.of(Paths.root(), mnistDir);
    }
}
