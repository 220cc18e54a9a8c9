package scnn.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.generator.arch.ScDesign;
import scnn.generator.verilog.RtlWriter;
import scnn.testbench.Cosim;
import scnn.testbench.verilog.RtlRunner;
import scnn.testbench.verilog.Simulator;

@Command(name = "cosim", mixinStandardHelpOptions = true,
        description = "Co-simulate: generate the RTL and a testbench, run the first K MNIST test images under Verilator "
                + "or Icarus and through the Java cycle simulator, and compare class, every output score and cycle count "
                + "per image and the switching events (s-MTJ flips, accumulator toggles). Writes logs, results and "
                + "mismatches.json into <rtl dir>/cosim-<sim>/. Exit status 1 on any mismatch.")
final class CosimCommand implements Callable<Integer> {
    @Mixin DesignOptions design;
    @Mixin ForceOption force;

    @Mixin DataOptions data;

    @Option(names = "--images", paramLabel = "K", defaultValue = "20", description = "The first K test images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--sim", paramLabel = "SIM", defaultValue = "verilator",
            description = "HDL simulator: verilator or icarus (default: ${DEFAULT-VALUE}).")
    String sim;

    @Option(names = "--out", paramLabel = "DIR", description = "RTL directory (default: rtl-out/<network name>/).")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "Java simulator threads (default: the available processors).")
    Integer threads;

    @Option(names = "--timeout", paramLabel = "S", description = "Limit in seconds for the build and for the run (default: 3600 and 600 + 60 per image).")
    Integer timeout;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        Simulator s = Simulator.parse(sim);
        if (images < 1) throw new scnn.core.io.UsageException("--images must be at least 1, got " + images);
        if (threads != null && threads < 1) throw new scnn.core.io.UsageException("--threads must be at least 1, got " + threads);
        if (timeout != null && timeout < 1) throw new scnn.core.io.UsageException("--timeout must be at least 1 second, got " + timeout);
        ScDesign sd = design.build();
        MnistSet test = data.test(sd.network(), design.weightsPath());
        if (images > test.size()) throw new scnn.core.io.UsageException("--images " + images + ": the test set has " + test.size() + " images");
        Path dir = Paths.rtlDir(out, sd.network().name());
        scnn.core.io.OutputPolicy.checkDirectory(dir, force.replace());
        long t0 = System.nanoTime();
        RtlWriter.write(sd.design(), dir, sd.manifestFacts(), force.replace());
        double genS = (System.nanoTime() - t0) / 1e9;
        Cosim.Options d = Cosim.Options.of(s, images);
        RtlRunner.BuildOptions bo = d.build();
        if (timeout != null) bo = bo.withTimeout(Duration.ofSeconds(timeout));
        Cosim.Options o = new Cosim.Options(s, images, threads != null ? threads : d.threads(), bo,
                timeout != null ? Duration.ofSeconds(timeout) : d.runTimeout());
        if (!json && System.console() != null)
            System.err.printf("scnn: %s: RTL in %s; building the testbench with %s...%n", sd.design().name(), dir, s.key());
        Progress p = json || images < 256 || System.console() == null ? Progress.NONE : new ConsoleProgress();
        Cosim.Report r = Cosim.run(sd, dir, test, o, p);
        if (json) {
            var j = r.toJson();
            j.put("network", sd.network().name());
            j.put("generate_s", genS);
            Json.print(j);
        } else {
            System.out.printf("cosim %s (%s, N = %d, %s, fold %d, seed %d) under %s: %d images, %d cycles each%n",
                    sd.design().name(), sd.network().shape(), sd.config().bits(), sd.config().encoding().key(), sd.config().fold(),
                    sd.config().seed(), s.key(), r.images(), r.java().cyclesPerInference);
            System.out.printf("  mismatches: %d%s%n", r.mismatches().size(), r.agree() ? " (RTL and Java agree bit for bit)" : "");
            int shown = 0;
            for (Cosim.Mismatch m : r.mismatches()) {
                if (shown++ == 10) {
                    System.out.printf("    ... %d more%n", r.mismatches().size() - 10);
                    break;
                }
                System.out.println("    " + m);
            }
            System.out.printf("  accuracy: RTL %.2f %%, Java %.2f %%%n", 100 * r.rtlAccuracy(), 100 * r.javaAccuracy());
            System.out.printf("  events: s-MTJ flips RTL %d, Java %d; accumulator toggles RTL %d, Java %d%n",
                    r.rtl().smtjFlips(), r.java().smtjFlips, r.rtl().accToggles(), r.java().ffToggles.get("accumulator"));
            System.out.printf("  times: %s build %.1f s, run %.1f s; Java %.2f s (%d threads); generate %.1f s%n",
                    s.key(), r.build().seconds(), r.run().seconds(), r.java().wallSeconds, r.java().threads, genS);
            System.out.printf("  files: %s (mismatches.json, results.txt, java-results.txt, build.log, run.log)%n", r.workDir());
        }
        if (!r.agree())
            System.err.println("scnn: the RTL (" + s.key() + ") and the Java simulator disagree: " + r.mismatches().size()
                    + " mismatches (see " + r.workDir().resolve(Cosim.MISMATCHES) + ")");
        return r.agree() ? 0 : 1;
    }
}
