package scnn.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.generator.arch.ScDesign;
import scnn.sim.EnergyModel;
import scnn.sim.InferenceRunner;
import scnn.sim.SimResult;
import scnn.sim.VcdWriter;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the MNIST test set through the generated netlist with the cycle-accurate simulator "
                + "(bit by bit, 64 images per machine word): accuracy, cycles and latency per inference, switching events and energy.")
final class SimulateCommand implements Callable<Integer> {
    @Mixin DesignOptions design;
    @Mixin DataOptions data;
    @Mixin ForceOption force;

    @Option(names = "--images", paramLabel = "K", description = "Simulate the first K test images (default: all 10,000).")
    Integer images;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--energy", paramLabel = "FILE", description = "Energy model overrides (JSON; see README).")
    Path energy;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--predictions", description = "With --json: include the predicted class of every image.")
    boolean predictions;

    @Option(names = "--vcd", paramLabel = "FILE", description = "Write a VCD waveform (ports and registers) of the first --vcd-images images.")
    Path vcd;

    @Option(names = "--vcd-images", paramLabel = "K", defaultValue = "1", description = "Images in the waveform (default: ${DEFAULT-VALUE}).")
    int vcdImages;

    @Override
    public Integer call() {
        if (threads < 1) throw new scnn.core.io.UsageException("--threads must be at least 1, got " + threads);
        if (images != null && images < 1) throw new scnn.core.io.UsageException("--images must be at least 1, got " + images);
        if (vcdImages < 1) throw new scnn.core.io.UsageException("--vcd-images must be at least 1");
        if (vcd != null) scnn.core.io.OutputPolicy.checkFile(vcd, force.replace(), VcdWriter.MARK);
        EnergyModel em = energy != null ? EnergyModel.read(energy) : EnergyModel.DEFAULT;
        ScDesign sd = design.build();
        if (energy != null && sd.config().dac().conversionPj() != null && EnergyModel.fileGives(energy, "dac_conversion_pj"))
            throw new scnn.core.io.UsageException("--energy and --device: both give dac_conversion_pj (give it in one of them)");
        MnistSet test = data.test(sd.network(), design.weightsPath());
        int k = DataOptions.images(images, test);
        SimResult r = simulate(sd, test, k, threads, em, !json);
        if (vcd != null) VcdWriter.write(sd, new InferenceRunner(sd).program(), test, vcdImages, vcd, force.replace());
        AxisFigures ax = AxisFigures.of(design.axis(sd), test, r.clockNs);
        if (json) {
            var o = r.toJson(Json.MAPPER, predictions);
            ax.put(o);
            Json.print(o);
        } else {
            print(sd, r);
            ax.print(r.cyclesPerInference);
        }
        return 0;
    }

    static SimResult simulate(ScDesign sd, MnistSet test, int k, int threads, EnergyModel em, boolean bar) {
        InferenceRunner ir = new InferenceRunner(sd);
        return ir.run(test, k, threads, em, bar ? new ConsoleProgress() : scnn.core.progress.Progress.NONE);
    }

    /** The devices that the chip's variation and faults affect. */
    static void printChip(ScDesign sd) {
        scnn.generator.arch.ChipVariation c = sd.config().chip();
        System.out.printf("%s: %d of %d s-MTJs stuck%n", c, sd.chip().stuckDevices(), sd.chip().devices());
        for (scnn.generator.arch.ChipVariation.Report.Group g : sd.chip().groups()) {
            System.out.printf(java.util.Locale.ROOT, "  %-6s %6d devices, offset mean %+.3f sd %.3f [%+.3f, %+.3f]", g.group(), g.devices(),
                    g.offsetMean(), g.offsetSd(), g.offsetMin(), g.offsetMax());
            if (!g.stuckAt0().isEmpty()) System.out.printf(", stuck at 0: %s", list(g.stuckAt0()));
            if (!g.stuckAt1().isEmpty()) System.out.printf(", stuck at 1: %s", list(g.stuckAt1()));
            System.out.println();
            if (g.nominal() != null)
                for (int j = 0; j < g.devices(); j++)
                    System.out.printf(java.util.Locale.ROOT, "         device %d: P(1) %.4f -> %.4f%n", j, g.nominal()[j] / 65536.0, g.actual()[j] / 65536.0);
        }
    }

    private static String list(java.util.List<Integer> l) {
        if (l.size() <= 12) return l.toString();
        return l.subList(0, 12).toString().replace("]", ", ... (" + l.size() + " devices)]");
    }

    static void print(ScDesign sd, SimResult r) {
        System.out.printf("%s: %s, %d levels, bitstream %d, %s, fold %d, seed %d%n", sd.network().name(), sd.network().shape(),
                sd.network().levels(), r.bits, sd.config().encoding().key(), sd.config().fold(), r.seed);
        System.out.printf("accuracy (cycle-accurate SC hardware): %.2f %% (%d / %d test images)%n", 100 * r.accuracy(), r.correct, r.images);
        System.out.printf("architecture: %s%n", r.arch);
        System.out.printf("latency: %d cycles per inference = %.0f ns at %.1f ns per cycle; neuron activation %d cycle(s) = %.0f ns per hidden layer%n",
                r.cyclesPerInference, r.latencyNs(), r.clockNs, r.activationLatencyCycles, r.activationLatencyNs());
        if (!sd.config().dac().equals(scnn.generator.arch.DacModel.DEFAULT) && "analog".equals(r.arch)) System.out.printf("%s%n", sd.config().dac());
        if (sd.chip() != null) printChip(sd);
        System.out.printf("energy: %.1f pJ per inference%n", r.energyPjPerInference());
        r.energyPj.forEach((kk, v) -> System.out.printf("  %-12s %12.2f pJ%n", kk, v));
        System.out.printf("switching events per inference: %.0f s-MTJ samples, %.0f s-MTJ flips%n",
                (double) r.smtjSamples / r.images, (double) r.smtjFlips / r.images);
        System.out.printf("simulator: %.1f s on %d threads (compile %.2f s): %.3g synapse-bit-ops/s, %.3g image-cycles/s%n",
                r.wallSeconds, r.threads, r.compileSeconds, r.synapseBitOpsPerSecond(), r.imageCyclesPerSecond());
        long rss = SimResult.peakRssBytes();
        if (rss > 0) System.out.printf("peak resident memory: %.0f MiB%n", rss / (1024.0 * 1024.0));
    }
}
