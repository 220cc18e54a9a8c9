package scnn.generator.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.generator.tools.Tools;
import scnn.generator.verilog.RtlWriter;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/** The standard-cell flow (Yosys + OSU 0.18 um + OpenSTA) on small SC neuron arrays: figures checked against each other. */
class AsicFlowTest {
    @TempDir
    Path tmp;

    /**
     * {@code n} neurons of {@code in} inputs: product bits x AND w_i (constant weight masks),
     * popcount, 10-bit accumulator register per neuron; output: the parity of every accumulator.
     */
    static Design neurons(int n, int in) {
        Design d = new Design("syn_neurons");
        Node x = d.input("x", in);
        SplittableRandom r = new SplittableRandom(7);
        Bits[] w = new Bits[n];
        for (int i = 0; i < n; i++) w[i] = Bits.of(in, r.nextLong() & ((1L << in) - 1));
        Node masks = d.constArray("w", Tag.MEMORY, in, w);
        Node prod = d.op("prod", Tag.MULTIPLIER, Op.AND, in, n, new int[0], Ref.of(x), Ref.of(masks));
        Node pc = d.op("pc", Tag.ACCUMULATOR, Op.POPCOUNT, 10, n, new int[0], Ref.of(prod));
        Node acc = d.reg("acc", Tag.ACCUMULATOR, 10, n, Bits.of(10, 0));
        Node sum = d.op("acc_next", Tag.ACCUMULATOR, Op.ADD, 10, n, new int[0], Ref.of(acc), Ref.of(pc));
        d.connect(acc, Ref.of(sum), null);
        Node par = d.op("par", Tag.REQUANTIZER, Op.RED_XOR, 1, n, new int[0], Ref.of(acc));
        Node y = d.op("y", Tag.REQUANTIZER, Op.PACK, n, 1, new int[0], Ref.array(par));
        d.output("y_out", y);
        return d;
    }

    private Map<String, Object> run(int n, Double clockNs, Activity activity) {
        Path dir = tmp.resolve("n" + n + "-" + clockNs + "-" + (activity != null));
        RtlWriter.write(neurons(n, 12), dir, Map.of("cycles_per_inference", 20));
        YosysSynth.Options opt = YosysSynth.Options.defaults().withPnr(false).withLiberty(Liberty.OSU018).withClockNs(clockNs).withActivity(activity);
        return YosysSynth.run(dir, opt);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Map<String, Object> m, String k) {
        return (Map<String, Object>) m.get(k);
    }

    @Test
    @SuppressWarnings("unchecked")
    void areaTimingAndPowerAreConsistent() throws IOException {
        Tools.need("yosys", "sta", Liberty.OSU018.toString());
        Map<String, Object> r = run(4, 5.0, null);
        Map<String, Object> asic = obj(r, "asic");
        Liberty lib = Liberty.read(Liberty.OSU018);

        // area = sum of the mapped cells' library areas, and what Yosys' own statistics say
        double sum = 0;
        for (Map.Entry<String, Long> e : ((Map<String, Long>) asic.get("cells_by_type")).entrySet())
            sum += lib.cell(e.getKey()).area() * e.getValue();
        assertEquals(sum, (Double) asic.get("area_um2"), 1e-6);
        // Yosys' own figure plus the fanout trees scnn adds after flattening (the clock of the 40 flip-flops)
        assertEquals((Double) asic.get("yosys_area_um2") + (Double) obj(asic, "fanout_buffers").get("area_um2"), (Double) asic.get("area_um2"), 1e-6);
        double byClass = 0;
        for (Object v : ((Map<String, Object>) asic.get("area_by_class_um2")).values()) byClass += (Double) v;
        assertEquals(sum, byClass, 1e-3);
        Map<String, Object> area = (Map<String, Object>) asic.get("area_by_class_um2");
        assertTrue(area.containsKey("accumulator") && area.containsKey("requantizer"), () -> "classes: " + area);
        // 4 neurons x 10 accumulator bits, nothing else holds state
        assertEquals(40L, asic.get("flip_flops"));
        assertEquals(40L, ((Map<String, Long>) asic.get("cells_by_type")).get("DFFPOSX1"));
        double ffArea = 40 * lib.cell("DFFPOSX1").area();
        assertTrue((Double) area.get("accumulator") >= ffArea, "the accumulator class holds the 40 flip-flops");

        // timing: slack = T - setup - arrival, fmax = 1 / (T - slack), the path is one of the netlist
        Map<String, Object> t = obj(asic, "timing");
        double T = (Double) t.get("clock_ns"), slack = (Double) t.get("slack_ns"), delay = (Double) t.get("delay_ns"), setup = (Double) t.get("setup_ns");
        assertEquals(5.0, T);
        assertEquals(T - setup - delay, slack, 2e-4);
        assertEquals(1000.0 / (T - slack), (Double) t.get("fmax_mhz"), 1e-6);
        assertEquals(true, t.get("path_in_netlist"), () -> "path " + t.get("pins") + " in " + r.get("top"));
        List<String> pins = (List<String>) t.get("pins");
        assertTrue(pins.size() >= 3, () -> "path: " + pins);
        MappedNetlist net = MappedNetlist.read(writeMappedJson(r), "syn_neurons");
        net.setDriverPins(lib);
        assertTrue(net.isPath(pins), "the same path in a second mapping of the same RTL (names are deterministic)");
        List<String> reversed = new ArrayList<>(pins);
        java.util.Collections.reverse(reversed);
        assertFalse(net.isPath(reversed), "a reversed path is not a path");
        List<String> broken = new ArrayList<>(pins);
        broken.remove(broken.size() / 2);
        broken.remove(broken.size() / 2);
        assertFalse(net.isPath(broken), "a path with a gap is not a path");

        // power: the groups add up; energy = power x cycles x T
        Map<String, Object> p = obj(asic, "power");
        double total = (Double) p.get("total_w");
        assertEquals(total, (Double) p.get("internal_w") + (Double) p.get("switching_w") + (Double) p.get("leakage_w"), total * 1e-6);
        assertEquals(total * 20 * 5e-9 * 1e12, (Double) p.get("logic_energy_pj_per_inference"), 1e-9);
        double byClassW = 0;
        for (Object v : ((Map<String, Object>) p.get("by_class_w")).values()) byClassW += (Double) v;
        assertEquals(total, byClassW, total * 1e-4, "the instances' power per class adds up to the design's");
        Map<String, Object> cal = obj(asic, "calibrated_energy");
        assertTrue((Double) cal.get("ff_clock_pj") < (Double) cal.get("ff_toggle_pj") * 4, "clock energy of a flip-flop is of the order of a Q toggle");
    }

