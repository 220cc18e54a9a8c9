package scnn.cli;

import picocli.CommandLine.Option;
import scnn.core.io.OutputPolicy;

/** The {@code --force} option of every command that writes an output (see {@link OutputPolicy}). */
final class ForceOption {
    @Option(names = "--force",
            description = "Replace an existing output that scnn did not write (a foreign directory, file or symbolic link). "
                    + "Never a device node, a FIFO, the current or home directory, the checkout, or one of their ancestors.")
    boolean force;

    OutputPolicy.Replace replace() {
        return OutputPolicy.Replace.force(force);
    }
}
