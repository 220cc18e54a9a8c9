package scnn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "The main job on the shipped defaults: fetch MNIST, evaluate the default shipped network.")
final class RunCommand implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() {
        System.out.println(data.files().ensure());
        EvalCommand eval = new EvalCommand();
        eval.data = data;
        return eval.call();
    }
}
