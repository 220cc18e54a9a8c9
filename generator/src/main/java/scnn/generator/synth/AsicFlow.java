package scnn.generator.synth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scnn.core.io.ScnnException;
import scnn.generator.tools.Heap;

/**
 * The standard-cell flow: Yosys maps the generic netlist to a Liberty library
 * ({@code dfflibmap -liberty}, {@code abc -liberty}; black boxes stay instances), then OpenSTA
 * times it and estimates its power. The figures go into the {@code asic} object of
 * {@code synth.json}.
 */
public final class AsicFlow {
    private AsicFlow() {}

    /** Nominal input transition used for the per-toggle energies of the calibrated energy file, ns. */
    public static final double NOMINAL_SLEW_NS = 0.1;
    /** Loads per buffer of the trees on nets of more loads than ABC saw ({@link MappedNetlist#withFanoutBuffers}). */
    public static final int MAX_FANOUT = 16;

    /**
     * Yosys commands that continue a session in which {@code synth} has run (the design saved as
     * {@code generic}): map each module to the library, report, and write the mapped hierarchy to
     * {@code mapped.il} in {@code work}, for {@link #flattenScript}; ABC maps for the clock period {@code clockNs}.
     */
    static String yosysScript(Path lib, Path work, double clockNs) {
        String l = lib.toAbsolutePath().toString();
        long ps = Math.round(clockNs * 1000);
        return "design -load generic\n"
                + "dfflibmap -liberty " + l + "\n"
                // delay-driven mapping at the clock, then ABC's buffering and gate sizing (without them,
                // nets of thousands of loads, such as resets and enables, keep one minimum-size driver);
                // `cleanup` drops the mapped nodes without fanout that `map` can leave, on which
                // `buffer -p` aborts ("node N has no fanout": the 1h net at fold 64); without such nodes
                // it changes nothing
                + "abc -liberty " + l + " -D " + ps + " -script +strash;dch;map,-D," + ps + ";cleanup;buffer,-p;upsize,-D," + ps
                + ";dnsize,-D," + ps + ";stime,-p\n"
                + "opt_clean\n"
                + "setundef -zero\n"
                + "tee -q -o " + work.resolve("lib-stat.json") + " stat -json -liberty " + l + "\n"
                + "tee -q -o " + work.resolve("lib-stat.txt") + " stat -liberty " + l + "\n"
                + "write_rtlil " + work.resolve(MAPPED_HIERARCHY) + "\n";
    }

    /** The mapped hierarchy {@link #yosysScript} writes. */
    static final String MAPPED_HIERARCHY = "mapped.il";

    /**
     * A Yosys session of its own after {@link #yosysScript}: read the mapped hierarchy, flatten it and
     * write {@code mapped.json} into {@code work} ({@link #analyze} writes {@code mapped.v} from it:
     * Yosys' own Verilog backend took 141 of the 389 CPU seconds of Yosys on the full default net).
     * The flatten is the flow's largest Yosys step in memory (9.0 GB on the 3h net), so it runs alone,
     * after a {@code synth_xilinx} session that may run beside the mapping.
     */
    static String flattenScript(Path work) {
        return "read_rtlil " + work.resolve(MAPPED_HIERARCHY) + "\n"
                + "flatten\n"
                + "opt_clean\n"
                + "rename -enumerate\n"
                + "write_json " + work.resolve("mapped.json") + "\n";
    }

    /** Options of the analysis. */
    public record Options(double clockNs, Duration timeout, double defaultActivity) {}

