package scnn.generator.verilog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import scnn.generator.tools.Tools;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Ref;

/** Test helpers: write, lint, compile, synthesize and simulate emitted designs. */
final class Hdl {
    private Hdl() {}

    static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** One clock cycle of stimulus. */
    record Cycle(boolean rst, Map<String, BigInteger> in) {}

    static Path write(Design d, Path dir) {
        RtlWriter.write(d, dir, Map.of());
        return dir;
    }

    static void assertClean(String what, Tools.Result r) {
        assertTrue(r.ok(), () -> what + " failed (exit " + r.exitCode() + "): " + r.output());
        assertEquals("", r.output().strip(), () -> what + " printed something: " + r.output());
    }

    /** verilator --lint-only -Wall: exit 0 and no output at all. */
    static void lintVerilator(Path dir, String top) {
        assertClean("verilator --lint-only -Wall", Tools.run(dir, TIMEOUT, "verilator", "--lint-only", "-Wall", "--top-module", top, "-f", RtlWriter.FILE_LIST));
    }

    /**
     * verilator --lint-only -Wall -Wno-DECLFILENAME -Wno-UNUSEDPARAM -DSYNTHESIS (what Yosys reads):
     * exit 0 and no output. (The synthesis form's popcount modules are written into the file of the
     * module that instantiates them, hence no file-name rule; it has the ROM contents as literals,
     * so the memory-file directory MEM_DIR is unused there.)
     */
    static void lintVerilatorSynthesis(Path dir, String top) {
        assertClean("verilator --lint-only -Wall -Wno-DECLFILENAME -Wno-UNUSEDPARAM -DSYNTHESIS", Tools.run(dir, TIMEOUT, "verilator",
                "--lint-only", "-Wall", "-Wno-DECLFILENAME", "-Wno-UNUSEDPARAM", "-DSYNTHESIS", "--top-module", top, "-f", RtlWriter.FILE_LIST));
    }

    /**
     * iverilog -g2005, and iverilog -g2005 -Wall -Wno-sensitivity-entire-array: exit 0 and no output.
     * (-Wall alone adds one performance note per array-reading always block: "@* is sensitive to
     * all N words in array", which is what the element loops intend.)
     */
    static void compileIcarus(Path dir, String top) {
        compileIcarus(dir, top, true);
    }

    /**
     * As {@link #compileIcarus(Path, String)}; {@code synthesisBranch} false leaves out the compile
     * with {@code -DSYNTHESIS} (the branches only Yosys reads), which Icarus takes minutes over on a
     * full-size layer (BigDesignTest's 256 x 784 layer: 296 s in session 14's CI, 434 s in a run of session 15;
     * {@link #lintVerilatorSynthesis} checks that branch there in 3 s).
     */
    static void compileIcarus(Path dir, String top, boolean synthesisBranch) {
        assertClean("iverilog -g2005", Tools.run(dir, TIMEOUT, "iverilog", "-g2005", "-s", top, "-o", "lint.vvp", "-c", RtlWriter.FILE_LIST));
        if (synthesisBranch)
            assertClean("iverilog -g2005 -DSYNTHESIS", Tools.run(dir, TIMEOUT, "iverilog", "-g2005", "-DSYNTHESIS", "-s", top, "-o", "lint.vvp", "-c", RtlWriter.FILE_LIST));
        assertClean("iverilog -g2005 -Wall -Wno-sensitivity-entire-array", Tools.run(dir, TIMEOUT, "iverilog", "-g2005", "-Wall",
                "-Wno-sensitivity-entire-array", "-s", top, "-o", "lint.vvp", "-c", RtlWriter.FILE_LIST));
    }

    /** yosys read_verilog; synth -top: exit 0, no warnings. */
    static void synthYosys(Path dir, String top) {
        Tools.Result r = Tools.run(dir, TIMEOUT, "yosys", "-q", "-p", "read_verilog " + String.join(" ", readLines(dir.resolve(RtlWriter.FILE_LIST))) + "; synth -top " + top + "; stat");
        assertTrue(r.ok(), () -> "yosys failed: " + r.output());
        assertTrue(!r.output().contains("Warning"), () -> "yosys warned: " + r.output());
    }

