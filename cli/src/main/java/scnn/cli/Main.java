package scnn.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import scnn.core.io.ScnnException;

/** Entry point of the {@code scnn} command. */
@Command(name = "scnn", mixinStandardHelpOptions = true, version = "scnn 0.1.0",
        description = "Quantized stochastic-computing neural networks with s-MTJ random sources:%n"
                + "train, generate Verilog, simulate cycle by cycle, co-simulate, measure energy and latency.",
        subcommands = {
                RunCommand.class,
                GenerateCommand.class,
                SimulateCommand.class,
                CosimCommand.class,
                BenchCommand.class,
                EvalCommand.class,
                TrainCommand.class,
                SweepCommand.class,
                DataCommand.class,
                TestCommand.class,
                SynthCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns the exit code (used by tests too). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ScnnException) {
                cmd.getErr().println("scnn: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cl.execute(args);
    }
}