    private Path writeMappedJson(Map<String, Object> r) throws IOException {
        // the flow deletes its work directory; map again for the test's own netlist
        Path dir = tmp.resolve("again");
        RtlWriter.write(neurons(4, 12), dir, Map.of());
        Path work = Files.createDirectories(tmp.resolve("work"));
        String script = "read_verilog syn_neurons.v\nsynth -top syn_neurons -nordff -noshare\ndesign -save generic\n" + AsicFlow.yosysScript(Liberty.OSU018, work, 10.0)
                + "design -reset\n" + AsicFlow.flattenScript(work);
        Files.writeString(work.resolve("s.ys"), script);
        Tools.Result res = Tools.run(dir, java.time.Duration.ofMinutes(5), "yosys", "-q", "-s", work.resolve("s.ys").toString());
        assertTrue(res.ok(), res.output());
        return work.resolve("mapped.json");
    }

    @Test
    void twiceTheNeuronsHaveMoreAreaInEveryNeuronClass() {
        Tools.need("yosys", "sta", Liberty.OSU018.toString());
        Map<String, Object> a = obj(run(4, null, null), "asic"), b = obj(run(8, null, null), "asic");
        assertTrue((Double) b.get("area_um2") > 1.8 * (Double) a.get("area_um2"), () -> a.get("area_um2") + " vs " + b.get("area_um2"));
        assertEquals(2 * (Long) a.get("flip_flops"), (Long) b.get("flip_flops"));
        Map<String, Object> ca = obj(a, "area_by_class_um2"), cb = obj(b, "area_by_class_um2");
        for (String k : List.of("accumulator", "multiplier"))
            if (ca.containsKey(k)) assertTrue((Double) cb.get(k) > (Double) ca.get(k), k + ": " + ca + " vs " + cb);
        // the default clock is the manifest's (none here: 10 ns)
        assertEquals(10.0, (Double) obj(a, "timing").get("clock_ns"));
    }

