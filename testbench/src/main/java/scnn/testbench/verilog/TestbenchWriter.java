package scnn.testbench.verilog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.core.model.Encoding;
import scnn.generator.arch.CoreInterface;
import scnn.generator.arch.ScDesign;
import scnn.ir.Design;
import scnn.ir.Flatten;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Tag;

/**
 * Writes the Verilog testbench {@code tb.v} (top module {@code tb}) of a generated design and the
 * image file it reads.
 *
 * <h2>What the testbench does</h2>
 * It drives only the documented interface of the design. The clock is made by the stimulus itself
 * ({@code tick}: rising edge after 5 time units, falling edge 5 later), so inputs always change
 * right after a falling edge and the stimulus reads registered outputs between edges. After a
 * synchronous reset of 3 cycles, for every image {@code i = 0 .. K-1} it
 * <ol>
 *   <li>writes the image's pixels ({@link CoreInterface#inputs()}: 784 for MNIST) through {@code pix_we/pix_addr/pix_data}, one per cycle (with
 *       {@code +backdoor}, used only by the benchmark: assigns the DUT's pixel memory directly, as
 *       the Java simulator does, in zero cycles);</li>
 *   <li>pulses {@code start} for one cycle (the <i>start edge</i> samples it);</li>
 *   <li>counts rising edges after the start edge up to and including the edge after which
 *       {@code done} is 1: the cycles of the inference;</li>
 *   <li>reads {@code class_out} and, for every class c, sets {@code score_sel = c}, waits one time
 *       unit (the score is combinational) and reads {@code score};</li>
 *   <li>writes the line {@code i class cycles score0 score1 ...} (signed decimal) to the results
 *       file.</li>
 * </ol>
 * The k-th start since reset is image k, so the design's inference counter equals the image index,
 * as the Java simulator assumes.
 *
 * <h2>Switching-event monitors</h2>
 * Over the same window (the edges after the start edge up to the one that raises {@code done}) the
 * testbench counts, through hierarchical references into the DUT and a shadow copy updated after
 * each edge, (a) s-MTJ flips: toggles of every s-MTJ state register ({@link ScDesign#sources()}),
 * and (b) accumulator toggles: toggled bits of every register node tagged
 * {@link Tag#ACCUMULATOR}. The shadow copy is taken right after the start edge, so the first
 * counted change is the one made by the first edge of the window. The monitor code is generated
 * from the IR; with {@code +nomon} it is skipped. The last line of the results file is
 * {@code events smtj_flips N acc_toggles M} (or {@code events off}).
 *
 * <h2>Plusargs</h2>
 * {@code +images=K} (default 1), {@code +imgfile=PATH} (default {@code images.hex}: one line per
 * image, one two-digit hex pixel per network input), {@code +out=PATH} (default {@code results.txt}),
 * {@code +nomon}, {@code +backdoor}. The DUT reads its memory files from the testbench parameter
 * {@code MEM_DIR} (default {@code "./"}): run the simulation in the RTL directory.
 *
 * <p>If {@code done} does not rise within {@link #maxCycles(ScDesign)} cycles the testbench writes
 * {@code timeout <image> <cycles>} and stops; if a start is not accepted it writes
 * {@code error start ignored <image>}.
 */
public final class TestbenchWriter {
    public static final String TB_FILE = "tb.v";
    public static final String TB_TOP = "tb";
    public static final String IMAGES_FILE = "images.hex";
    public static final String RESULTS_FILE = "results.txt";

    private TestbenchWriter() {}

    /**
     * What one monitor watches: a register array of the DUT.
     *
     * @param register the register's node name in the flat design
     * @param origin   where it is in the hierarchy of the Java-emitted RTL
     */
    public record Monitor(Kind kind, String register, int width, int count, Flatten.Origin origin) {
        /** Inside an instance array: the testbench gathers the copies into one vector {@code mon_<register>}. */
        boolean gathered() {
            return origin.arrayAt() >= 0;
        }
    }

