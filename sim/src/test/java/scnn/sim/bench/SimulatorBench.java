package scnn.sim.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.Arch;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.generator.arch.SynapseRng;
import scnn.sim.EnergyModel;
import scnn.sim.InferenceRunner;
import scnn.sim.SimResult;

/**
 * The simulator benchmark (JMH): one operation is {@link InferenceRunner#run} of the first
 * {@code images} MNIST test images of a shipped net at N = {@code bits} on {@code threads} threads,
 * every switching event counted, exactly as {@code scnn simulate} runs it (the netlist compile is
 * outside the measurement). Single-shot time: one warm-up operation, then five measured ones, in
 * one forked JVM. {@link #main} runs it and prints, per net, the median, minimum and maximum of
 * the measured operations and the synapse-bit operations per second of the median; JMH's own
 * options (-p net=..., -i, -wi, -f, -rf json ...) are accepted and override the defaults.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
public class SimulatorBench {
    @Param({"mnist-3h-L5-sc", "mnist-1h-L5-sc", "mnist-1h-analog"})
    public String net;

    @Param("100")
    public int bits;

    @Param("10000")
    public int images;

    @Param("2")
    public int threads;

    private InferenceRunner runner;
    private MnistSet test;

    static Path root() {
        return Path.of(System.getProperty("scnn.root", ".")).toAbsolutePath();
    }

    @Setup(Level.Trial)
    public void setUp() {
        Network n = WeightsIO.read(root().resolve("weights").resolve(net + ".json"));
        ScConfig cfg = new ScConfig(bits, Encoding.parse("sign-magnitude"), 1, 1, SmtjModel.DEFAULT, null, Arch.parse("auto"),
                SynapseRng.parse("rotate"));
        ScDesign sd = ScBuilder.build(n, cfg, ScBuilder.topName(n.name()));
        runner = new InferenceRunner(sd);
        test = MnistFiles.defaultLocation(root()).test();
    }

    @Benchmark
    public SimResult simulate() {
        return runner.run(test, images, threads, EnergyModel.DEFAULT, Progress.NONE);
    }

    /** Runs the benchmark (arguments: JMH's command line) and prints median, min, max and synapse-bit operations per second. */
    public static void main(String[] args) throws Exception {
        Options cl = new CommandLineOptions(args);
        Options o = new OptionsBuilder().parent(cl).include(SimulatorBench.class.getName() + ".simulate")
                .jvmArgsAppend("-Dscnn.root=" + root(), "-Xmx2g", "--add-modules", "jdk.incubator.vector").build();
        Collection<RunResult> results = new Runner(o).run();
        for (RunResult r : results) {
            var params = r.getParams();
            String net = params.getParam("net");
            int bits = Integer.parseInt(params.getParam("bits")), images = Integer.parseInt(params.getParam("images"));
            List<Double> s = new ArrayList<>();
            for (IterationResult it : r.getBenchmarkResults().iterator().next().getIterationResults()) s.add(it.getPrimaryResult().getScore());
            s.sort(null);
            double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
            long synapses = WeightsIO.read(root().resolve("weights").resolve(net + ".json")).synapses();
            System.out.printf("%-16s N=%d images=%d threads=%s: median %.2f s (min %.2f, max %.2f, %d runs) = %.3g synapse-bit ops/s%n",
                    net, bits, images, params.getParam("threads"), median, s.get(0), s.get(s.size() - 1), s.size(),
                    (double) synapses * bits * images / median);
        }
    }
}
