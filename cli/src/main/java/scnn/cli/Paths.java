package scnn.cli;

import java.nio.file.Path;

/** Where the repository is: set by the {@code ./scnn} launcher as {@code -Dscnn.root}. */
final class Paths {
    private Paths() {}

    static Path root() {
        return Path.of(System.getProperty("scnn.root", ".")).toAbsolutePath().normalize();
    }

    /** The default shipped network that {@code run} uses. */
    static Path defaultWeights() {
        return root().resolve("weights").resolve("mnist-1h-L5-sc.json");
    }
}