    /**
     * Reads what Yosys wrote into {@code work} and runs OpenSTA. {@code activity} may be null (then
     * every input port and, through OpenSTA's propagation, every net gets a default activity).
     */
    static Map<String, Object> analyze(Path work, String top, Liberty lib, RtlClasses classes, Options opt, Activity activity,
                                       int cyclesPerInference, Map<String, String> logs) throws IOException {
        Map<String, Object> asic = new TreeMap<>();
        asic.put("liberty", lib.file().toString());
        asic.put("library", lib.name());
        asic.put("voltage_v", lib.nominalVoltage());
        Liberty stdcells = lib;
        List<Path> extraLibs = new ArrayList<>();
        Map<String, Double> steps = new LinkedHashMap<>();
        long ts = System.nanoTime();
        Map<String, Map<String, int[]>> boxes = BlackBoxLiberty.read(work.resolve("mapped.json"));
        if (BlackBoxLiberty.write(boxes, work.resolve("blackboxes.lib"))) {
            extraLibs.add(work.resolve("blackboxes.lib"));
            lib = lib.with(Liberty.read(work.resolve("blackboxes.lib")));
            logs.put("blackboxes.lib", Files.readString(work.resolve("blackboxes.lib")));
        }
        MappedNetlist net = MappedNetlist.read(work.resolve("mapped.json"), top);
        net.setDriverPins(lib);
        ts = step(steps, "read_netlist", ts);
        net.writePowerVerilog(work.resolve("mapped.v"), Map.of());
        // nets of more loads than ABC saw (black-box pins, ports of submodule instances: each module is
        // mapped on its own), on one small driver after flattening: a buffer tree of at most MAX_FANOUT loads
        int mapped = net.cells().size();
        Liberty.Cell buf = MappedNetlist.strongestBuffer(stdcells);
        if (buf != null) net = net.withFanoutBuffers(lib, buf, MAX_FANOUT);
        int buffers = net.cells().size() - mapped;
        Path timingV = work.resolve("mapped.v");
        if (buffers > 0) {
            timingV = work.resolve("buffered.v");
            net.writePowerVerilog(timingV, Map.of());
        }
        ts = step(steps, "fanout_buffers", ts);
        Map<String, Object> fb = new TreeMap<>();
        fb.put("cell", buf == null ? null : buf.name());
        fb.put("max_fanout", MAX_FANOUT);
        fb.put("buffers", (long) buffers);
        fb.put("area_um2", buf == null ? 0.0 : round(buffers * buf.area(), 3));
        asic.put("fanout_buffers", fb);
        Map<String, Long> byType = net.countByType();
        double area = 0;
        long ffs = 0, unknown = 0;
        Set<String> unknownTypes = new java.util.TreeSet<>();
        for (Map.Entry<String, Long> e : byType.entrySet()) {
            Liberty.Cell c = stdcells.cell(e.getKey());
            if (c == null) {
                unknown += e.getValue();
                unknownTypes.add(e.getKey());
                continue;
            }
            area += c.area() * e.getValue();
            if (c.sequential()) ffs += e.getValue();
        }
        asic.put("area_um2", round(area, 3));
        asic.put("cells", (long) net.cells().size());
        asic.put("cells_by_type", byType);
        asic.put("flip_flops", ffs);
        asic.put("black_boxes", unknown);
        asic.put("black_box_types", new ArrayList<>(unknownTypes));
        String statTxt = Files.readString(work.resolve("lib-stat.txt"));
        logs.put("lib-stat.txt", statTxt);
        asic.put("yosys_area_um2", yosysArea(statTxt, top));
        asic.put("modules", modules(work.resolve("lib-stat.json"), stdcells));

        // hardware classes: each cell in the class of the named net it drives, or of the nearest one it feeds
        String[] cls = net.classify(lib, classes::classOf);
        Map<String, Double> areaByClass = new TreeMap<>();
        Map<String, Long> cellsByClass = new TreeMap<>();
        for (int i = 0; i < cls.length; i++) {
            Liberty.Cell c = lib.cell(net.cells().get(i).type());
            areaByClass.merge(cls[i], c == null ? 0 : c.area(), Double::sum);
            cellsByClass.merge(cls[i], 1L, Long::sum);
        }
        areaByClass.replaceAll((k, v) -> round(v, 3));
        asic.put("area_by_class_um2", areaByClass);
        asic.put("cells_by_class", cellsByClass);

        ts = step(steps, "area_and_classes", ts);
        // the heap grew to its limit reading mapped.json; OpenSTA needs the memory more (3h net: 6.4 GB each)
        long[] heap = Heap.release();
        Map<String, Object> heapMib = new TreeMap<>();
        heapMib.put("committed_after_reading", heap[0] >> 20);
        heapMib.put("committed_beside_opensta", heap[1] >> 20);
        asic.put("jvm_heap_mib", heapMib);
        ts = step(steps, "heap_release", ts);
        // timing
        Sta.Timing t = Sta.timing(work, stdcells, extraLibs, timingV, top, opt.clockNs(), opt.timeout());
        logs.put("sta-timing.log", Files.readString(work.resolve("timing.log")));
        Map<String, Object> timing = Sta.toMap(t);
        timing.put("path_in_netlist", net.isPath(t.pins()));
        asic.put("timing", timing);
        ts = step(steps, "sta_timing", ts);

        // power: activities from the simulation where the nets survive, the default elsewhere
        Map<Integer, String> cut = new LinkedHashMap<>();
        Map<String, Double> portAct = new LinkedHashMap<>();
        long matchedReg = 0, matchedPort = 0, unmatched = 0;
        List<String> missed = new ArrayList<>();
        long inBoxes = 0;
        Set<String> boxInstances = new java.util.HashSet<>();
        for (MappedNetlist.Inst c : net.cells()) if (stdcells.cell(c.type()) == null) boxInstances.add(c.name());
        Set<Integer> inputBits = new java.util.HashSet<>();
        for (MappedNetlist.Port p : net.ports().values()) if (p.direction().equals("input")) for (int b : p.bits()) inputBits.add(b);
        if (activity != null) {
            int k = 0;
            for (Map.Entry<String, Double> e : activity.togglesPerCycle().entrySet()) {
                String name = e.getKey();
                MappedNetlist.Port port = net.ports().get(name.replaceAll("\\[\\d+\\]$", ""));
                if (port != null && port.direction().equals("input") && !name.equals("clk")) {
                    String pn = port.bits().length > 1 ? name : port.name();
                    if (port.bits().length == 1 && name.contains("[")) pn = port.name();
                    portAct.put(pn, e.getValue());
                    matchedPort++;
                    continue;
                }
                if (insideBlackBox(name, boxInstances)) {
                    // state of a cell that the netlist has as a black box (the s-MTJ model's registers)
                    inBoxes++;
                    continue;
                }
                int b = net.bit(name);
                if (b < 2 || inputBits.contains(b) || cut.containsKey(b)) {
                    unmatched++;
                    if (missed.size() < 10) missed.add(name);
                    continue;
                }
                String an = "act_" + (k++);
                cut.put(b, an);
                portAct.put(an, e.getValue());
                matchedReg++;
            }
        }
        Path powerV = work.resolve("power.v");
        net.writePowerVerilog(powerV, cut);
        Heap.release();
        ts = step(steps, "power_netlist", ts);
        Sta.Power pw;
        boolean constantsAsNets = false;
        try {
            pw = Sta.power(work, stdcells, extraLibs, powerV, top, opt.clockNs(), portAct, opt.defaultActivity(), opt.timeout());
        } catch (Sta.Crashed e) {
            // OpenSTA 2.0.17 can crash in report_power's constant propagation (e.g. the 64-4-10 test net
            // at fold 2): once more with the constants as undriven nets, which carry no activity either
            constantsAsNets = true;
            net.writePowerVerilog(powerV, cut, true);
            pw = Sta.power(work, stdcells, extraLibs, powerV, top, opt.clockNs(), portAct, opt.defaultActivity(), opt.timeout());
        }
        ts = step(steps, "sta_power", ts);
        logs.put("sta-power.log", Files.readString(work.resolve("power.log")));
        logs.put("power.tcl", Files.readString(work.resolve("power.tcl")));
        if (Files.size(powerV) < 50_000_000) logs.put("power.v", Files.readString(powerV));
        Map<String, Object> power = new TreeMap<>();
        double[] tot = pw.total();
        power.put("internal_w", tot[0]);
        power.put("switching_w", tot[1]);
        power.put("leakage_w", tot[2]);
        power.put("total_w", tot[3]);
        power.put("dynamic_w", tot[0] + tot[1]);
        Map<String, Object> groups = new TreeMap<>();
        for (Map.Entry<String, double[]> e : pw.groups().entrySet()) {
            if (e.getKey().equals("Total")) continue;
            groups.put(e.getKey().toLowerCase(), Map.of("internal_w", e.getValue()[0], "switching_w", e.getValue()[1],
                    "leakage_w", e.getValue()[2], "total_w", e.getValue()[3]));
        }
        power.put("groups", groups);
        // per hardware class: the instances' power summed by the class the area attribution gave them
        Map<String, Double> inst = Sta.instancePower(work.resolve("power-instances.txt"));
        Map<String, Double> byClassW = new TreeMap<>();
        for (int i = 0; i < cls.length; i++) {
            Double w = inst.get(net.cells().get(i).name());
            if (w != null) byClassW.merge(cls[i], w, Double::sum);
        }
        power.put("by_class_w", byClassW);
        power.put("clock_ns", opt.clockNs());
        power.put("constants", constantsAsNets ? "undriven nets (OpenSTA crashed on the netlist with literal constants)" : "literal");
        Map<String, Object> act = new TreeMap<>();
        act.put("source", activity == null ? "default" : activity.source());
        act.put("default_activity", opt.defaultActivity());
        act.put("nets_from_simulation", matchedReg);
        act.put("ports_from_simulation", matchedPort);
        act.put("simulated_nets_not_in_netlist", unmatched);
        act.put("not_in_netlist_examples", missed);
        act.put("simulated_bits_inside_black_boxes", inBoxes);
        act.put("note", "transitions per clock cycle; simulated rates are set on the flip-flop outputs and ports that survive synthesis "
                + "(duty 0.5); OpenSTA propagates them through the combinational logic; inputs without a simulated rate get default_activity");
        power.put("activity", act);
        double cycleS = opt.clockNs() * 1e-9;
        if (cyclesPerInference > 0) {
            power.put("cycles_per_inference", cyclesPerInference);
            power.put("logic_energy_pj_per_inference", tot[3] * cycleS * cyclesPerInference * 1e12);
            power.put("dynamic_energy_pj_per_inference", (tot[0] + tot[1]) * cycleS * cyclesPerInference * 1e12);
            power.put("leakage_energy_pj_per_inference", tot[2] * cycleS * cyclesPerInference * 1e12);
            Map<String, Double> byClassPj = new TreeMap<>();
            byClassW.forEach((k, w) -> byClassPj.put(k, w * cycleS * cyclesPerInference * 1e12));
            power.put("energy_by_class_pj_per_inference", byClassPj);
        }
        asic.put("power", power);
        asic.put("calibrated_energy", calibratedEnergy(net, lib, tot[2] * cycleS * cyclesPerInference * 1e12));
        step(steps, "power_and_energy", ts);
        asic.put("seconds_by_step", steps);
        return asic;
    }

