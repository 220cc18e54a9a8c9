package scnn.train;

import java.nio.file.Path;
import scnn.core.mnist.MnistFiles;

/** The repository's MNIST copy for the tests (surefire sets scnn.root). */
final class TestData {
    private TestData() {}

    static Path root() {
        return Path.of(System.getProperty("scnn.root", "..")).toAbsolutePath().normalize();
    }

    static MnistFiles mnist() {
        MnistFiles f = MnistFiles.defaultLocation(root());
        f.ensure(); // fetches into data/mnist on a clean clone
        return f;
    }
}
