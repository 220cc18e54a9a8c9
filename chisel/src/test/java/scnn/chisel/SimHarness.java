package scnn.chisel;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import scnn.generator.tools.Tools;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Ref;
import scnn.sim.engine.Compiler;
import scnn.sim.engine.Machine;

/**
 * Runs an input sequence through the Java simulator and through an HDL simulator (Icarus or
 * Verilator) of emitted RTL, and gives the output trace of both in the same text format: one line
 * per cycle, every output port in lower-case hex of its full width, separated by spaces.
 *
 * <p>Cycle protocol (both sides): one reset edge with every input 0 and {@code rst} high, then per
 * cycle c: apply {@code stim[c]}, settle, record the outputs, clock edge.
 */
final class SimHarness {
    private SimHarness() {}

    /** Output trace of the Java simulator (lane 0) for {@code stim[cycle][input]}. */
    static List<String> javaTrace(Design hierarchical, long[][] stim) {
        Design d = scnn.ir.Flatten.flatten(hierarchical).design();
        Machine m = new Machine(Compiler.compile(d));
        List<Node> ins = d.inputs();
        List<String> out = new ArrayList<>();
        for (long[] cyc : stim) {
            for (int k = 0; k < ins.size(); k++) m.set(ins.get(k), cyc[k]);
            m.eval();
            StringBuilder sb = new StringBuilder();
            for (Ref r : d.outputs().values()) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(m.peekBits(r.node(), r.element(0), 0).toHex());
            }
            out.add(sb.toString());
            m.commit();
        }
        return out;
    }

    /** Writes {@code stim.hex} (one line per cycle, all inputs concatenated, first input most significant) and {@code tb.v}. */
    static void writeBench(Design d, long[][] stim, Path dir) throws IOException {
        List<Node> ins = d.inputs();
        int total = 0;
        for (Node n : ins) total += n.width();
        StringBuilder hex = new StringBuilder();
        for (long[] cyc : stim) {
            BigInteger v = BigInteger.ZERO;
            for (int k = 0; k < ins.size(); k++) {
                long mask = ins.get(k).width() >= 64 ? -1L : (1L << ins.get(k).width()) - 1;
                v = v.shiftLeft(ins.get(k).width()).or(BigInteger.valueOf(cyc[k] & mask));
            }
            hex.append(v.toString(16)).append('\n');
        }
        Files.writeString(dir.resolve("stim.hex"), hex.toString());

        StringBuilder tb = new StringBuilder();
        tb.append("`timescale 1ns/1ps\nmodule tb;\n");
        tb.append("    reg clk = 1'b0;\n    reg rst = 1'b1;\n");
        tb.append("    reg [").append(total - 1).append(":0] stim [0:").append(stim.length - 1).append("];\n");
        List<String> conns = new ArrayList<>(List.of(".clk(clk)", ".rst(rst)"));
        List<String> inNames = new ArrayList<>();
        for (Node n : ins) {
            tb.append("    reg [").append(n.width() - 1).append(":0] in_").append(n.name()).append(" = 0;\n");
            conns.add("." + n.name() + "(in_" + n.name() + ")");
            inNames.add("in_" + n.name());
        }
        List<String> outNames = new ArrayList<>();
        for (Map.Entry<String, Ref> e : d.outputs().entrySet()) {
            tb.append("    wire [").append(e.getValue().width() - 1).append(":0] out_").append(e.getKey()).append(";\n");
            conns.add("." + e.getKey() + "(out_" + e.getKey() + ")");
            outNames.add("out_" + e.getKey());
        }
        tb.append("    ").append(d.name()).append(" dut (").append(String.join(", ", conns)).append(");\n");
        tb.append("    integer c;\n    initial begin\n");
        tb.append("        $readmemh(\"stim.hex\", stim);\n");
        tb.append("        #1 clk = 1'b1;\n        #1 clk = 1'b0;\n        rst = 1'b0;\n");
        tb.append("        for (c = 0; c < ").append(stim.length).append("; c = c + 1) begin\n");
        tb.append("            {").append(String.join(", ", inNames)).append("} = stim[c];\n");
        tb.append("            #1;\n");
        tb.append("            $display(\"").append("%h ".repeat(outNames.size()).trim()).append("\", ")
                .append(String.join(", ", outNames)).append(");\n");
        tb.append("            clk = 1'b1;\n            #1 clk = 1'b0;\n");
        tb.append("        end\n        $finish;\n    end\nendmodule\n");
        Files.writeString(dir.resolve("tb.v"), tb.toString());
    }

    /** The display lines of a finished simulation (everything that is not a simulator message). */
    private static List<String> traceLines(String stdout) {
        List<String> lines = new ArrayList<>();
        for (String l : stdout.split("\n")) {
            String s = l.strip();
            if (s.isEmpty() || s.startsWith("-") || s.startsWith("VCD") || s.contains("$finish") || s.startsWith("%")) continue;
            lines.add(s);
        }
        return lines;
    }

    /** Simulates {@code tb.v} and the sources with Icarus in {@code dir}. */
    static List<String> icarus(Path dir, List<Path> sources) {
        List<String> cmd = new ArrayList<>(List.of("iverilog", "-g2012", "-o", "simv", "-s", "tb", "tb.v"));
        for (Path p : sources) cmd.add(p.toAbsolutePath().toString());
        Tools.Result c = Tools.run(dir, Duration.ofMinutes(5), cmd);
        if (!c.ok()) throw new AssertionError("iverilog failed: " + c.tail(20));
        // the Java-emitted network is 784 + 256 + ... s-MTJ cell instances: slower under vvp than one flat module
        Tools.Result r = Tools.run(dir, Duration.ofMinutes(20), "vvp", "-n", "simv");
        if (!r.ok()) throw new AssertionError("vvp failed" + (r.timedOut() ? " (timed out)" : "") + ": " + r.tail(20));
        System.out.printf("icarus: compiled in %.1f s, ran in %.1f s%n", c.elapsed().toMillis() / 1e3, r.elapsed().toMillis() / 1e3);
        return traceLines(r.stdout());
    }

    /** Builds {@code tb.v} and the sources with Verilator ({@code --binary}) in {@code dir} and runs it. */
    static List<String> verilator(Path dir, List<Path> sources) {
        List<String> cmd = new ArrayList<>(List.of("verilator", "--binary", "-j", "2", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                "--x-initial", "0", "--top-module", "tb", "--Mdir", "vobj", "-o", "simv", "tb.v"));
        for (Path p : sources) cmd.add(p.toAbsolutePath().toString());
        Tools.Result c = Tools.run(dir, Duration.ofMinutes(15), cmd);
        if (!c.ok()) throw new AssertionError("verilator failed: " + c.tail(20));
        Tools.Result r = Tools.run(dir, Duration.ofMinutes(5), dir.resolve("vobj/simv").toString());
        if (!r.ok()) throw new AssertionError("simv failed: " + r.tail(20));
        System.out.printf("verilator: built in %.1f s, ran in %.1f s%n", c.elapsed().toMillis() / 1e3, r.elapsed().toMillis() / 1e3);
        return traceLines(r.stdout());
    }

    /**
     * Fails with the first differing cycle from cycle {@code from} on (earlier cycles may read
     * memory words that were never written: 0 in the Java simulator, x in Icarus).
     */
    static void assertSameTrace(Design d, List<String> want, List<String> got, String who, int from) {
        String ports = String.join(" ", d.outputs().keySet());
        if (got.size() != want.size())
            throw new AssertionError(who + ": " + got.size() + " trace lines, expected " + want.size()
                    + (got.isEmpty() ? "" : " (first: " + got.get(0) + ")"));
        for (int c = from; c < want.size(); c++)
            if (!want.get(c).equals(got.get(c)))
                throw new AssertionError(who + " differs from the Java simulator at cycle " + c + "\n  ports " + ports
                        + "\n  java  " + want.get(c) + "\n  " + who + " " + got.get(c));
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
