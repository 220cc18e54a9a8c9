package scnn.chisel;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import scnn.core.weights.Network;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.generator.tools.Tools;
import scnn.generator.verilog.RtlWriter;
import scnn.ir.Design;
import scnn.ir.Node;

/**
 * The Chisel backend against the Java simulator (bit for bit, every output, every cycle) and the
 * Java Verilog emitter (formal equivalence with Yosys), on every IR operation and on a generated SC
 * network.
 */
class ChiselBackendTest {

    private static Path work(String name) throws IOException {
        Path p = Path.of("target", "chisel-test", name).toAbsolutePath();
        Files.createDirectories(p);
        return p;
    }

    /** Stimulus for {@link Designs#everyOp()}: the RAM is written everywhere first, then random inputs. */
    static long[][] opsStimulus(Design d, int cycles) {
        SplittableRandom rnd = new SplittableRandom(42);
        List<Node> ins = d.inputs(); // a, b, s, i
        long[][] st = new long[8 + cycles][ins.size()];
        for (int c = 0; c < st.length; c++)
            for (int k = 0; k < ins.size(); k++) st[c][k] = rnd.nextLong() & ((1L << ins.get(k).width()) - 1);
        for (int c = 0; c < 8; c++) {
            st[c][2] = 1;
            st[c][3] = c;
        }
        return st;
    }

    static ScDesign smallNet() {
        Network net = TestNets.random(3, 5, 5, 10);
        return ScBuilder.build(net, new ScConfig(4, Encoding.SIGN_MAGNITUDE, 1, 7, SmtjModel.DEFAULT), "t");
    }

    /** Stimulus for a generated design: load a random image, then two inferences with a random score_sel. */
    static long[][] scStimulus(ScDesign sd) {
        Design d = sd.design();
        SplittableRandom rnd = new SplittableRandom(5);
        List<Node> ins = d.inputs(); // pix_we, pix_addr, pix_data, start, score_sel
        assertEquals(List.of("pix_we", "pix_addr", "pix_data", "start", "score_sel"), ins.stream().map(Node::name).toList());
        int run = sd.cyclesPerInference() + 3;
        long[][] st = new long[784 + 2 * run][5];
        for (int c = 0; c < st.length; c++) st[c][4] = rnd.nextLong() & ((1L << ins.get(4).width()) - 1);
        for (int p = 0; p < 784; p++) {
            st[p][0] = 1;
            st[p][1] = p;
            st[p][2] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(256);
        }
        st[784][3] = 1;
        st[784 + run][3] = 1;
        return st;
    }

    private static void lint(Path dir, Path sv, String top) {
        Tools.Result r = Tools.run(dir, Duration.ofMinutes(5), "verilator", "--lint-only", "-Wno-fatal", "--top-module", top, sv.toString());
        assertTrue(r.ok() && !r.output().contains("%Error"), "verilator --lint-only: " + r.tail(20));
        System.out.printf("verilator --lint-only %s: %.1f s%n", top, r.elapsed().toMillis() / 1e3);
    }

    /** Emits with both backends, lints the Chisel output and compares both simulators with the Java simulator. */
    private static void checkAgainstJavaSimulator(Design d, long[][] stim, int from, String name, boolean withVerilator) throws IOException {
        checkAgainstJavaSimulator(d, stim, from, name, withVerilator, true);
    }

