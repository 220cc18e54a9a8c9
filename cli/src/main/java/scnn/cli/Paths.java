package scnn.cli;

import java.nio.file.Path;

/** Where the repository is: set by the {@code ./scnn} launcher as {@code -Dscnn.root}. */
final class Paths {
    private Paths() {}

    static Path root() {
        return Path.of(System.getProperty("scnn.root", ".")).toAbsolutePath().normalize();
    }

    /**
     * The default RTL directory of a network: {@code rtl-out/<name>/}, where the network's name
     * (from the weights file) is made one safe file-name component, never a path.
     */
    static Path defaultRtlDir(String networkName) {
        return root().resolve("rtl-out").resolve(scnn.core.io.OutputPolicy.fileComponent(networkName));
    }

    /** {@code out} when given, else {@link #defaultRtlDir}. */
    static Path rtlDir(Path out, String networkName) {
        return out != null ? out : defaultRtlDir(networkName);
    }

    /** The default shipped network that {@code run} uses. */
    static Path defaultWeights() {
        return root().resolve("weights").resolve("mnist-1h-L5-sc.json");
    }
}
