package scnn.generator.synth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import scnn.core.io.ScnnException;
import scnn.generator.tools.Tools;

/**
 * Xilinx 7-series resources: Yosys {@code synth_xilinx -family xc7} (LUTs, flip-flops, CARRY4,
 * block RAM, DSP48E1) and which common parts the design fits. Black boxes stay instances and cost
 * nothing here; a behavioural s-MTJ model is logic like any other.
 */
public final class Xc7Flow {
    private Xc7Flow() {}

    /** A 7-series part: LUTs, flip-flops, slices (one CARRY4 each), 36 kb block RAMs, DSP48E1 slices (Xilinx DS180). */
    public record Part(String name, long luts, long flipFlops, long slices, double bram36, long dsp) {}

    public static final List<Part> PARTS = List.of(
            new Part("xc7a35t", 20_800, 41_600, 5_200, 50, 90),
            new Part("xc7a100t", 63_400, 126_800, 15_850, 135, 240),
            new Part("xc7k325t", 203_800, 407_600, 50_950, 445, 840));

    /** LUTs a distributed-RAM or shift-register primitive occupies. */
    private static final Map<String, Integer> LUTRAM = Map.ofEntries(
            Map.entry("RAM32M", 4), Map.entry("RAM64M", 4), Map.entry("RAM32X1D", 2), Map.entry("RAM64X1D", 2),
            Map.entry("RAM128X1D", 4), Map.entry("RAM32X1S", 1), Map.entry("RAM64X1S", 1), Map.entry("RAM128X1S", 2),
            Map.entry("RAM256X1S", 4), Map.entry("SRL16E", 1), Map.entry("SRLC32E", 1));

    static Map<String, Object> run(Path dir, Path work, String top, String readCmd, Duration timeout, Map<String, String> logs) throws IOException {
        long t0 = System.nanoTime();
        Path stat = work.resolve("xc7-stat.json");
        // synth_xilinx without its SAT-based resource sharing (share), which spends minutes on the
        // hundreds of parallel pixel-RAM read ports and finds nothing to share: its coarse step by hand
        String script = readCmd + "\nsynth_xilinx -top " + top + " -family xc7 -run begin:coarse\n"
                + "techmap -map +/cmp2lut.v -map +/cmp2lcu.v -D LUT_WIDTH=6\nalumacc\nopt\nmemory -nomap\nopt_clean\n"
                + "synth_xilinx -top " + top + " -family xc7 -run map_memory:\ntee -q -o " + stat + " stat -json\n";
        Path ys = work.resolve("xc7.ys");
        Files.writeString(ys, script);
        Tools.Result r = Tools.run(dir, timeout, "yosys", "-q", "-d", "-l", work.resolve("xc7-yosys.log").toString(), "-s", ys.toString());
        logs.put("xc7-yosys.log", Files.exists(work.resolve("xc7-yosys.log")) ? Files.readString(work.resolve("xc7-yosys.log")) : r.output());
        if (!r.ok())
            throw new ScnnException(r.timedOut() ? "synth_xilinx did not finish within " + timeout.toMinutes() + " min"
                    : "synth_xilinx failed: " + YosysSynth.firstError(r.output()));
        JsonNode j = YosysSynth.readStat(stat);
        logs.put("xc7-stat.json", Files.readString(stat));
        JsonNode d = j.path("design");
        Map<String, Long> byType = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.path("num_cells_by_type").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byType.put(e.getKey(), e.getValue().asLong());
        }
        Map<String, Object> m = summarize(byType);
        m.put("seconds", AsicFlow.round((System.nanoTime() - t0) / 1e9, 2));
        return m;
    }

    /** Resource counts and part fits from the cell types of a synth_xilinx netlist. */
    static Map<String, Object> summarize(Map<String, Long> byType) {
        long luts = 0, lutram = 0, ffs = 0, carry = 0, dsp = 0, muxf = 0, blackBoxes = 0;
        double bram = 0;
        for (Map.Entry<String, Long> e : byType.entrySet()) {
            String t = e.getKey();
            long n = e.getValue();
            if (t.matches("LUT[1-6]")) luts += n;
            else if (LUTRAM.containsKey(t)) lutram += n * LUTRAM.get(t);
            else if (t.matches("FD[RSCP]E(_1)?|FDRE|LDCE|LDPE")) ffs += n;
            else if (t.equals("CARRY4")) carry += n;
            else if (t.equals("RAMB36E1")) bram += n;
            else if (t.equals("RAMB18E1")) bram += n / 2.0;
            else if (t.startsWith("DSP48")) dsp += n;
            else if (t.startsWith("MUXF")) muxf += n;
            else if (!t.matches("IBUF|OBUF|BUFG|IOBUF|INV|GND|VCC|\\$.*")) blackBoxes += n;
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("cells_by_type", byType);
        m.put("luts", luts);
        m.put("lutram_luts", lutram);
        m.put("flip_flops", ffs);
        m.put("carry4", carry);
        m.put("muxf", muxf);
        m.put("bram36", bram);
        m.put("dsp48", dsp);
        m.put("black_boxes", blackBoxes);
        Map<String, Object> fits = new LinkedHashMap<>();
        for (Part p : PARTS) {
            Map<String, Object> f = new TreeMap<>();
            boolean ok = luts + lutram <= p.luts() && ffs <= p.flipFlops() && carry <= p.slices() && bram <= p.bram36() && dsp <= p.dsp();
            f.put("fits", ok);
            f.put("lut_percent", AsicFlow.round(100.0 * (luts + lutram) / p.luts(), 1));
            f.put("ff_percent", AsicFlow.round(100.0 * ffs / p.flipFlops(), 1));
            f.put("carry4_percent", AsicFlow.round(100.0 * carry / p.slices(), 1));
            f.put("bram_percent", AsicFlow.round(100.0 * bram / p.bram36(), 1));
            f.put("dsp_percent", AsicFlow.round(100.0 * dsp / p.dsp(), 1));
            fits.put(p.name(), f);
        }
        m.put("parts", fits);
        String smallest = null;
        for (Part p : PARTS) if (Boolean.TRUE.equals(((Map<?, ?>) fits.get(p.name())).get("fits"))) {
            smallest = p.name();
            break;
        }
        m.put("smallest_part", smallest);
        return m;
    }
}