    @Test
    void simulatedActivityOnTheRegistersChangesThePower() {
        Tools.need("yosys", "sta", Liberty.OSU018.toString());
        Map<String, Double> quiet = new HashMap<>(), busy = new HashMap<>();
        for (int g = 0; g < 4; g++)
            for (int b = 0; b < 10; b++) {
                quiet.put("acc_q[" + (g * 10 + b) + "]", 0.0);
                busy.put("acc_q[" + (g * 10 + b) + "]", 1.0);
            }
        for (int b = 0; b < 12; b++) {
            quiet.put("x[" + b + "]", 0.0);
            busy.put("x[" + b + "]", 0.5);
        }
        Map<String, Object> q = obj(obj(run(4, null, new Activity(quiet, "test", 1, 20, Map.of(), Map.of())), "asic"), "power");
        Map<String, Object> z = obj(obj(run(4, null, new Activity(busy, "test", 1, 20, Map.of(), Map.of())), "asic"), "power");
        assertEquals(40L, ((Map<?, ?>) q.get("activity")).get("nets_from_simulation"), () -> "activity: " + q.get("activity"));
        assertEquals(12L, ((Map<?, ?>) q.get("activity")).get("ports_from_simulation"));
        double dq = (Double) q.get("dynamic_w"), dz = (Double) z.get("dynamic_w");
        assertTrue(dz > 1.5 * dq, () -> "busy " + z + " W vs quiet " + q + " W");
        assertEquals((Double) q.get("leakage_w"), (Double) z.get("leakage_w"), 1e-15, "leakage does not depend on activity");
        assertNotNull(q.get("logic_energy_pj_per_inference"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void blackBoxCellsStayInstancesAndAreTimedAtTheClock() throws IOException {
        Tools.need("yosys", "sta", Liberty.OSU018.toString());
        Path dir = Files.createDirectories(tmp.resolve("bb"));
        Files.writeString(dir.resolve("bb_smtj.v"), "(* blackbox *)\nmodule bb_smtj(input wire clk, input wire [1:0] bias, output wire q);\nendmodule\n");
        Files.writeString(dir.resolve("bb_top.v"), """
                module bb_top(input wire clk, input wire rst, input wire [1:0] bias, output wire [3:0] count);
                    wire [7:0] bits;
                    genvar i;
                    generate for (i = 0; i < 8; i = i + 1) begin : dev
                        bb_smtj u (.clk(clk), .bias(bias), .q(bits[i]));
                    end endgenerate
                    reg [3:0] acc; // reg, accumulator
                    always @(posedge clk) if (rst) acc <= 0; else acc <= acc + bits[0] + bits[1] + bits[2] + bits[3] + bits[4] + bits[5] + bits[6] + bits[7];
                    assign count = acc;
                endmodule
                """);
        Files.writeString(dir.resolve(RtlWriter.FILE_LIST), "bb_smtj.v\nbb_top.v\n");
        Files.writeString(dir.resolve(RtlWriter.MANIFEST), "{\"top\": \"bb_top\", \"cycles_per_inference\": 10}\n");
        Map<String, Object> asic = obj(YosysSynth.run(dir, YosysSynth.Options.defaults().withPnr(false).withLiberty(Liberty.OSU018)), "asic");
        assertEquals(8L, asic.get("black_boxes"));
        assertEquals(List.of("bb_smtj"), asic.get("black_box_types"));
        assertEquals(4L, asic.get("flip_flops"));
        Map<String, Object> t = obj(asic, "timing");
        assertEquals(true, t.get("path_in_netlist"));
        assertTrue(String.valueOf(t.get("startpoint")).contains("dev") || String.valueOf(t.get("startpoint")).startsWith("_"),
                () -> "startpoint " + t.get("startpoint"));
        assertTrue(((List<String>) t.get("pins")).stream().anyMatch(p -> p.endsWith("/q")), () -> "the worst path starts at a device: " + t.get("pins"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNetOfHundredsOfLoadsIsBufferedNotDrivenByOneGate() {
        Tools.need("yosys", "sta", Liberty.OSU018.toString());
        Design d = new Design("syn_fanout");
        Node en = d.input("en", 1);
        Node r = d.reg("r", Tag.CONTROL, 8, 64, Bits.of(8, 0));
        Node one = d.constant("one", Tag.CONTROL, 8, 1);
        Node inc = d.op("inc", Tag.CONTROL, Op.ADD, 8, 64, new int[0], Ref.of(r), Ref.of(one));
        d.connect(r, Ref.of(inc), Ref.of(en));
        Node par = d.op("par", Tag.CONTROL, Op.RED_XOR, 1, 64, new int[0], Ref.of(r));
        d.output("y", d.op("y", Tag.CONTROL, Op.PACK, 64, 1, new int[0], Ref.array(par)));
        Path dir = tmp.resolve("fanout");
        RtlWriter.write(d, dir, Map.of());
        Map<String, Object> asic = obj(YosysSynth.run(dir, YosysSynth.Options.defaults().withPnr(false).withLiberty(Liberty.OSU018)), "asic");
        Map<String, Object> t = obj(asic, "timing");
        // en drives 512 flip-flops' enables: one minimum-size gate would take nanoseconds; buffered, the path is short
        assertTrue((Double) t.get("delay_ns") < 3.0, () -> "worst path " + t.get("delay_ns") + " ns: " + t.get("pins") + " cells " + asic.get("cells_by_type"));
    }

    /**
     * Each module is mapped once, on its own: a net of the top that reaches 64 instances of a
     * submodule through a port (an enable of 8 flip-flops in each) is one load for ABC in the top
     * and an undriven input in the submodule; after flattening it has 512 loads. scnn buffers it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aNetIntoManySubmoduleInstancesIsBufferedAfterFlattening() throws IOException {
        Tools.need("yosys", "sta", Liberty.OSU018.toString());
        Path dir = Files.createDirectories(tmp.resolve("hierfanout"));
        Files.writeString(dir.resolve("fo_sub.v"), """
                module fo_sub(input wire clk, input wire en, input wire [7:0] d, output reg [7:0] q);
                    always @(posedge clk) if (en) q <= q + d;
                endmodule
                """);
        Files.writeString(dir.resolve("fo_top.v"), """
                module fo_top(input wire clk, input wire a, input wire b, input wire [7:0] d, output wire [63:0] y);
                    wire en = a ^ b;
                    genvar i;
                    generate for (i = 0; i < 64; i = i + 1) begin : g
                        wire [7:0] q;
                        fo_sub u (.clk(clk), .en(en), .d(d), .q(q));
                        assign y[i] = ^q;
                    end endgenerate
                endmodule
                """);
        Files.writeString(dir.resolve(RtlWriter.FILE_LIST), "fo_sub.v\nfo_top.v\n");
        Files.writeString(dir.resolve(RtlWriter.MANIFEST), "{\"top\": \"fo_top\", \"cycles_per_inference\": 10}\n");
        Map<String, Object> asic = obj(YosysSynth.run(dir, YosysSynth.Options.defaults().withPnr(false).withLiberty(Liberty.OSU018)), "asic");
        Map<String, Object> mods = obj(asic, "modules");
        assertEquals(Map.of("fo_sub", 64L), ((Map<String, Object>) mods.get("fo_top")).get("instances"), () -> "hierarchy: " + mods);
        assertEquals(512L, asic.get("flip_flops"));
        // en: 512 loads (64 x 8 enable multiplexers), and d: 64 x 8 adder inputs, and clk: at least 512 / 16 leaves each
        long buffers = (Long) obj(asic, "fanout_buffers").get("buffers");
        assertTrue(buffers >= 3 * 512 / 16, () -> "fanout buffers: " + asic.get("fanout_buffers"));
        Map<String, Object> t = obj(asic, "timing");
        assertEquals(true, t.get("path_in_netlist"));
        assertTrue((Double) t.get("delay_ns") < 3.0, () -> "worst path " + t.get("delay_ns") + " ns: " + t.get("pins"));
    }

    /** Everything but the wall-clock figures (keys with {@code seconds}), the JVM's heap and the job count, recursively. */
    @SuppressWarnings("unchecked")
    private static Object figures(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> r = new java.util.TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (!k.contains("seconds") && !k.equals("jobs") && !k.equals("jvm_heap_mib")) r.put(k, figures(e.getValue()));
            }
            return r;
        }
        if (o instanceof List<?> l) return l.stream().map(AsicFlowTest::figures).toList();
        return o;
    }

    @Test
    @SuppressWarnings("unchecked")
    void synthXilinxBesideTheMappingGivesTheFiguresOfOneJob() {
        Tools.need("yosys", "sta", Liberty.OSU018.toString());
        Map<String, Object>[] r = new Map[2];
        for (int j = 1; j <= 2; j++) {
            Path dir = tmp.resolve("jobs" + j);
            RtlWriter.write(neurons(6, 12), dir, Map.of("cycles_per_inference", 20));
            r[j - 1] = YosysSynth.run(dir, YosysSynth.Options.defaults().withPnr(false).withLiberty(Liberty.OSU018).withXc7(true).withJobs(j));
        }
        assertEquals(1, r[0].get("jobs"));
        assertEquals(2, r[1].get("jobs"));
        // the standard-cell figures and the xc7 counts are the same, and both flows ran
        assertTrue((Double) obj(r[0], "asic").get("area_um2") > 0 && obj(obj(r[0], "fpga"), "xc7").get("luts") != null, () -> r[0].toString());
        assertEquals(figures(r[0].get("asic")), figures(r[1].get("asic")));
        assertEquals(figures(r[0].get("fpga")), figures(r[1].get("fpga")));
        assertEquals(r[0].get("cells"), r[1].get("cells"));
        assertThrows(IllegalArgumentException.class, () -> YosysSynth.Options.defaults().withJobs(3));
    }
}
