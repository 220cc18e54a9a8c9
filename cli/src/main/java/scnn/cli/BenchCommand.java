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
import scnn.testbench.Bench;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Race the Java cycle simulator against the Verilator model of the same design on the same first K "
                + "MNIST test images: image-cycles per second of each (images x cycles per inference / run seconds), "
                + "their ratio, synapse-bit operations per second, and each side's compile time. Verilator runs the "
                + "testbench built with --binary and C++ -O2, without event monitors and with pixels loaded in zero "
                + "cycles; the Java simulator counts all events. The two runs' classes and scores are compared too.")
final class BenchCommand implements Callable<Integer> {
    @Mixin DesignOptions design;
    @Mixin ForceOption force;

    @Mixin DataOptions data;

    @Option(names = "--images", paramLabel = "K", defaultValue = "1000", description = "The first K test images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--threads", paramLabel = "T", description = "Java simulator threads (default: the available processors).")
    Integer threads;

    @Option(names = "--verilator-threads", paramLabel = "T", defaultValue = "1",
            description = "Verilator model threads (--threads of verilator; default: ${DEFAULT-VALUE}).")
    int verilatorThreads;

    @Option(names = "--out", paramLabel = "DIR", description = "RTL directory (default: rtl-out/<network name>/).")
    Path out;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        if (images < 1) throw new scnn.core.io.UsageException("--images must be at least 1, got " + images);
        if (threads != null && threads < 1) throw new scnn.core.io.UsageException("--threads must be at least 1, got " + threads);
        if (verilatorThreads < 1) throw new scnn.core.io.UsageException("--verilator-threads must be at least 1, got " + verilatorThreads);
        ScDesign sd = design.build();
        MnistSet test = data.test(sd.network(), design.weightsPath());
        if (images > test.size()) throw new scnn.core.io.UsageException("--images " + images + ": the test set has " + test.size() + " images");
        Path dir = Paths.rtlDir(out, sd.network().name());
        scnn.core.io.OutputPolicy.checkDirectory(dir, force.replace());
        scnn.testbench.axis.AxisRtl.write(sd, design.axis(sd), dir, sd.manifestFacts(), force.replace(), java.util.Set.of());
        int t = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
        if (!json && System.console() != null)
            System.err.printf("scnn: %s: building the Verilator model in %s...%n", sd.design().name(), Bench.workDir(dir));
        Progress p = json || System.console() == null ? Progress.NONE : new ConsoleProgress();
        Bench.Report r = Bench.run(sd, dir, test, new Bench.Options(images, t, verilatorThreads, Duration.ofHours(2)), p);
        if (json) {
            var j = r.toJson(Json.MAPPER);
            j.put("network", sd.network().name());
            Json.print(j);
        } else {
            System.out.printf("bench %s (%s, %,d synapses, N = %d, %s, fold %d): %d images x %d cycles%n",
                    sd.design().name(), sd.network().shape(), r.synapses(), r.bits(), sd.config().encoding().key(), sd.config().fold(),
                    r.images(), r.cyclesPerInference());
            System.out.printf("  Java      : %,14.0f image-cycles/s  %,16.0f synapse-bit-ops/s  run %7.2f s  compile %.2f s%n",
                    r.javaImageCyclesPerS(), r.javaSynapseBitOpsPerS(), r.java().wallSeconds, r.java().compileSeconds);
            System.out.printf("              (InferenceRunner, 64 images per word, %d thread(s), all net toggles counted)%n", r.java().threads);
            System.out.printf("  Verilator : %,14.0f image-cycles/s  %,16.0f synapse-bit-ops/s  run %7.2f s  compile %.1f s%n",
                    r.verilatorImageCyclesPerS(), r.verilatorSynapseBitOpsPerS(), r.run().seconds(), r.build().seconds());
            System.out.printf("              (%s; +nomon +backdoor)%n", r.build().description());
            System.out.printf("  ratio java/verilator: %.2f%n", r.ratio());
            System.out.printf("  results: %d mismatches between the two runs; accuracy %.2f %%%n", r.mismatches().size(),
                    100 * r.java().accuracy());
        }
        if (!r.mismatches().isEmpty())
            throw new ScnnException("bench: the Verilator and Java runs disagree on " + r.mismatches().size() + " values (see "
                    + r.workDir().resolve("mismatches.json") + ")");
        return 0;
    }
}