    /** Records the wall seconds since {@code t0} under {@code name}; returns now. */
    private static long step(Map<String, Double> steps, String name, long t0) {
        long now = System.nanoTime();
        steps.put(name, round((now - t0) / 1e9, 2));
        return now;
    }

    /** Whether the RTL name {@code name} is inside one of the instances {@code boxes} ({@code inst.reg[3]} for inst). */
    static boolean insideBlackBox(String name, Set<String> boxes) {
        if (boxes.isEmpty()) return false;
        for (int i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1))
            if (boxes.contains(name.substring(0, i))) return true;
        return false;
    }

    /** "Chip area for (top) module '\top': X" from Yosys' text statistics. */
    static Double yosysArea(String statTxt, String top) {
        Matcher m = Pattern.compile("Chip area for (?:top )?module '\\\\?" + Pattern.quote(top) + "': ([0-9.]+)").matcher(statTxt);
        Double last = null;
        while (m.find()) last = Double.parseDouble(m.group(1));
        return last;
    }

    /** Per module of the hierarchy: its own cells' area, cells, flip-flops and the submodules it instantiates. */
    static Map<String, Object> modules(Path statJson, Liberty lib) throws IOException {
        JsonNode j = YosysSynth.readStat(statJson);
        Map<String, Object> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = j.path("modules").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().startsWith("\\") ? e.getKey().substring(1) : e.getKey();
            double a = 0;
            long cells = 0, ffs = 0;
            Map<String, Long> subs = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> ct = e.getValue().path("num_cells_by_type").fields(); ct.hasNext(); ) {
                Map.Entry<String, JsonNode> c = ct.next();
                Liberty.Cell lc = lib.cell(c.getKey());
                long n = c.getValue().asLong();
                if (lc == null) {
                    subs.put(c.getKey().startsWith("\\") ? c.getKey().substring(1) : c.getKey(), n);
                    continue;
                }
                cells += n;
                a += n * lc.area();
                if (lc.sequential()) ffs += n;
            }
            Map<String, Object> m = new TreeMap<>();
            m.put("area_um2", round(a, 3));
            m.put("cells", cells);
            m.put("flip_flops", ffs);
            m.put("instances", subs);
            out.put(name, m);
        }
        return out;
    }

    /**
     * Per-toggle energies of the mapped cells for the event model ({@code --energy}): the
     * instance-weighted mean of each cell's internal energy per output transition (the library's
     * tables at the instance's load and a {@value #NOMINAL_SLEW_NS} ns input transition) plus the
     * switching energy C V^2 / 2 of its load; for flip-flops the same for Q, and per clock cycle the
     * clock pin's internal energy (rise + fall) plus C V^2 of the clock pin.
     */
    static Map<String, Object> calibratedEnergy(MappedNetlist net, Liberty lib, double leakagePjPerInference) {
        double v2 = lib.nominalVoltage() * lib.nominalVoltage();
        double eu = lib.energyUnitPj(), cu = lib.capacitanceUnitPf();
        Map<Integer, Double> load = new HashMap<>();
        for (MappedNetlist.Inst c : net.cells()) {
            Liberty.Cell lc = lib.cell(c.type());
            if (lc == null) continue;
            for (int k = 0; k < c.pins().length; k++) {
                Liberty.Pin p = lc.pins().get(c.pins()[k]);
                if (p == null || !p.direction().equals("input")) continue;
                for (int b : c.bits()[k]) if (b >= 2) load.merge(b, p.capacitancePf() * cu, Double::sum);
            }
        }
        double gateSum = 0, ffQSum = 0, ffClkSum = 0;
        long gates = 0, ffs = 0;
        for (MappedNetlist.Inst c : net.cells()) {
            Liberty.Cell lc = lib.cell(c.type());
            if (lc == null) continue;
            double e = 0;
            int outs = 0;
            for (int k = 0; k < c.pins().length; k++) {
                Liberty.Pin p = lc.pins().get(c.pins()[k]);
                if (p == null || !p.direction().equals("output")) continue;
                double cl = 0;
                for (int b : c.bits()[k]) cl += load.getOrDefault(b, 0.0);
                double internal = 0;
                int arcs = 0;
                for (Liberty.EnergyTable t : lc.energy())
                    if (t.pin().equals(p.name())) {
                        internal += t.energy(cl / cu, NOMINAL_SLEW_NS) * eu;
                        arcs++;
                    }
                e += (arcs == 0 ? 0 : internal / arcs) + 0.5 * cl * v2;
                outs++;
            }
            if (outs == 0) continue;
            if (lc.sequential()) {
                ffQSum += e;
                double clk = 0;
                for (Liberty.Pin p : lc.inputs()) {
                    if (!p.clock()) continue;
                    for (Liberty.EnergyTable t : lc.energy()) if (t.pin().equals(p.name())) clk += 2 * t.energy(0, NOMINAL_SLEW_NS) * eu;
                    clk += p.capacitancePf() * cu * v2;
                }
                ffClkSum += clk;
                ffs++;
            } else {
                gateSum += e;
                gates++;
            }
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("gate_toggle_pj", gates == 0 ? 0 : gateSum / gates);
        m.put("ff_toggle_pj", ffs == 0 ? 0 : ffQSum / ffs);
        m.put("ff_clock_pj", ffs == 0 ? 0 : ffClkSum / ffs);
        m.put("_leakage_pj_per_inference", leakagePjPerInference);
        m.put("_source", "per-toggle energies of the mapped cells of " + lib.name() + " (" + lib.file().getFileName() + ") at "
                + lib.nominalVoltage() + " V: instance-weighted mean internal energy per output transition at the instance's load and a "
                + NOMINAL_SLEW_NS + " ns input transition, plus C V^2 / 2 of the load (no wire load); clock: clock-pin internal energy and "
                + "C V^2 per cycle; leakage is not an event and is not in the event model");
        return m;
    }

    static double round(double x, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(x * s) / s;
    }
}