    private static void checkAgainstJavaSimulator(Design d, long[][] stim, int from, String name, boolean withVerilator,
                                                  boolean checkJavaVerilog) throws IOException {
        Path dir = work(name);
        ChiselBackend.Result res = ChiselBackend.emit(d, dir.resolve("chisel"));
        System.out.printf("chisel backend: %s elaborated and emitted in %.2f s%n", d.name(), res.elaborateSeconds());
        assertTrue(Files.isRegularFile(res.firrtl()), "no FIRRTL written");
        String sv = SimHarness.read(res.verilog());
        assertTrue(sv.contains("module " + d.name() + "("), "module name kept");
        RtlWriter.write(d, dir.resolve("java"), null);

        List<String> want = SimHarness.javaTrace(d, stim);
        SimHarness.writeBench(d, stim, dir);
        if (Tools.require("iverilog", "vvp") && checkJavaVerilog) {
            // the harness itself: the Java-emitted Verilog must match the Java simulator too
            List<Path> jv = new java.util.ArrayList<>();
            for (Design m : d.modules()) jv.add(dir.resolve("java").resolve(m.name() + ".v"));
            Path jdir = work(name + "-java");
            SimHarness.writeBench(d, stim, jdir);
            for (Path f : Files.list(dir.resolve("java")).toList())
                if (f.toString().endsWith(".hex")) Files.copy(f, jdir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            SimHarness.assertSameTrace(d, want, SimHarness.icarus(jdir, jv), "icarus(java verilog)", from);
        }
        if (Tools.require("iverilog", "vvp"))
            SimHarness.assertSameTrace(d, want, SimHarness.icarus(dir, List.of(res.verilog())), "icarus(chisel)", from);
        if (Tools.require("verilator")) {
            lint(dir, res.verilog(), d.name());
            if (withVerilator) SimHarness.assertSameTrace(d, want, SimHarness.verilator(dir, List.of(res.verilog())), "verilator(chisel)", from);
        }
    }

    @Test
    void everyOperationMatchesTheJavaSimulatorBitForBit() throws IOException {
        Design d = Designs.everyOp();
        // the first 8 cycles write the RAM and may read words not yet written
        checkAgainstJavaSimulator(d, opsStimulus(d, 400), 8, "ops", true);
    }

    /** Random inputs for {@link Designs#everyArrayOp()}. */
    static long[][] randomStimulus(Design d, int cycles, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Node> ins = d.inputs();
        long[][] st = new long[cycles][ins.size()];
        for (int c = 0; c < cycles; c++)
            for (int k = 0; k < ins.size(); k++) st[c][k] = rnd.nextLong() & ((1L << ins.get(k).width()) - 1);
        return st;
    }

    @Test
    void everyArrayOperationMatchesTheJavaSimulatorBitForBit() throws IOException {
        Design d = Designs.everyArrayOp();
        // the Java-emitted Verilog too: its arrays whose value reads no signal (SHL/SHR of an array by
        // its width or more) are continuous assignments, which Icarus runs (an always @* would not)
        checkAgainstJavaSimulator(d, randomStimulus(d, 400, 11), 0, "aops", true, true);
    }

    @Test
    void generatedNetworkMatchesTheJavaSimulatorBitForBit() throws IOException {
        ScDesign sd = smallNet();
        // (Verilator simulates the small ops design; here it lints, a Verilator build would add minutes)
        checkAgainstJavaSimulator(sd.design(), scStimulus(sd), 0, "sc", false);
    }

    @Test
    void irNamesArePreserved() {
        Design d = Designs.everyOp();
        String sv = ChiselBackend.systemVerilog(d);
        int at = sv.indexOf("module ops(");
        assertTrue(at >= 0, "module ops in\n" + sv);
        String header = sv.substring(at, sv.indexOf(");", at));
        for (String port : List.of("clk", "rst", "a", "b", "s", "i", "o1", "r_all", "lts1"))
            assertTrue(header.matches("(?s).*[\\s\\]]" + port + "[,\\s].*"), "port " + port + " in\n" + header);
        // an array is one vector in bit-plane layout, named after the node
        for (String node : List.of("r", "add", "pack", "bank", "mul", "ltu"))
            assertTrue(sv.matches("(?s).*\\[\\d+:0\\]\\s+" + node + "\\b.*"), "signal " + node);
        String fir = ChiselBackend.chirrtl(d);
        assertTrue(fir.contains("module ops :"), "FIRRTL module");
    }
}
