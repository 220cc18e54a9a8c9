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

    @Option(names = "--top", paramLabel = "T", defaultValue = "core",
            description = "Which top to co-simulate: core (<top>, the pix_we/start interface) or axis (the AXI4-Stream top <top>_axis, "
                    + "with seeded random stalls on both streams and malformed frames; --axis-pixels P). Default: ${DEFAULT-VALUE}.")
    String top;

    @Option(names = "--stall-seed", paramLabel = "S", defaultValue = "1",
            description = "With --top axis: seed of the stalls and malformed frames (default: ${DEFAULT-VALUE}).")
    long stallSeed;

    @Override
    public Integer call() {
        Simulator s = Simulator.parse(sim);
        if (!top.equals("core") && !top.equals("axis")) throw new scnn.core.io.UsageException("--top " + top + " is not a top (core, axis)");
        if (images < 1) throw new scnn.core.io.UsageException("--images must be at least 1, got " + images);
        if (threads != null && threads < 1) throw new scnn.core.io.UsageException("--threads must be at least 1, got " + threads);
        if (timeout != null && timeout < 1) throw new scnn.core.io.UsageException("--timeout must be at least 1 second, got " + timeout);
        ScDesign sd = design.build();
        MnistSet test = data.test(sd.network(), design.weightsPath());
        if (images > test.size()) throw new scnn.core.io.UsageException("--images " + images + ": the test set has " + test.size() + " images");
        Path dir = Paths.rtlDir(out, sd.network().name());
        scnn.core.io.OutputPolicy.checkDirectory(dir, force.replace());
        long t0 = System.nanoTime();
        scnn.generator.axis.AxisTop.Axis ax = design.axis(sd);
        scnn.testbench.axis.AxisRtl.write(sd, ax, dir, sd.manifestFacts(), force.replace(), java.util.Set.of());
        double genS = (System.nanoTime() - t0) / 1e9;
        if (top.equals("axis")) return axis(sd, ax, dir, test, s, genS);
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

    private int axis(ScDesign sd, scnn.generator.axis.AxisTop.Axis ax, Path dir, MnistSet test, Simulator s, double genS) {
        scnn.testbench.axis.AxisCosim.Options d = scnn.testbench.axis.AxisCosim.Options.of(s, images);
        RtlRunner.BuildOptions bo = d.build();
        if (timeout != null) bo = bo.withTimeout(Duration.ofSeconds(timeout));
        scnn.testbench.axis.AxisCosim.Options o = new scnn.testbench.axis.AxisCosim.Options(s, images, d.cleanImages(), stallSeed, bo,
                timeout != null ? Duration.ofSeconds(timeout) : d.runTimeout());
        if (!json && System.console() != null)
            System.err.printf("scnn: %s: RTL in %s; building the AXI4-Stream testbench with %s...%n", ax.design().name(), dir, s.key());
        int th = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
        scnn.testbench.axis.AxisCosim.Report r = scnn.testbench.axis.AxisCosim.run(sd, ax, dir, test, o, th, Progress.NONE);
        if (json) {
            var j = r.toJson();
            j.put("network", sd.network().name());
            j.put("axis_top", ax.design().name());
            j.put("axis_pixels_per_beat", ax.pixelsPerBeat());
            j.put("generate_s", genS);
            Json.print(j);
        } else {
            long[] w = r.rtl().waits();
            System.out.printf("cosim %s (%s, N = %d, %s, fold %d, seed %d; %d pixels a beat, %d beats an image) under %s: %d images%n",
                    ax.design().name(), sd.network().shape(), sd.config().bits(), sd.config().encoding().key(), sd.config().fold(),
                    sd.config().seed(), ax.pixelsPerBeat(), ax.beatsPerImage(), s.key(), r.images());
            System.out.printf("  mismatches: %d%s%n", r.mismatches().size(), r.agree() ? " (the RTL's port trace equals the Java simulator's, cycle for cycle)" : "");
            int shown = 0;
            for (scnn.testbench.axis.AxisCosim.Mismatch m : r.mismatches()) {
                if (shown++ == 10) {
                    System.out.printf("    ... %d more%n", r.mismatches().size() - 10);
                    break;
                }
                System.out.println("    " + m);
            }
            if (!r.rtl().results().isEmpty() && r.rtl().beatEdges().length > 0)
                System.out.printf("  measured (RTL, first %d images without stalls): latency %d cycles (manifest %d), interval %s cycles (manifest %d)%n",
                        r.cleanImages(), r.measuredLatency(), r.manifestLatency(), java.util.Arrays.toString(r.measuredIntervals()), r.manifestInterval());
            System.out.printf("  stalls: the source waited %d cycles, results waited %d cycles; frame_error rose after edge %d (malformed frames dropped)%n",
                    w == null ? -1 : w[0], w == null ? -1 : w[1], r.rtl().frameErrorEdge());
            System.out.printf("  ordering: %d results, result n = class of inference n of the core (simulate --predictions)%n", r.rtl().results().size());
            System.out.printf("  times: %s build %.1f s, run %.1f s; Java %.2f s; generate %.1f s%n", s.key(), r.build().seconds(), r.runSeconds(),
                    r.javaSeconds(), genS);
            System.out.printf("  files: %s (mismatches.json, trace.txt, java-trace.txt, beats.txt, stalls.txt, build.log, run.log)%n", r.workDir());
        }
        if (!r.agree())
            System.err.println("scnn: the AXI4-Stream top's RTL (" + s.key() + ") and the Java simulator disagree: " + r.mismatches().size()
                    + " mismatches (see " + r.workDir().resolve(scnn.testbench.axis.AxisCosim.MISMATCHES) + ")");
        return r.agree() ? 0 : 1;
    }
}