    /** The event class a monitor adds to. */
    public enum Kind {
        /** s-MTJ state flips. */
        SMTJ_FLIPS("smtj_flips"),
        /** Accumulator flip-flop toggles. */
        ACC_TOGGLES("acc_toggles");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** The registers the event monitors watch, in IR order. */
    public static List<Monitor> monitors(ScDesign sd) {
        Design d = sd.flat().design();
        Set<String> states = new HashSet<>();
        for (ScDesign.SourceGroup g : sd.sources()) states.add(g.state());
        List<Monitor> m = new ArrayList<>();
        for (Node n : d.nodes()) {
            if (n.op() != Op.REG) continue;
            Kind k = states.contains(n.name()) ? Kind.SMTJ_FLIPS : n.tag() == Tag.ACCUMULATOR ? Kind.ACC_TOGGLES : null;
            if (k == null) continue;
            m.add(new Monitor(k, n.name(), n.width(), n.count(), sd.flat().origin(n)));
        }
        for (String s : states)
            if (m.stream().noneMatch(x -> x.register().equals(s)))
                throw new IllegalArgumentException("s-MTJ state register " + s + " is not a register of the design");
        return m;
    }

    /** Where the testbench reads a watched register: the DUT's, or the gathered copies. */
    private static String source(Monitor m, boolean flatArrays) {
        if (flatArrays) return "dut." + vectorName(m.origin());
        return m.gathered() ? "mon_" + m.register() : "dut." + m.origin().verilogName(0);
    }

    /**
     * The hierarchical name of a node in a DUT that holds every array, and all copies of an
     * instance array, as one vector ({@code a.b.node}: the Chisel backend's form).
     */
    private static String vectorName(Flatten.Origin o) {
        return o.path().isEmpty() ? o.local() : o.path() + "." + o.local();
    }

    /** The 1-bit expression of element {@code e} of the flat node {@code n} in the DUT. */
    private static String probeBit(Flatten.Flat flat, Node n, int e, boolean flatArrays) {
        Flatten.Origin o = flat.origin(n);
        if (o.arrayAt() >= 0 && n.count() > 1)
            throw new IllegalArgumentException("probe on " + n.name() + " inside an instance array: not supported by the testbench");
        String base = "dut." + (flatArrays ? vectorName(o) : o.verilogName(0));
        if (n.count() == 1) return base;
        return base + "[" + e + "]";
    }

    private static String encodingKey(Encoding e) {
        return e.key();
    }

    /** The cycle limit after which the testbench gives up waiting for {@code done}. */
    public static int maxCycles(ScDesign sd) {
        return sd.cyclesPerInference() * 4 + 16;
    }

    /**
     * The text of {@code tb.v}.
     *
     * @param memDirParameter name of the DUT's memory-directory parameter, or null when it has none
     */
    public static String testbench(ScDesign sd, String memDirParameter) {
        return testbench(sd, memDirParameter, false);
    }

