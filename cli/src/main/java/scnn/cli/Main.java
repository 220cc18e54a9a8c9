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
                ImportCommand.class,
                ExportCommand.class,
                SweepCommand.class,
                DataCommand.class,
                TestCommand.class,
                SynthCommand.class,
                SynthSweepCommand.class,
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

    /** True when stack traces are shown: {@code --debug} anywhere on the command line, or {@code SCNN_DEBUG} set. */
    private static boolean debug;

    /**
     * Runs a command line and returns the exit code (used by tests too): 0 on success, 1 when an
     * input file, a tool or the environment fails, 2 when the command line is wrong. Whatever goes
     * wrong, standard error gets one line {@code scnn: <file or option>: <problem>}, never a stack
     * trace (unless {@code --debug} or {@code SCNN_DEBUG} asks for it); a standard output that
     * could not be written (a full disk, a closed pipe) is an error too.
     */
    public static int execute(String... args) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.Arrays.asList(args));
        debug = a.remove("--debug") | System.getenv("SCNN_DEBUG") != null;
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> fail(cmd.getErr(), cmd.getCommandSpec().qualifiedName(), ex));
        cl.setParameterExceptionHandler((ex, x) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println(c.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage())
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        int code;
        try {
            code = cl.execute(a.toArray(new String[0]));
        } catch (Throwable t) { // an Error (OutOfMemoryError, StackOverflowError) passes picocli's handler
            code = fail(cl.getErr(), "scnn", t);
        }
        System.out.flush();
        if (System.out.checkError()) {
            cl.getErr().println("scnn: standard output: write error (disk full, or the pipe closed); the output is incomplete");
            cl.getErr().flush();
            if (code == 0) code = 1;
        }
        return code;
    }

    /** Prints the one line for {@code t} and returns the exit code. */
    static int fail(PrintWriter err, String command, Throwable t) {
        if (debug) t.printStackTrace(err);
        Throwable user = find(t, ScnnException.class);
        int code;
        if (user != null) {
            err.println("scnn: " + oneLine(user.getMessage()));
            code = user instanceof scnn.core.io.UsageException ? 2 : 1;
        } else if (find(t, OutOfMemoryError.class) != null) {
            long max = Runtime.getRuntime().maxMemory() >> 20;
            err.println("scnn: " + command.replaceFirst("^scnn ?", "") + (command.equals("scnn") ? "" : ": ")
                    + "out of memory: the design needs more than the Java heap's " + max + " MiB; give more with "
                    + "SCNN_JAVA_OPTS=-Xmx" + Math.max(2, 2 * ((max + 1023) >> 10)) + "g (this machine has "
                    + (physicalMemory() >> 30) + " GiB), or choose a smaller design (--fold, --bits)");
            code = 1;
        } else if (find(t, InterruptedException.class) != null) {
            err.println("scnn: interrupted");
            code = 130;
        } else {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            err.println("scnn: " + (command.equals("scnn") ? "" : command.replaceFirst("^scnn ", "") + ": ")
                    + "internal error: " + root.getClass().getSimpleName()
                    + (root.getMessage() != null ? ": " + oneLine(root.getMessage()) : "")
                    + (debug ? "" : " (rerun with --debug or SCNN_DEBUG=1 for the stack trace, and please report it)"));
            code = 1;
        }
        err.flush();
        return code;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 50; t = t.getCause(), depth++)
            if (type.isInstance(t)) return type.cast(t);
        return null;
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String l = s.strip();
        int nl = l.indexOf('\n');
        return nl < 0 ? l : l.substring(0, nl).strip();
    }

    private static long physicalMemory() {
        try {
            var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean s) return s.getTotalMemorySize();
        } catch (Throwable ignored) {
            // not a HotSpot JVM
        }
        return 0;
    }
}
