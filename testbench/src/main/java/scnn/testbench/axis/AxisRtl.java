package scnn.testbench.axis;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import scnn.core.io.OutputPolicy;
import scnn.core.io.ScnnException;
import scnn.generator.arch.ScDesign;
import scnn.generator.axis.AxisTop;
import scnn.generator.verilog.RtlWriter;
import scnn.testbench.RtlDir;

/**
 * The RTL directory of a design with its AXI4-Stream top: {@code <top>} as before ({@code files.f},
 * the manifest's {@code top}, {@code files}, {@code ports}), and beside it {@code <top>_axis} with
 * its core {@code <top>_axis_core} (sharing the s-MTJ cell module), its file list
 * {@code <top>_axis.f}, the manifest's {@code further_tops.<top>_axis} and the keys
 * {@code axis_top}, {@code axis_pixels_per_beat}, {@code axis_beats_per_image},
 * {@code axis_interval_cycles} and {@code axis_latency_cycles}.
 */
public final class AxisRtl {
    private AxisRtl() {}

    /** Writes the directory (see the class comment); {@code facts} are the core's manifest facts. */
    public static List<Path> write(ScDesign sd, AxisTop.Axis ax, Path dir, Map<String, Object> facts, OutputPolicy.Replace replace,
                                   Set<String> blackboxCells) {
        Map<String, Object> all = new TreeMap<>(facts);
        for (Map.Entry<String, Object> e : ax.manifestFacts().entrySet())
            if (all.put(e.getKey(), e.getValue()) != null) throw new IllegalArgumentException("manifest key " + e.getKey() + " given twice");
        return RtlWriter.write(sd.design(), List.of(ax.design()), dir, all, replace, blackboxCells);
    }

    /** The AXI top of an RTL directory, as its manifest lists it. */
    public static RtlDir read(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path mf = abs.resolve(RtlWriter.MANIFEST);
        JsonNode m = RtlDir.manifest(abs);
        String top = m.path("axis_top").asText(null);
        if (top == null) throw new ScnnException(mf + ": has no AXI4-Stream top (axis_top); generate the RTL again");
        JsonNode e = m.path("further_tops").path(top);
        JsonNode files = e.path("files");
        if (!files.isArray() || files.size() < 1) throw new ScnnException(mf + ": lists no files of " + top);
        List<Path> vs = new ArrayList<>();
        for (JsonNode f : files) {
            Path v = abs.resolve(f.asText()).normalize();
            if (!v.getParent().equals(abs)) throw new ScnnException(mf + ": file " + f.asText() + " is not in the RTL directory");
            if (!Files.isRegularFile(v)) throw new ScnnException(v + ": missing (listed in " + mf + ")");
            vs.add(v);
        }
        JsonNode md = e.path("mem_dir_parameter");
        return new RtlDir(abs, top, List.copyOf(vs), md.isTextual() ? md.asText() : null);
    }
}