    /**
     * The text of {@code tb.v}, for a DUT whose register arrays are either unpacked arrays
     * ({@code flatArrays} false: {@code dut.<name>[g]}, as the Java emitter prints them) or each one
     * vector of count x width bits in any bit order, the copies of an instance array included
     * ({@code flatArrays} true: {@code dut.<instance path>.<name>}, as the Chisel backend prints
     * them; a toggle count does not depend on the order). With flat arrays
     * {@code +backdoor} is not available (the testbench stops with an error line).
     *
     * @param memDirParameter name of the DUT's memory-directory parameter, or null when it has none
     */
    public static String testbench(ScDesign sd, String memDirParameter, boolean flatArrays) {
        Design d = sd.flat().design();
        String top = d.name();
        // the interface facts (port names, widths, pixel and class counts) from the one description
        CoreInterface io = sd.coreInterface();
        int sw = io.classWidth();
        int w = io.scoreWidth();
        int classes = io.classes();
        if (classes > 1 << sw) throw new IllegalArgumentException("score_sel has " + sw + " bits for " + classes + " classes");
        int aw = io.pixAddrWidth(), inputs = io.inputs();
        if (inputs > 1L << aw) throw new IllegalArgumentException(top + ": pix_addr has " + aw + " bits for " + inputs + " inputs");
        Node pixMem = d.node(sd.pixelMemory());
        List<Monitor> mons = monitors(sd);

        StringBuilder s = new StringBuilder(8192);
        s.append("// tb.v: generated by scnn (testbench module) for ").append(top).append(" (")
                .append(sd.network().shape()).append(", N = ").append(sd.config().bits()).append(", ")
                .append(encodingKey(sd.config().encoding())).append(", fold ").append(sd.config().fold()).append(", seed ")
                .append(sd.config().seed()).append("); do not edit.\n");
        s.append("// Drives only the documented interface; see scnn.testbench.verilog.TestbenchWriter and docs/cosim.md.\n");
        s.append("// Plusargs: +images=K +imgfile=PATH +out=PATH +nomon (no event monitors) +backdoor (pixels by hierarchical write).\n");
        s.append("`timescale 1ns/1ps\n`default_nettype none\n\n");
        s.append("module ").append(TB_TOP).append(" #(parameter MEM_DIR = \"./\");\n");
        s.append("    localparam integer CLASSES = ").append(classes).append(";\n");
        s.append("    localparam integer INPUTS = ").append(inputs).append(";\n");
        s.append("    localparam integer CYCLES_PER_INFERENCE = ").append(sd.cyclesPerInference()).append("; // as the generator computed it (informative)\n");
        s.append("    localparam integer MAX_CYCLES = ").append(maxCycles(sd)).append(";\n\n");
        s.append("    reg ").append(CoreInterface.CLK).append(" = 1'b0;\n");
        s.append("    reg ").append(CoreInterface.RST).append(" = 1'b1;\n");
        for (CoreInterface.Port p : io.ports()) {
            String range = p.width() == 1 ? "" : "[" + (p.width() - 1) + ":0] ";
            if (p.input()) s.append("    reg ").append(range).append(p.name()).append(" = ").append(p.width()).append("'d0;\n");
            else s.append("    wire ").append(p.signed() ? "signed " : "").append(range).append(p.name()).append(";\n");
        }
        s.append("\n    ").append(top);
        if (memDirParameter != null) s.append(" #(.").append(memDirParameter).append("(MEM_DIR))");
        s.append(" dut (\n        .").append(CoreInterface.CLK).append('(').append(CoreInterface.CLK).append("), .")
                .append(CoreInterface.RST).append('(').append(CoreInterface.RST).append(')');
        for (CoreInterface.Port p : io.ports()) s.append(", .").append(p.name()).append('(').append(p.name()).append(')');
        s.append(");\n\n");

        // --- monitors ---
        s.append("    // ---- switching-event monitors, generated from the IR: a shadow copy of every watched register ----\n");
        s.append("    reg [63:0] smtj_flips = 64'd0;\n");
        s.append("    reg [63:0] acc_toggles = 64'd0;\n");
        s.append("    integer mi;\n");
        Set<String> tbNames = new HashSet<>();
        // registers inside instance arrays (the s-MTJ cells' states): the copies gathered into one vector
        for (Monitor m : mons) {
            if (flatArrays || !m.gathered()) continue;
            String g = "mon_" + m.register(), gv = "mg_" + m.register();
            if (!tbNames.add(g)) throw new IllegalStateException("duplicate monitor " + g);
            int mw = m.width();
            s.append("    wire [").append(mw * m.count() - 1).append(":0] ").append(g).append("; // ").append(m.count())
                    .append(" copies of dut.").append(m.origin().verilogName("*")).append('\n');
            s.append("    genvar ").append(gv).append(";\n    generate for (").append(gv).append(" = 0; ").append(gv).append(" < ").append(m.count())
                    .append("; ").append(gv).append(" = ").append(gv).append(" + 1) begin : g_").append(m.register()).append('\n');
            s.append("        assign ").append(g).append('[').append(gv).append(" * ").append(mw).append(" +: ").append(mw).append("] = dut.")
                    .append(m.origin().verilogName(gv)).append(";\n    end endgenerate\n");
        }
        // s-MTJ samples and DAC conversions: the design's probes, counted at every edge of the window
        s.append("    reg [63:0] smtj_samples = 64'd0;\n");
        s.append("    reg [63:0] dac_conversions = 64'd0;\n");
        s.append("    reg mon_on = 1'b0; // the event window: the edges after the start edge up to the one that raises done\n");
        s.append("    always @(posedge clk) begin\n        if (mon_on) begin\n");
        for (Flatten.FlatProbe p : sd.flat().probes()) {
            String ctr = p.kind().equals("dac_conversions") ? "dac_conversions" : p.kind().equals("smtj_samples") ? "smtj_samples" : null;
            if (ctr == null) throw new IllegalArgumentException("unknown probe kind " + p.kind());
            Node pn = p.signal().node();
            boolean broadcast = p.signal().mode() == scnn.ir.Ref.Mode.SCALAR || p.signal().mode() == scnn.ir.Ref.Mode.ELEM;
            int reads = broadcast ? 1 : p.elements();
            long mult = (broadcast ? p.elements() : 1) * p.weight();
            for (int e = 0; e < reads; e++) {
                String bit = probeBit(sd.flat(), pn, p.element(e), flatArrays);
                s.append("            ").append(ctr).append(" = ").append(ctr).append(" + (").append(bit).append(" ? 64'd").append(mult).append(" : 64'd0);\n");
                if (reads > 1) throw new IllegalArgumentException("probe " + p.kind() + " on " + pn.name() + ": element-wise probes are not supported by the testbench");
            }
        }
        s.append("        end\n    end\n");
        for (Monitor m : mons) {
            String sh = "sh_" + m.register();
            if (!tbNames.add(sh)) throw new IllegalStateException("duplicate monitor " + sh);
            if (flatArrays || m.gathered()) s.append("    reg [").append(m.width() * m.count() - 1).append(":0] ").append(sh)
                    .append("; // ").append(m.kind().key()).append(": ").append(m.count()).append(" x ").append(m.width()).append(" bits, one vector\n");
            else s.append("    reg [").append(m.width() - 1).append(":0] ").append(sh).append(m.count() > 1 ? " [0:" + (m.count() - 1) + "]" : "")
                    .append("; // ").append(m.kind().key()).append(": ").append(m.count()).append(" x ").append(m.width()).append(" bits\n");
            if (m.width() > 64) s.append("    reg [").append(m.width() - 1).append(":0] mx_").append(m.register()).append("; // toggled bits, counted in 64-bit chunks\n");
        }
        s.append("\n    // number of ones (SWAR: no loop, so that no simulator unrolls 64 copies of it)\n");
        s.append("    function [63:0] pop64(input [63:0] v);\n");
        s.append("        reg [63:0] x;\n");
        s.append("        begin\n");
        s.append("            x = v - ((v >> 1) & 64'h5555555555555555);\n");
        s.append("            x = (x & 64'h3333333333333333) + ((x >> 2) & 64'h3333333333333333);\n");
        s.append("            x = (x + (x >> 4)) & 64'h0f0f0f0f0f0f0f0f;\n");
        s.append("            pop64 = (x * 64'h0101010101010101) >> 56;\n");
        s.append("        end\n");
        s.append("    endfunction\n\n");
        s.append("    // the baseline: the registers right after the start edge\n");
        s.append("    task mon_snapshot;\n        begin\n");
        for (Monitor m : mons) {
            String sh = "sh_" + m.register(), r = source(m, flatArrays);
            if (m.count() > 1 && !flatArrays && !m.gathered())
                s.append("            for (mi = 0; mi < ").append(m.count()).append("; mi = mi + 1) ").append(sh).append("[mi] = ").append(r).append("[mi];\n");
            else
                s.append("            ").append(sh).append(" = ").append(r).append(";\n");
        }
        s.append("        end\n    endtask\n\n");
        s.append("    // after each counted edge: add the toggled bits, update the shadow\n");
        s.append("    task mon_count;\n        begin\n");
        for (Monitor m : mons) {
            String sh = "sh_" + m.register(), r = source(m, flatArrays), ctr = m.kind().key();
            boolean vector = flatArrays || m.gathered();
            String idx = m.count() > 1 ? "[mi]" : "";
            String x = r + idx + " ^ " + sh + idx;
            String add = m.width() == 1 ? "{63'd0, " + x + "}"
                    : m.width() == 64 ? "pop64(" + x + ")" : "pop64({" + (64 - m.width()) + "'d0, " + x + "})";
            if (m.width() > 64) { // wide registers (the analog baseline's per-synapse device states): 64-bit chunks
                String mx = "mx_" + m.register();
                StringBuilder a = new StringBuilder();
                for (int lo = 0; lo < m.width(); lo += 64) {
                    int hi = Math.min(m.width(), lo + 64) - 1;
                    if (a.length() > 0) a.append(" + ");
                    a.append(hi - lo + 1 == 64 ? "pop64(" + mx + "[" + hi + ":" + lo + "])" : "pop64({" + (63 - hi + lo) + "'d0, " + mx + "[" + hi + ":" + lo + "]})");
                }
                String body = mx + " = " + x + "; " + ctr + " = " + ctr + " + " + a + "; " + sh + idx + " = " + r + idx + ";";
                if (m.count() > 1)
                    s.append("            for (mi = 0; mi < ").append(m.count()).append("; mi = mi + 1) begin ").append(body).append(" end\n");
                else
                    s.append("            ").append(body).append('\n');
                continue;
            }
            String body = ctr + " = " + ctr + " + " + add + "; " + sh + idx + " = " + r + idx + ";";
            if (vector && m.count() > 1) {
                // one vector: the popcount of its XOR with the shadow, 64 bits at a time
                int bits = m.width() * m.count();
                for (int lo = 0; lo < bits; lo += 64) {
                    int hi = Math.min(bits, lo + 64) - 1;
                    String x2 = r + "[" + hi + ":" + lo + "] ^ " + sh + "[" + hi + ":" + lo + "]";
                    s.append("            ").append(ctr).append(" = ").append(ctr).append(" + pop64(")
                            .append(hi - lo + 1 == 64 ? x2 : "{" + (63 - hi + lo) + "'d0, " + x2 + "}").append(");\n");
                }
                s.append("            ").append(sh).append(" = ").append(r).append(";\n");
            } else if (m.count() > 1)
                s.append("            for (mi = 0; mi < ").append(m.count()).append("; mi = mi + 1) begin ").append(body).append(" end\n");
            else
                s.append("            ").append(body).append('\n');
        }
        s.append("        end\n    endtask\n\n");

        // --- stimulus ---
        s.append("    // one clock cycle: rising edge, then falling edge; inputs change after the falling edge\n");
        s.append("    task tick;\n        begin\n            #5 clk = 1'b1;\n            #5 clk = 1'b0;\n        end\n    endtask\n\n");
        s.append("    string imgfile, outfile;\n");
        s.append("    integer nimg, fi, fo, img, p, c, cycles, r, v;\n");
        s.append("    reg mon, backdoor;\n\n");
        s.append("    initial begin\n");
        s.append("        if (!$value$plusargs(\"images=%d\", nimg)) nimg = 1;\n");
        s.append("        if (!$value$plusargs(\"imgfile=%s\", imgfile)) imgfile = \"").append(IMAGES_FILE).append("\";\n");
        s.append("        if (!$value$plusargs(\"out=%s\", outfile)) outfile = \"").append(RESULTS_FILE).append("\";\n");
        s.append("        mon = !$test$plusargs(\"nomon\");\n");
        s.append("        backdoor = $test$plusargs(\"backdoor\");\n");
        s.append("        fi = $fopen(imgfile, \"r\");\n");
        s.append("        if (fi == 0) begin $display(\"tb: error: cannot open image file %0s\", imgfile); $finish; end\n");
        s.append("        fo = $fopen(outfile, \"w\");\n");
        s.append("        if (fo == 0) begin $display(\"tb: error: cannot write %0s\", outfile); $finish; end\n");
        s.append("        repeat (3) tick();\n");
        s.append("        rst = 1'b0;\n");
        s.append("        tick();\n");
        s.append("        for (img = 0; img < nimg; img = img + 1) begin\n");
        s.append("            for (p = 0; p < INPUTS; p = p + 1) begin\n");
        s.append("                r = $fscanf(fi, \"%h\", v);\n");
        s.append("                if (r != 1) begin $display(\"tb: error: %0s: image %0d is incomplete\", imgfile, img); $fclose(fo); $finish; end\n");
        s.append("                if (backdoor) begin\n");
        if (flatArrays)
            s.append("                    $display(\"tb: error: +backdoor needs the pixel memory as an array\"); $finish;\n");
        else
            s.append("                    dut.").append(sd.flat().origin(pixMem).verilogName(0)).append("[p] = v[7:0];\n");
        s.append("                end else begin\n");
        s.append("                    pix_we = 1'b1; pix_addr = p[").append(aw - 1).append(":0]; pix_data = v[7:0];\n");
        s.append("                    tick();\n");
        s.append("                end\n");
        s.append("            end\n");
        s.append("            pix_we = 1'b0;\n");
        s.append("            start = 1'b1;\n");
        s.append("            tick(); // the start edge\n");
        s.append("            start = 1'b0;\n");
        s.append("            if (!busy) begin $fwrite(fo, \"error start ignored %0d\\n\", img); $fclose(fo); $finish; end\n");
        s.append("            if (mon) mon_snapshot();\n");
        s.append("            mon_on = mon;\n");
        s.append("            cycles = 0;\n");
        s.append("            do begin\n");
        s.append("                tick();\n");
        s.append("                cycles = cycles + 1;\n");
        s.append("                if (mon) mon_count();\n");
        s.append("            end while (!done && cycles < MAX_CYCLES);\n");
        s.append("            mon_on = 1'b0;\n");
        s.append("            if (!done) begin $fwrite(fo, \"timeout %0d %0d\\n\", img, cycles); $fclose(fo); $finish; end\n");
        s.append("            $fwrite(fo, \"%0d %0d %0d\", img, class_out, cycles);\n");
        s.append("            for (c = 0; c < CLASSES; c = c + 1) begin\n");
        s.append("                score_sel = c[").append(sw - 1).append(":0];\n");
        s.append("                #1;\n");
        s.append("                $fwrite(fo, \" %0d\", score);\n");
        s.append("            end\n");
        s.append("            $fwrite(fo, \"\\n\");\n");
        s.append("            $fflush(fo);\n");
        s.append("        end\n");
        s.append("        if (mon) $fwrite(fo, \"events smtj_flips %0d acc_toggles %0d smtj_samples %0d dac_conversions %0d\\n\", smtj_flips, acc_toggles, smtj_samples, dac_conversions);\n");
        s.append("        else $fwrite(fo, \"events off\\n\");\n");
        s.append("        $fclose(fo);\n");
        s.append("        $fclose(fi);\n");
        s.append("        $finish;\n");
        s.append("    end\n");
        s.append("endmodule\n\n`default_nettype wire\n");
        return s.toString();
    }

