package scnn.generator.verilog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.generator.tools.Tools;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Ref;

class VerilogEmitterTest {
    @TempDir
    Path tmp;

    static BigInteger h(long v) {
        return BigInteger.valueOf(v);
    }

    static Map<String, BigInteger> in(Object... kv) {
        Map<String, BigInteger> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue()));
        }
        return m;
    }

    /** Lint (Verilator -Wall), compile (Icarus -Wall) and synthesize (Yosys): all silent. */
    private Path checkTools(Design d) {
        Path dir = Hdl.write(d, tmp.resolve(d.name()));
        Hdl.lintVerilator(dir, d.name());
        Hdl.compileIcarus(dir, d.name());
        Hdl.synthYosys(dir, d.name());
        return dir;
    }

    @Test
    void counterCountsWithEnableAndReset() throws IOException {
        Tools.need("verilator", "iverilog", "vvp", "yosys");
        Design d = TestDesigns.counter();
        Path dir = checkTools(d);
        int[][] rstEn = {{1, 0}, {0, 1}, {0, 1}, {0, 0}, {0, 1}, {1, 1}, {0, 0}};
        List<Hdl.Cycle> cycles = new ArrayList<>();
        for (int[] c : rstEn) cycles.add(new Hdl.Cycle(c[0] == 1, in("en", c[1])));
        List<Map<String, BigInteger>> got = Hdl.simIcarus(d, dir, cycles);
        assertNull(got.get(0).get("count"), "before the first reset the register is x");
        long[] want = {-1, 0xfe, 0xff, 0x00, 0x00, 0x01, 0xfe};
        for (int c = 1; c < want.length; c++) {
            assertEquals(h(want[c]), got.get(c).get("count"), "count in cycle " + c);
            assertEquals(h(want[c]), got.get(c).get("cnt"), "cnt in cycle " + c);
            assertEquals(h(want[c] == 0xff ? 1 : 0), got.get(c).get("full"), "full in cycle " + c);
        }
        assertTrue(Files.readString(dir.resolve("counter.v")).contains("output reg [7:0] cnt"));
    }

    @Test
    void registerArrayWithPerElementEnableAndReset() throws IOException {
        Tools.need("verilator", "iverilog", "vvp", "yosys");
        Design d = TestDesigns.regArray();
        Path dir = checkTools(d);
        List<Hdl.Cycle> cycles = List.of(
                new Hdl.Cycle(true, in("en", 0, "sel", 0)),
                new Hdl.Cycle(false, in("en", 0b101, "sel", 3)),
                new Hdl.Cycle(false, in("en", 0b010, "sel", 1)),
                new Hdl.Cycle(false, in("en", 0b111, "sel", 2)),
                new Hdl.Cycle(false, in("en", 0, "sel", 0)));
        List<Map<String, BigInteger>> got = Hdl.simIcarus(d, dir, cycles);
        long[] packed = {-1, 0x321, 0x422, 0x432, 0x543};
        long[] picked = {-1, 0, 2, 4, 3};
        for (int c = 1; c < packed.length; c++) {
            assertEquals(h(packed[c]), got.get(c).get("pk_all"), "pk_all in cycle " + c);
            assertEquals(h(picked[c]), got.get(c).get("picked"), "picked in cycle " + c);
        }
        Hdl.compare("icarus", d, cycles, got);
    }

    @Test
    void aluOpsMatchHandValuesAndReference() throws IOException {
        Tools.need("verilator", "iverilog", "vvp", "yosys");
        Design d = TestDesigns.alu();
        Path dir = checkTools(d);
        BigInteger w = new BigInteger("2a5f00ff00ff00ff0f", 16); // 70 bits: bits 69..66 = 1010
        BigInteger v = new BigInteger("3fffffffffffffffff", 16);
        List<Hdl.Cycle> cycles = new ArrayList<>();
        cycles.add(new Hdl.Cycle(true, in("a", 0x96, "b", 0x3c, "s", 1, "i4", 0xb, "w", w, "v", v, "spare", 0, "half", 0xa5)));
        // write the RAM: word 2 <- 0x96, then word 5 <- 0x77, then an out-of-range write (address 6)
        cycles.add(new Hdl.Cycle(false, in("a", 0x96, "b", 0x3c, "s", 1, "i4", 0x2, "w", w, "v", v, "spare", 0, "half", 0xa5)));
        cycles.add(new Hdl.Cycle(false, in("a", 0x77, "b", 0x02, "s", 1, "i4", 0x5, "w", w, "v", v, "spare", 0, "half", 0xa5)));
        cycles.add(new Hdl.Cycle(false, in("a", 0x11, "b", 0x05, "s", 1, "i4", 0x6, "w", w, "v", v, "spare", 0, "half", 0xa5)));
        cycles.add(new Hdl.Cycle(false, in("a", 0x11, "b", 0x06, "s", 0, "i4", 0x0, "w", w, "v", v, "spare", 0, "half", 0xa5)));
        List<Map<String, BigInteger>> got = Hdl.simIcarus(d, dir, cycles);
        Map<String, BigInteger> c0 = got.get(0);
        long[][] hand = {
                {0x14}, {0xbe}, {0xaa}, {0x55}, {0xd2}, {0x5a}, {0x28}, {0x69}, {0xb0}, {0x96}, {0}, {0x12}, {0}, {0xf2}, {0xff},
                {0}, {1}, {0}, {1}, {0x3c}, {0x12c79}, {0xf96}, {0x096}, {0x1c}, {0x1c}, {1}, {0}, {0}, {0}};
        String[] names = {"o_and", "o_or", "o_xor", "o_xnor", "o_add", "o_sub", "o_mul", "o_not", "o_shl3", "o_shl0", "o_shl9",
                "o_shr3", "o_shr8", "o_ashr3", "o_ashr9", "o_eq", "o_ne", "o_ltu", "o_lts", "o_mux", "o_cat", "o_sext", "o_zext",
                "o_ztr", "o_str", "o_ror", "o_rand", "o_idx", "o_get1"};
        for (int k = 0; k < names.length; k++) assertEquals(h(hand[k][0]), c0.get(names[k]), names[k]);
        assertEquals(h(0xff), c0.get("o_sext1"), "sext of a 1-bit 1");
        assertEquals(h(0xa5), c0.get("o_slice"), "w[67:60]");
        assertEquals(h(0), c0.get("o_rom6"), "ROM index 11 is out of range");
        assertEquals(h(w.bitCount()), c0.get("o_pc7"), "popcount of w");
        assertEquals(h(w.bitCount() & 7), c0.get("o_pc3"), "popcount modulo 8");
        assertEquals(BigInteger.ONE.shiftLeft(70).subtract(h(6)), c0.get("o_ashrw"), "w[69:66] = 4'b1010 (-6), sign-extended");
        assertEquals(h(0x5a), got.get(4).get("o_get1"), "1-word array at index 0");
        assertEquals(h(0x11), got.get(4).get("o_rom6"), "ROM word 0");
        assertEquals(h(0x66), got.get(2).get("o_rom6"), "ROM word 5");
        assertEquals(h(0x96), got.get(2).get("o_ram"), "RAM word 2 written in cycle 1 (raddr = b = 2)");
        assertEquals(h(0x77), got.get(3).get("o_ram"), "RAM word 5 written in cycle 2");
        assertEquals(h(0), got.get(4).get("o_ram"), "read address 6 is out of range");
        Hdl.compare("icarus directed", d, cycles, got);
        List<Hdl.Cycle> rnd = Hdl.random(d, 300, 1);
        assertTrue(Hdl.compare("icarus random", d, rnd, Hdl.simIcarus(d, dir, rnd)) > 10_000);
        assertTrue(Hdl.compare("icarus random, SYNTHESIS bodies", d, rnd, Hdl.simIcarus(d, dir, rnd, "SYNTHESIS")) > 10_000);
    }

    @Test
    void arrayOpsMatchReference() throws IOException {
        Tools.need("verilator", "iverilog", "vvp", "yosys");
        Design d = TestDesigns.arrays();
        Path dir = checkTools(d);
        assertTrue(Files.exists(dir.resolve("crom_planes.hex")), "large code ROM in a memory file, as bit planes");
        assertFalse(Files.exists(dir.resolve("crom.hex")), "the code ROM is only read as bit planes");
        String manifest = Files.readString(dir.resolve(RtlWriter.MANIFEST));
        assertTrue(manifest.contains("\"file\" : \"crom_planes.hex\""), manifest);
        VerilogEmitter.BitPlanes bp = VerilogEmitter.emit(d).bitPlanes().stream().filter(b -> b.constant().equals("crom")).findFirst().orElseThrow();
        assertEquals(3, bp.codeBits());
        assertEquals(8, bp.codes());
        assertFalse(bp.originalEmitted());
        // bit k of code j of word g sits at bit k * codes + j of line g of the planes file
        String line3 = Files.readAllLines(dir.resolve("crom_planes.hex")).get(3);
        BigInteger planes3 = new BigInteger(line3, 16);
        scnn.ir.Bits orig3 = d.node("crom").data(3);
        for (int j = 0; j < 8; j++)
            for (int k = 0; k < 3; k++)
                assertEquals(orig3.bit(j * 3 + k), planes3.testBit(k * 8 + j), "code " + j + " bit " + k);
        assertFalse(Files.exists(dir.resolve("lf_init.hex")), "reset values are one literal in the clocked block, not a memory file");
        List<Hdl.Cycle> cycles = Hdl.random(d, 400, 2);
        List<Map<String, BigInteger>> got = Hdl.simIcarus(d, dir, cycles);
        // after the reset of cycle 0: r = {1, 2, 3, 200}
        Map<String, BigInteger> c1 = got.get(1);
        long sel = cycles.get(1).in().get("sel").longValue();
        long[] r = {1, 2, 3, 200};
        assertEquals(h(sel < 4 ? r[(int) sel] : 0), c1.get("get_r"), "register array read at " + sel);
        assertEquals(h(0), c1.get("pk_zr"));
        assertEquals(h(0x03_fa_00_80L), c1.get("pk_ag"), "c4[{3, 7, 1, 0}] = {128, 0 (out of range), 250, 3}, element 0 lowest");
        assertTrue(Hdl.compare("icarus", d, cycles, got) > 3000);
        assertTrue(Hdl.compare("icarus, SYNTHESIS bodies", d, cycles, Hdl.simIcarus(d, dir, cycles, "SYNTHESIS")) > 3000);
    }

    @Test
    void foldedReadsAreCasesForYosysAndMatchReference() throws IOException {
        Tools.need("verilator", "iverilog", "vvp", "yosys");
        Design d = TestDesigns.foldedReads();
        Path dir = checkTools(d);
        String v = Files.readString(dir.resolve("fold.v"));
        String synth = Hdl.preprocess(v, java.util.Set.of("SYNTHESIS"));
        assertTrue(synth.contains("always @* row[5] = (ph[1] ? "), "the mask rows are multiplexers over the phase: " + synth);
        assertTrue(synth.contains("always @* xsel[9] = (ph[1] ? "), "the input selects too");
        assertTrue(synth.contains("always @* g2[0] = (ph[1] ? (ph[0] ? (r[0] ? "), "two leaves: {ph, r}");
        assertFalse(synth.contains("wrom"), "the weight ROM that only phase reads read is not emitted for Yosys");
        assertTrue(synth.contains("rom2["), "a ROM also read elsewhere stays");
        assertTrue(synth.contains("fold_popcount48_3 pcw_u5 (.v({8'd0, wide[5]}), .n(pcw_r[15 +: 3]));"), "a popcount module per element");
        assertTrue(v.contains("$readmemh({MEM_DIR, \"wrom.hex\"}, wrom)"), "the simulators read the ROM as before");
        // Yosys sees no memory and no shifter: per-phase constant multiplexers
        Tools.Result y = Tools.run(dir, Hdl.TIMEOUT, "yosys", "-p", "read_verilog " + String.join(" ", Hdl.readLines(dir.resolve(RtlWriter.FILE_LIST)))
                + "; hierarchy -top fold; proc; opt_clean; stat");
        assertTrue(y.ok(), y.output());
        String stat = y.output().substring(y.output().lastIndexOf("Printing statistics"));
        assertFalse(stat.contains("$mem") || stat.contains("$shiftx") || stat.contains("$memrd"), stat);
        List<Hdl.Cycle> rnd = Hdl.random(d, 300, 4);
        assertTrue(Hdl.compare("icarus", d, rnd, Hdl.simIcarus(d, dir, rnd)) > 1100);
        assertTrue(Hdl.compare("icarus, SYNTHESIS bodies", d, rnd, Hdl.simIcarus(d, dir, rnd, "SYNTHESIS")) > 1100);
    }

    @Test
    void verilatorSimulationMatchesReference() throws IOException {
        Tools.need("verilator");
        List<Design> designs = List.of(TestDesigns.alu(), TestDesigns.arrays(), TestDesigns.regArray(), TestDesigns.counter());
        Path dir = Files.createDirectory(tmp.resolve("vl"));
        List<List<Hdl.Cycle>> stimuli = new ArrayList<>();
        for (Design d : designs) {
            RtlWriter.write(d, tmp.resolve("vl_" + d.name()), Map.of());
            try (Stream<Path> s = Files.list(tmp.resolve("vl_" + d.name()))) {
                for (Path f : s.toList()) if (!f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().endsWith(".f"))
                    Files.copy(f, dir.resolve(f.getFileName()));
            }
            stimuli.add(Hdl.random(d, 300, 3));
        }
        List<List<Map<String, BigInteger>>> got = Hdl.simVerilator(dir, designs, stimuli);
        for (int k = 0; k < designs.size(); k++)
            assertTrue(Hdl.compare("verilator " + designs.get(k).name(), designs.get(k), stimuli.get(k), got.get(k)) > 500);
    }

    @Test
    void memDirParameterLetsTheSimulatorRunElsewhere() throws IOException {
        Tools.need("iverilog", "vvp");
        Design d = TestDesigns.alu();
        Path rtl = Hdl.write(d, tmp.resolve("rtl_alu"));
        Path run = Files.createDirectory(tmp.resolve("elsewhere"));
        List<Hdl.Cycle> cycles = Hdl.random(d, 50, 9);
        Files.writeString(run.resolve("tb.v"), Hdl.testbench(d, cycles, "tb", rtl.toAbsolutePath() + "/", true));
        Hdl.assertClean("iverilog", Tools.run(run, Hdl.TIMEOUT, "iverilog", "-g2005", "-s", "tb", "-o", "tb.vvp", "tb.v",
                rtl.resolve("alu.v").toAbsolutePath().toString()));
        Tools.Result r = Tools.run(run, Hdl.TIMEOUT, "vvp", "-n", "tb.vvp");
        assertTrue(r.ok() && !r.output().contains("Unable to open"), r.output());
        Hdl.compare("icarus elsewhere", d, cycles, Hdl.parse(d, r.stdout(), cycles.size()));
    }

    @Test
    void emissionIsDeterministic() throws IOException {
        for (Design d : List.of(TestDesigns.alu(), TestDesigns.arrays(), TestDesigns.counter())) {
            VerilogEmitter.Output a = VerilogEmitter.emit(d);
            VerilogEmitter.Output b = VerilogEmitter.emit(d);
            assertEquals(a.verilog(), b.verilog());
            assertEquals(a.memoryFiles(), b.memoryFiles());
            Path x = tmp.resolve("x_" + d.name()), y = tmp.resolve("y_" + d.name());
            List<Path> fx = RtlWriter.write(d, x, Map.of("seed", 1));
            List<Path> fy = RtlWriter.write(d, y, Map.of("seed", 1));
            assertEquals(fx.size(), fy.size());
            for (int i = 0; i < fx.size(); i++) {
                assertEquals(fx.get(i).getFileName(), fy.get(i).getFileName());
                assertArrayEquals(Files.readAllBytes(fx.get(i)), Files.readAllBytes(fy.get(i)), fx.get(i).toString());
            }
            try (Stream<Path> s = Files.list(x)) {
                assertEquals(fx.size(), s.count(), "only the listed files are written");
            }
        }
    }

    @Test
    void writingIntoAnUnwritableDirectoryFailsCleanly() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        scnn.core.io.ScnnException e = assertThrows(scnn.core.io.ScnnException.class,
                () -> RtlWriter.write(TestDesigns.counter(), file.resolve("rtl"), Map.of()));
        assertTrue(e.getMessage().contains("rtl"), e.getMessage());
        assertEquals("x", Files.readString(file));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "nothing left behind");
        }
        // a read-only parent (only meaningful when not running as root)
        Path ro = Files.createDirectory(tmp.resolve("ro"));
        assertTrue(ro.toFile().setWritable(false));
        try {
            if (!Files.isWritable(ro)) {
                assertThrows(scnn.core.io.ScnnException.class, () -> RtlWriter.write(TestDesigns.counter(), ro.resolve("rtl"), Map.of()));
                try (Stream<Path> s = Files.list(ro)) {
                    assertEquals(0, s.count(), "nothing left behind in the read-only directory");
                }
            }
        } finally {
            ro.toFile().setWritable(true);
        }
    }

    @Test
    void rewritingReplacesTheDirectory() throws IOException {
        Path dir = tmp.resolve("rtl");
        RtlWriter.write(TestDesigns.arrays(), dir, Map.of());
        Files.writeString(dir.resolve("stale.txt"), "old");
        List<Path> files = RtlWriter.write(TestDesigns.counter(), dir, null);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(files.size(), s.count());
        }
        assertFalse(Files.exists(dir.resolve("stale.txt")));
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> left = s.toList();
            assertEquals(1, left.size(), "no temporary directories left: " + left);
        }
    }

    @Test
    void helperNamesNeverCollideWithIrNames() throws IOException {
        Tools.need("verilator", "iverilog", "vvp");
        Design d = new Design("clash");
        scnn.ir.Node x = d.input("MEM_DIR", 8);                         // the memory-directory parameter's name
        scnn.ir.Node accQ = d.input("acc_q", 8);                        // the state vector's name
        scnn.ir.Node acc = d.reg("acc", scnn.ir.Tag.ACCUMULATOR, 8, 20, TestDesigns.words(8, new long[20]));
        scnn.ir.Node iAcc = d.op("gr_acc",   // the per-element register loop's genvar
                scnn.ir.Tag.CONTROL, scnn.ir.Op.ADD, 8, 20, TestDesigns.NONE, Ref.same(acc), Ref.scalar(x));
        scnn.ir.Node accD = d.op("acc_d", scnn.ir.Tag.CONTROL, scnn.ir.Op.XOR, 8, 20, TestDesigns.NONE, Ref.same(iAcc), Ref.scalar(accQ));
        d.connect(acc, Ref.same(accD), null);
        scnn.ir.Bits[] codes = new scnn.ir.Bits[20];
        for (int g = 0; g < 20; g++) codes[g] = scnn.ir.Bits.of(16, 0x1b6c + 977L * g);
        scnn.ir.Node k = d.constArray("k", scnn.ir.Tag.STREAM, 16, codes);
        d.op("k_planes", scnn.ir.Tag.CONTROL, scnn.ir.Op.NOT, 8, 1, TestDesigns.NONE, Ref.of(x));      // the planes' name
        scnn.ir.Node bs = d.op("g_bs", scnn.ir.Tag.MULTIPLIER, scnn.ir.Op.BITSEL, 8, 20, TestDesigns.p(2), Ref.scalar(x), Ref.same(k));
        scnn.ir.Node pc = d.op("f_popcount_8_4", scnn.ir.Tag.ACCUMULATOR, scnn.ir.Op.POPCOUNT, 4, 20, TestDesigns.NONE, Ref.same(bs));
        d.output("f_popcount_8_4_v", d.op("pk", scnn.ir.Tag.CONTROL, scnn.ir.Op.PACK, 80, 1, TestDesigns.NONE, Ref.array(pc)));
        d.output("i_pk", d.op("acc_get", scnn.ir.Tag.CONTROL, scnn.ir.Op.ARRAY_GET, 8, 1, TestDesigns.NONE, Ref.array(acc), Ref.of(accQ)));
        Path dir = Hdl.write(d, tmp.resolve("clash"));
        String v = Files.readString(dir.resolve("clash.v"));
        assertTrue(v.contains("parameter MEM_DIR_1 = \"./\""), "the parameter moved aside");
        assertTrue(v.contains("reg [159:0] acc_q_1;") && v.contains("genvar gr_acc_1;") && v.contains("function [3:0] f_popcount_8_4_1;"), v);
        Hdl.lintVerilator(dir, "clash");
        Hdl.compileIcarus(dir, "clash");
        List<Hdl.Cycle> cycles = Hdl.random(d, 60, 4);
        assertTrue(Hdl.compare("icarus", d, cycles, Hdl.simIcarus(d, dir, cycles)) > 100);
    }

    @Test
    void keywordNamesAreRejected() {
        Design d = new Design("kw");
        d.output("q", d.input("wand", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VerilogEmitter.emit(d));
        assertTrue(e.getMessage().contains("wand"), e.getMessage());
    }

    /**
     * A hierarchy (instance array, array ports, one module used twice, arrays of constants only):
     * one file per module, each once; lint- and synthesis-clean; under Icarus and Verilator the
     * outputs equal the reference evaluation of the flattened design from the first cycle on (the
     * constant arrays included: they are continuous assignments, which every simulator runs).
     */
    @Test
    void hierarchyMatchesReferenceOfTheFlatDesign() throws IOException {
        Tools.need("verilator", "iverilog", "vvp", "yosys");
        Design d = TestDesigns.hier();
        Path dir = checkTools(d);
        assertEquals(List.of("h_cell.v", "h_vec.v", "h_top.v"), Hdl.readLines(dir.resolve(RtlWriter.FILE_LIST)));
        String top = Files.readString(dir.resolve("h_top.v"));
        assertTrue(top.contains("h_cell cells [3:0] ("), top);
        assertTrue(top.contains("h_cell c2 ("), top);
        assertTrue(top.contains("assign cc[gv_cc] = "), "the constant array is a generate loop of assignments: " + top);
        scnn.ir.Flatten.Flat flat = scnn.ir.Flatten.flatten(d);
        assertEquals("cells.q", "cells.q");
        assertEquals(4, flat.design().node("cells_st").count(), "the instance array's register is one node of 4 elements");
        assertEquals("cells[2].st", flat.origin(flat.design().node("cells_st")).verilogName(2));
        assertEquals("v.acc", flat.origin(flat.design().node("v_acc")).verilogName(0));
        assertEquals(2, flat.probes().size(), "the cell's probe, once per instance");
        assertEquals(4, flat.probes().get(0).elements());
        List<Hdl.Cycle> cycles = Hdl.random(d, 300, 5);
        assertTrue(Hdl.compare("icarus", d, cycles, Hdl.simIcarus(d, dir, cycles)) > 2000);
        Path vl = Files.createDirectory(tmp.resolve("vl_h"));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) Files.copy(f, vl.resolve(f.getFileName()));
        }
        assertTrue(Hdl.compare("verilator", d, cycles, Hdl.simVerilator(vl, List.of(d), List.of(cycles)).get(0)) > 2000);
    }

    /** With the cell written as a black box, the hierarchy still lints and compiles; the cell file has no body. */
    @Test
    void blackboxCellLintsClean() throws IOException {
        Tools.need("verilator", "iverilog");
        Design d = TestDesigns.hier();
        d.instances().get(0).module().cell("h");
        Path dir = tmp.resolve("bb");
        RtlWriter.write(d, dir, Map.of(), scnn.core.io.OutputPolicy.Replace.OWN, java.util.Set.of("h"));
        String cell = Files.readString(dir.resolve("h_cell.v"));
        assertTrue(cell.contains("(* blackbox *)"), cell);
        assertFalse(cell.contains("always"), cell);
        assertEquals("[\"h_cell\"]", new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve(RtlWriter.MANIFEST).toFile()).get("blackbox_modules").toString());
        Hdl.lintVerilator(dir, d.name());
        Hdl.compileIcarus(dir, d.name());
    }

    /**
     * Named clock and active-low reset ports ({@code Design.clocking}) in a fixed port order
     * ({@code Design.portOrder}), with a sub-module on the default clk/rst: printed in that order,
     * lint-clean, and under Icarus the reset acts while aresetn is low.
     */
    @Test
    void namedActiveLowResetAndPortOrder() throws IOException {
        Tools.need("verilator", "iverilog", "vvp");
        Design cell = new Design("nr_cell");
        Node x = cell.input("x", 8);
        Node q = cell.reg("q", scnn.ir.Tag.CONTROL, 8, 5);
        cell.connect(q, Ref.of(cell.op("q_next", scnn.ir.Tag.CONTROL, scnn.ir.Op.ADD, 8, 1, new int[0], Ref.of(q), Ref.of(x))), null);
        cell.output("y", q);
        Design d = new Design("nr_top");
        Node inc = d.input("inc", 8);
        scnn.ir.Instance c = d.instance("c", cell, 1, Map.of("x", Ref.of(inc)));
        d.output("count", c.out("y"));
        d.clocking("aclk", "aresetn", true);
        d.portOrder(List.of("aclk", "count", "aresetn", "inc"));
        Path dir = tmp.resolve("nr");
        RtlWriter.write(d, dir, Map.of());
        String v = Files.readString(dir.resolve("nr_top.v"));
        int pa = v.indexOf("input wire aclk"), pc = v.indexOf("output wire [7:0] count"), pr = v.indexOf("input wire aresetn"), pi = v.indexOf("input wire [7:0] inc");
        assertTrue(pa > 0 && pa < pc && pc < pr && pr < pi, v);
        assertTrue(v.contains("wire rst = !aresetn;"), v);
        Hdl.lintVerilator(dir, d.name());
        Hdl.compileIcarus(dir, d.name());
        Files.writeString(dir.resolve("tb_nr.v"), """
                module tb_nr;
                    reg aclk = 1'b0, aresetn = 1'b0;
                    reg [7:0] inc = 8'd3;
                    wire [7:0] count;
                    nr_top dut (aclk, count, aresetn, inc);
                    initial begin
                        #5 aclk = 1; #5 aclk = 0; $display("R %0d", count);
                        aresetn = 1;
                        #5 aclk = 1; #5 aclk = 0; $display("A %0d", count);
                        #5 aclk = 1; #5 aclk = 0; $display("B %0d", count);
                        aresetn = 0;
                        #5 aclk = 1; #5 aclk = 0; $display("C %0d", count);
                        $finish;
                    end
                endmodule
                """);
        Tools.Result cr = Tools.run(dir, Hdl.TIMEOUT, "iverilog", "-g2005", "-s", "tb_nr", "-o", "nr.vvp", "tb_nr.v", "nr_cell.v", "nr_top.v");
        assertTrue(cr.ok(), cr::output);
        Tools.Result r = Tools.run(dir, Hdl.TIMEOUT, "vvp", "-n", "nr.vvp");
        assertTrue(r.ok(), r::output);
        assertTrue(r.stdout().contains("R 5") && r.stdout().contains("A 8") && r.stdout().contains("B 11") && r.stdout().contains("C 5"), r.stdout());
    }
}
