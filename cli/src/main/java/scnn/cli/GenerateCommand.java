package scnn.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scnn.generator.arch.ScDesign;
import scnn.generator.verilog.RtlWriter;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate the SC hardware of a weights file as Verilog-2005: sources, file list (files.f), "
                + "memory init files and manifest.json, written atomically into rtl-out/<name>/ (or --out DIR); beside the core <top>, "
                + "the AXI4-Stream top <top>_axis (file list <top>_axis.f).")
final class GenerateCommand implements Callable<Integer> {
    @Mixin DesignOptions design;
    @Mixin ForceOption force;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: rtl-out/<network name>/).")
    Path out;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "java",
            description = "Who prints the Verilog: java (the built-in emitter) or chisel (the design elaborated in Chisel, "
                    + "FIRRTL and SystemVerilog written into <dir>/chisel/). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--json", description = "Print one JSON object (the manifest) instead of text.")
    boolean json;

    @Option(names = "--smtj-cell", paramLabel = "C", defaultValue = "behavioural",
            description = "How the s-MTJ cell <top>_smtj is written: behavioural (the telegraph model that the simulator runs) "
                    + "or blackbox (an empty (* blackbox *) module with the same pins, for the device macro of an ASIC flow). "
                    + "Default: ${DEFAULT-VALUE}.")
    String smtjCell;

    @Override
    public Integer call() {
        if (!backend.equals("java") && !backend.equals("chisel"))
            throw new scnn.core.io.UsageException("--backend " + backend + " is not available (java, chisel)");
        if (!smtjCell.equals("behavioural") && !smtjCell.equals("blackbox"))
            throw new scnn.core.io.UsageException("--smtj-cell: " + smtjCell + " is not a cell form (behavioural, blackbox)");
        if (smtjCell.equals("blackbox") && backend.equals("chisel"))
            throw new scnn.core.io.UsageException("--smtj-cell blackbox: only the java backend writes the cell as a black box");
        long t0 = System.nanoTime();
        ScDesign sd = design.build();
        Path dir = Paths.rtlDir(out, sd.network().name());
        scnn.core.io.OutputPolicy.checkDirectory(dir, force.replace());
        if (backend.equals("chisel")) {
            scnn.core.io.OutputPolicy.checkDirectory(dir.resolve("chisel"), force.replace());
            return chisel(sd, dir.resolve("chisel"), t0);
        }
        java.util.Map<String, Object> facts = new java.util.TreeMap<>(sd.manifestFacts());
        facts.put("smtj_cell", smtjCell);
        scnn.generator.axis.AxisTop.Axis ax = design.axis(sd);
        List<Path> files = scnn.testbench.axis.AxisRtl.write(sd, ax, dir, facts, force.replace(),
                smtjCell.equals("blackbox") ? java.util.Set.of(ScDesign.SMTJ_CELL) : java.util.Set.of());
        double s = (System.nanoTime() - t0) / 1e9;
        if (json) {
            try {
                ObjectNode m = (ObjectNode) Json.MAPPER.readTree(dir.resolve(RtlWriter.MANIFEST).toFile());
                m.put("directory", dir.toString());
                m.put("generate_s", s);
                Json.print(m);
            } catch (java.io.IOException e) {
                throw new scnn.core.io.ScnnException(dir + ": cannot read back the manifest (" + e.getMessage() + ")");
            }
        } else {
            System.out.printf("generated %s (%s, %d levels, %,d synapses, %,d s-MTJ sources) in %.2f s%n",
                    sd.design().name(), sd.network().shape(), sd.network().levels(), sd.network().synapses(), sd.totalSources(), s);
            System.out.printf("  %d files in %s%n", files.size(), dir);
            System.out.printf("  bitstream length %d, %s, fold %d, seed %d: %d cycles per inference (%.0f ns at %.1f ns/cycle)%n",
                    sd.config().bits(), sd.config().encoding().key(), sd.config().fold(), sd.config().seed(),
                    sd.cyclesPerInference(), sd.latencyNs(), sd.config().device().clockNs());
            System.out.printf("  AXI4-Stream top %s (%s.f): %d pixels a beat, %d beats an image; a result every %d cycles without stalls, "
                            + "%d cycles from first beat to result%n", ax.design().name(), ax.design().name(), ax.pixelsPerBeat(), ax.beatsPerImage(),
                    ax.intervalCycles(), ax.latencyCycles());
        }
        return 0;
    }

    private int chisel(ScDesign sd, Path dir, long t0) {
        scnn.chisel.ChiselBackend.Result r = scnn.chisel.ChiselBackend.emit(sd.design(), dir);
        double s = (System.nanoTime() - t0) / 1e9;
        if (json) {
            ObjectNode m = Json.MAPPER.createObjectNode();
            m.put("backend", "chisel");
            m.put("top", r.top());
            m.put("directory", dir.toString());
            m.put("firrtl", r.firrtl().getFileName().toString());
            m.put("verilog", r.verilog().getFileName().toString());
            m.put("elaborate_s", r.elaborateSeconds());
            m.put("generate_s", s);
            Json.print(m);
        } else {
            System.out.printf("generated %s with the Chisel backend (%s, %d levels, %,d synapses) in %.2f s (elaboration and firtool %.2f s)%n",
                    r.top(), sd.network().shape(), sd.network().levels(), sd.network().synapses(), s, r.elaborateSeconds());
            System.out.printf("  %s, %s, files.f in %s%n", r.firrtl().getFileName(), r.verilog().getFileName(), dir);
        }
        return 0;
    }
}