    /**
     * The text a tool reads after the conditional directives ({@code `ifdef}, {@code `ifndef},
     * {@code `elsif}, {@code `else}, {@code `endif}) with the given macros defined (and those the
     * text itself defines on the way), the directives removed.
     */
    static String preprocess(String v, java.util.Set<String> defined) {
        java.util.Set<String> def = new java.util.HashSet<>(defined);
        java.util.ArrayDeque<boolean[]> stack = new java.util.ArrayDeque<>(); // {active, taken}
        StringBuilder sb = new StringBuilder();
        for (String line : v.split("\n", -1)) {
            String t = line.strip();
            boolean outer = stack.stream().allMatch(f -> f[0]);
            String[] w = t.split("\\s+");
            switch (w[0]) {
                case "`ifdef", "`ifndef" -> {
                    boolean c = def.contains(w[1]) == w[0].equals("`ifdef");
                    stack.push(new boolean[] {c, c});
                }
                case "`elsif" -> {
                    boolean[] f = stack.peek();
                    f[0] = !f[1] && def.contains(w[1]);
                    f[1] |= f[0];
                }
                case "`else" -> {
                    boolean[] f = stack.peek();
                    f[0] = !f[1];
                    f[1] = true;
                }
                case "`endif" -> stack.pop();
                default -> {
                    if (!outer) break;
                    if (w[0].equals("`define")) def.add(w[1]);
                    if (w[0].equals("`undef")) def.remove(w[1]);
                    sb.append(line).append('\n');
                }
            }
        }
        return sb.toString();
    }

    static List<String> readLines(Path f) {
        try {
            return Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Random stimulus: reset in cycle 0, then random inputs. */
    static List<Cycle> random(Design d, int cycles, long seed) {
        Random rnd = new Random(seed);
        List<Cycle> out = new ArrayList<>();
        for (int c = 0; c < cycles; c++) {
            Map<String, BigInteger> in = new LinkedHashMap<>();
            for (Node n : d.inputs()) in.put(n.name(), new BigInteger(n.width(), rnd));
            out.add(new Cycle(c == 0 || rnd.nextInt(40) == 0, in));
        }
        return out;
    }

    /** A testbench that applies each cycle's inputs, prints the outputs, then clocks; ends with $finish. */
    static String testbench(Design d, List<Cycle> cycles) {
        return testbench(d, cycles, "tb", null, true);
    }

    /**
     * A testbench module {@code module}: applies each cycle's inputs, prints
     * {@code O <design> <cycle> <outputs in hex>}, then clocks (10 time units per cycle).
     *
     * @param memDir value for the design's memory-directory parameter, or null for the default
     * @param finish end with $finish
     */
    static String testbench(Design d, List<Cycle> cycles, String module, String memDir, boolean finish) {
        StringBuilder sb = new StringBuilder();
        sb.append("module ").append(module).append(";\n    reg clk = 1'b0;\n    reg rst = 1'b1;\n");
        for (Node n : d.inputs()) sb.append("    reg [").append(n.width() - 1).append(":0] ").append(n.name()).append(";\n");
        for (Map.Entry<String, Ref> e : d.outputs().entrySet())
            sb.append("    wire [").append(e.getValue().width() - 1).append(":0] ").append(e.getKey()).append(";\n");
        sb.append("    ").append(d.name());
        if (memDir != null) sb.append(" #(.MEM_DIR(\"").append(memDir).append("\"))");
        sb.append(" dut (.clk(clk), .rst(rst)");
        for (Node n : d.inputs()) sb.append(", .").append(n.name()).append('(').append(n.name()).append(')');
        for (String o : d.outputs().keySet()) sb.append(", .").append(o).append('(').append(o).append(')');
        sb.append(");\n    initial begin\n");
        StringBuilder fmt = new StringBuilder("\"O ").append(d.name()).append(" %0d");
        StringBuilder args = new StringBuilder();
        for (String o : d.outputs().keySet()) {
            fmt.append(" %h");
            args.append(", ").append(o);
        }
        fmt.append('"');
        for (int c = 0; c < cycles.size(); c++) {
            Cycle cy = cycles.get(c);
            sb.append("        rst = 1'b").append(cy.rst() ? 1 : 0).append(';');
            for (Node n : d.inputs())
                sb.append(' ').append(n.name()).append(" = ").append(n.width()).append("'h").append(cy.in().get(n.name()).toString(16)).append(';');
            sb.append("\n        #1 $display(").append(fmt).append(", ").append(c).append(args).append(");\n");
            sb.append("        #4 clk = 1'b1;\n        #5 clk = 1'b0;\n");
        }
        if (finish) sb.append("        $finish;\n");
        sb.append("    end\nendmodule\n");
        return sb.toString();
    }

    /** Outputs per cycle (null for a value with x or z bits). */
    static List<Map<String, BigInteger>> parse(Design d, String output, int cycles) {
        List<Map<String, BigInteger>> res = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.startsWith("O " + d.name() + " ")) continue;
            String[] f = line.trim().split("\\s+");
            assertEquals(res.size(), Integer.parseInt(f[2]), "cycle number");
            Map<String, BigInteger> m = new LinkedHashMap<>();
            int i = 3;
            for (String o : d.outputs().keySet()) {
                String h = f[i++];
                m.put(o, h.matches("[0-9a-fA-F]+") ? new BigInteger(h, 16) : null);
            }
            res.add(m);
        }
        assertEquals(cycles, res.size(), () -> "cycles printed; output: " + output);
        return res;
    }

