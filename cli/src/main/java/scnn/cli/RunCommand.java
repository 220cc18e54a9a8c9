package scnn.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scnn.core.io.AtomicFiles;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.model.ReferenceModel;
import scnn.generator.arch.ScDesign;
import scnn.generator.verilog.RtlWriter;
import scnn.sim.EnergyModel;
import scnn.sim.SimResult;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The main job on the shipped defaults: fetch MNIST, generate the RTL of the default network into rtl-out/<name>/,",
                "simulate the whole test set cycle by cycle, print the summary and write a report (report.json and energy.png) next to the RTL."})
final class RunCommand implements Callable<Integer> {
    @Mixin DesignOptions design;
    @Mixin ForceOption force;
    @Mixin DataOptions data;

    @Option(names = "--images", paramLabel = "K", description = "Simulate the first K test images (default: all 10,000).")
    Integer images;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "Simulator threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        MnistFiles files = data.files();
        String fetched = files.ensure();
        if (!json) System.out.println(fetched);
        // with --dataset fashion-mnist and no --weights, the default is the shipped Fashion-MNIST net
        if (design.weights == null && files.kind() == MnistFiles.Kind.FASHION_MNIST)
            design.weights = Paths.root().resolve("weights").resolve("fashion-mnist-1h-L5-sc.json");
        ScDesign sd = design.build();
        Path dir = Paths.rtlDir(null, sd.network().name());
        scnn.core.io.OutputPolicy.checkDirectory(dir, force.replace());
        scnn.generator.axis.AxisTop.Axis axd = design.axis(sd);
        scnn.testbench.axis.AxisRtl.write(sd, axd, dir, sd.manifestFacts(), force.replace(), java.util.Set.of());
        if (!json) System.out.println("RTL written to " + dir + " (" + sd.design().name() + ".v, files.f, manifest.json)");
        MnistSet test = data.test(sd.network(), design.weightsPath());
        int k = DataOptions.images(images, test);
        ReferenceModel.Evaluation ref = new ReferenceModel(sd.network()).evaluate(test, k);
        SimResult r = SimulateCommand.simulate(sd, test, k, threads, EnergyModel.DEFAULT, !json);
        AxisFigures ax = AxisFigures.of(axd, test, r.clockNs);
        ObjectNode rep = r.toJson(Json.MAPPER, false);
        ax.put(rep);
        rep.put("network", sd.network().name());
        rep.put("weights", design.weightsPath().toString());
        rep.put("reference_accuracy", ref.accuracy());
        rep.put("rtl_dir", dir.toString());
        rep.set("energy_model", EnergyModel.DEFAULT.forDesign(sd.config()).toJson(Json.MAPPER));
        try {
            AtomicFiles.writeString(dir.resolve("report.json"), Json.MAPPER.writeValueAsString(rep) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Plots.energyBreakdown(r.energyPj, sd.network().name() + ": energy per inference by class (" + r.bits + " bits)", dir.resolve("energy.png"));
        if (json) {
            Json.print(rep);
        } else {
            SimulateCommand.print(sd, r);
            ax.print(r.cyclesPerInference);
            System.out.printf("software reference (infinite bitstream) accuracy: %.2f %%%n", 100 * ref.accuracy());
            System.out.println("report: " + dir.resolve("report.json") + ", plot: " + dir.resolve("energy.png"));
        }
        return 0;
    }
}