    /** Writes {@code tb.v} into {@code dir}; returns its path. */
    public static Path write(ScDesign sd, String memDirParameter, Path dir) {
        return write(sd, memDirParameter, dir, false);
    }

    /** Writes {@code tb.v} into {@code dir}; returns its path. See {@link #testbench(ScDesign, String, boolean)}. */
    public static Path write(ScDesign sd, String memDirParameter, Path dir, boolean flatArrays) {
        Path f = dir.resolve(TB_FILE);
        AtomicFiles.writeString(f, testbench(sd, memDirParameter, flatArrays));
        return f;
    }

    /** Writes the first {@code k} images of {@code set} as {@code file}: one line per image, one hex byte per pixel. */
    public static void writeImages(MnistSet set, int k, Path file) {
        if (k > set.size()) throw new ScnnException("asked for " + k + " images, the set has " + set.size());
        AtomicFiles.write(file, out -> {
            BufferedWriter wr = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
            int np = set.imageSize();
            char[] line = new char[np * 3];
            final char[] hex = "0123456789abcdef".toCharArray();
            for (int i = 0; i < k; i++) {
                for (int p = 0; p < np; p++) {
                    int v = set.pixel(i, p);
                    line[3 * p] = hex[v >> 4];
                    line[3 * p + 1] = hex[v & 15];
                    line[3 * p + 2] = p == np - 1 ? '\n' : ' ';
                }
                wr.write(line);
            }
            wr.flush();
        });
    }

    /** Reads back how many images an image file holds (its lines). */
    static long imageCount(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.US_ASCII)) {
            return lines.filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new ScnnException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