    /**
     * Simulates under Icarus; {@code defines} go to iverilog as -D options (e.g. SYNTHESIS, to run
     * the bodies that Yosys reads).
     */
    static List<Map<String, BigInteger>> simIcarus(Design d, Path dir, List<Cycle> cycles, String... defines) throws IOException {
        Files.writeString(dir.resolve("tb.v"), testbench(d, cycles));
        List<String> cmd = new ArrayList<>(List.of("iverilog", "-g2005", "-s", "tb", "-o", "tb.vvp"));
        for (String def : defines) cmd.add("-D" + def);
        cmd.add("tb.v");
        for (Design m : d.modules()) cmd.add(m.name() + ".v");
        Tools.Result c = Tools.run(dir, TIMEOUT, cmd);
        assertClean("iverilog (testbench)", c);
        Tools.Result r = Tools.run(dir, TIMEOUT, "vvp", "-n", "tb.vvp");
        assertTrue(r.ok(), () -> "vvp failed: " + r.output());
        return parse(d, r.stdout(), cycles.size());
    }

    /**
     * Simulates several designs in one Verilator build (one testbench per design, run side by
     * side), in {@code dir}, where every design's RTL files must be.
     */
    static List<List<Map<String, BigInteger>>> simVerilator(Path dir, List<Design> designs, List<List<Cycle>> stimuli) throws IOException {
        List<String> files = new ArrayList<>();
        StringBuilder top = new StringBuilder("module tb;\n");
        int longest = 0;
        for (int k = 0; k < designs.size(); k++) {
            Design d = designs.get(k);
            Files.writeString(dir.resolve("tb_" + d.name() + ".v"), testbench(d, stimuli.get(k), "tb_" + d.name(), null, false));
            files.add("tb_" + d.name() + ".v");
            for (Design m : d.modules()) if (!files.contains(m.name() + ".v")) files.add(m.name() + ".v");
            top.append("    tb_").append(d.name()).append(" t").append(k).append("();\n");
            longest = Math.max(longest, stimuli.get(k).size());
        }
        top.append("    initial begin\n        #").append(10 * longest + 10).append(" $finish;\n    end\nendmodule\n");
        Files.writeString(dir.resolve("tb.v"), top.toString());
        files.add(0, "tb.v");
        List<String> cmd = new ArrayList<>(List.of("verilator", "--binary", "--timing", "-j", "2", "--top-module", "tb",
                "-Wno-fatal", "-Wno-lint", "-Wno-style", "-Mdir", "obj_tb"));
        cmd.addAll(files);
        Tools.Result c = Tools.run(dir, TIMEOUT, cmd);
        assertTrue(c.ok(), () -> "verilator --binary failed: " + c.output());
        Tools.Result r = Tools.run(dir, TIMEOUT, dir.resolve("obj_tb/Vtb").toString());
        assertTrue(r.ok(), () -> "Vtb failed: " + r.output());
        List<List<Map<String, BigInteger>>> out = new ArrayList<>();
        for (int k = 0; k < designs.size(); k++) out.add(parse(designs.get(k), r.stdout(), stimuli.get(k).size()));
        return out;
    }

    /** Compares simulated outputs with {@link RefEval}; returns the number of values compared. */
    static int compare(String sim, Design d, List<Cycle> cycles, List<Map<String, BigInteger>> got) {
        RefEval ref = new RefEval(scnn.ir.Flatten.flatten(d).design());
        int n = 0;
        for (int c = 0; c < cycles.size(); c++) {
            Map<String, BigInteger> want = ref.step(cycles.get(c).in(), cycles.get(c).rst());
            for (Map.Entry<String, BigInteger> e : want.entrySet()) {
                if (e.getValue() == null) continue;
                BigInteger g = got.get(c).get(e.getKey());
                final int cc = c;
                assertNotNull(g, () -> sim + ": cycle " + cc + " output " + e.getKey() + " is x, expected " + e.getValue().toString(16));
                if (!e.getValue().equals(g))
                    fail(sim + ": cycle " + c + " output " + e.getKey() + " = " + g.toString(16) + ", expected " + e.getValue().toString(16)
                            + " (inputs " + cycles.get(c) + ")");
                n++;
            }
        }
        return n;
    }
}
