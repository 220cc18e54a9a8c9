package scnn.train;

import java.nio.file.Files;
import java.nio.file.Path;
import scnn.core.mnist.MnistFiles;

/** The repository's MNIST copy for the tests (surefire sets scnn.root). */
final class TestData {
    private TestData() {}

    static Path root() {
        return Path.of(System.getProperty("scnn.root", "..")).toAbsolutePath().normalize();
    }

    static MnistFiles mnist() {
        Path dir = root().resolve("data").resolve("mnist");
        if (!Files.isRegularFile(dir.resolve("train-images-idx3-ubyte")) && !Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")))
            throw new IllegalStateException("MNIST is missing in " + dir + ": run ./scnn data first");
        return MnistFiles.userDirectory(dir);
    }
}
