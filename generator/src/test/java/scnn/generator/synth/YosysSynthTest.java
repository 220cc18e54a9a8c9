package scnn.generator.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.ScnnException;
import scnn.generator.tools.Tools;
import scnn.generator.verilog.RtlWriter;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

class YosysSynthTest {
    @TempDir
    Path tmp;

    /** Yosys 0.23's stat -json of a two-level hierarchy has plain-text submodule counts between the modules and "design". */
    @Test
    void statJsonWithTheHierarchyTextLinesIsRead() throws IOException {
        Path f = tmp.resolve("stat.json");
        Files.writeString(f, """
                {
                   "modules": {
                      "\\\\top": {
                         "num_cells":         3,
                         "num_cells_by_type": {
                            "$_AND_": 1,
                            "$paramod\\\\layer\\\\MEM_DIR=t16'0010": 2
                         }
                      }
                   },
                       top_popcount32_7      7
                       $paramod\\layer\\MEM_DIR=t16'0010      2
                   "design": {
                      "num_cells":         17
                   }
                }
                """);
        JsonNode j = YosysSynth.readStat(f);
        assertEquals(17, j.path("design").path("num_cells").asInt());
        assertEquals(2, j.path("modules").path("\\top").path("num_cells_by_type").path("$paramod\\layer\\MEM_DIR=t16'0010").asInt());
    }

    /** 8-bit counter with enable plus a 4 x 4-bit ROM read by the count: 8 flip-flops. */
    static Design counterWithRom() {
        Design d = new Design("syn_counter");
        Node en = d.input("en", 1);
        Node cnt = d.reg("cnt", Tag.CONTROL, 8, 0);
        Node one = d.constant("one", Tag.CONTROL, 8, 1);
        d.connect(cnt, Ref.of(d.op("inc", Tag.CONTROL, Op.ADD, 8, 1, new int[0], Ref.of(cnt), Ref.of(one))), Ref.of(en));
        scnn.ir.Bits[] words = new scnn.ir.Bits[40];
        for (int i = 0; i < words.length; i++) words[i] = scnn.ir.Bits.of(4, (i * 7) % 16);
        Node rom = d.constArray("rom", Tag.MEMORY, 4, words); // 40 words: a memory file
        d.output("q", cnt);
        d.output("w", d.op("w_get", Tag.CONTROL, Op.ARRAY_GET, 4, 1, new int[0], Ref.array(rom), Ref.of(cnt)));
        return d;
    }

    @Test
    void synthesizesCountsFlipFlopsAndPlacesOnIce40() throws IOException {
        assumeTrue(Tools.require("yosys", "nextpnr-ice40"));
        Path dir = tmp.resolve("rtl");
        RtlWriter.write(counterWithRom(), dir, Map.of());
        Map<String, Object> r = YosysSynth.run(dir, YosysSynth.Options.defaults());
        assertEquals("syn_counter", r.get("top"));
        assertEquals(8L, r.get("flip_flops"));
        assertTrue((Long) r.get("cells") > 8);
        assertTrue((Long) r.get("cmos_transistors") > 8 * 16, "8 D flip-flops of 16 transistors and some logic");
        assertEquals(true, r.get("cmos_estimate_complete"));
        @SuppressWarnings("unchecked")
        Map<String, Object> pnr = (Map<String, Object>) r.get("pnr");
        assertEquals(true, pnr.get("ran"));
        assertEquals(true, pnr.get("fits"), () -> "pnr: " + pnr);
        assertTrue(pnr.get("utilisation") instanceof Map<?, ?> u && u.containsKey("ICESTORM_LC"), () -> "utilisation: " + pnr);
        JsonNode j = new ObjectMapper().readTree(dir.resolve(YosysSynth.REPORT).toFile());
        assertEquals(8, j.path("flip_flops").asInt());
        assertTrue(Files.exists(dir.resolve(YosysSynth.LOG_DIR).resolve("yosys.log")));
        // Yosys reads the memory file: without it, synthesis fails with a one-line error naming it
        Files.delete(dir.resolve("rom.hex"));
        ScnnException e = assertThrows(ScnnException.class, () -> YosysSynth.run(dir, YosysSynth.Options.defaults().withPnr(false)));
        assertTrue(e.getMessage().contains("rom.hex"), e.getMessage());
    }

    @Test
    void noPnrSkipsPlaceAndRoute() {
        assumeTrue(Tools.require("yosys"));
        Path dir = tmp.resolve("rtl");
        RtlWriter.write(counterWithRom(), dir, Map.of());
        Map<String, Object> r = YosysSynth.run(dir, YosysSynth.Options.defaults().withPnr(false));
        @SuppressWarnings("unchecked")
        Map<String, Object> pnr = (Map<String, Object>) r.get("pnr");
        assertEquals(false, pnr.get("ran"));
        assertTrue(String.valueOf(pnr.get("reason")).contains("--no-pnr"));
    }

    @Test
    void aDesignThatDoesNotFitIsReportedNotAnError() {
        assumeTrue(Tools.require("yosys", "nextpnr-ice40"));
        Design d = new Design("too_many_pins");
        Node a = d.input("a", 200);
        Node b = d.input("b", 200);
        d.output("y", d.op("y_and", Tag.CONTROL, Op.AND, 200, 1, new int[0], Ref.of(a), Ref.of(b)));
        Path dir = tmp.resolve("pins");
        RtlWriter.write(d, dir, Map.of());
        Map<String, Object> r = YosysSynth.run(dir, YosysSynth.Options.defaults());
        @SuppressWarnings("unchecked")
        Map<String, Object> pnr = (Map<String, Object>) r.get("pnr");
        assertEquals(true, pnr.get("ran"));
        assertEquals(false, pnr.get("fits"));
        assertFalse(String.valueOf(pnr.get("error")).isBlank());
    }

    @Test
    void notAnRtlDirectoryIsAOneLineError() throws IOException {
        ScnnException e = assertThrows(ScnnException.class, () -> YosysSynth.run(tmp, YosysSynth.Options.defaults()));
        assertTrue(e.getMessage().contains("not an RTL directory"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Path dir = tmp.resolve("rtl");
        RtlWriter.write(counterWithRom(), dir, Map.of());
        Files.writeString(dir.resolve(RtlWriter.FILE_LIST), "missing.v\n");
        e = assertThrows(ScnnException.class, () -> YosysSynth.run(dir, YosysSynth.Options.defaults()));
        assertTrue(e.getMessage().contains("missing.v"), e.getMessage());
    }

    @Test
    void yosysErrorsAreOneLine() throws IOException {
        assumeTrue(Tools.require("yosys"));
        Path dir = tmp.resolve("rtl");
        RtlWriter.write(counterWithRom(), dir, Map.of());
        Files.writeString(dir.resolve("syn_counter.v"), "module syn_counter(input wire clk); assign = ; endmodule\n");
        ScnnException e = assertThrows(ScnnException.class, () -> YosysSynth.run(dir, YosysSynth.Options.defaults()));
        assertTrue(e.getMessage().startsWith("yosys failed"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void flipFlopCellNames() {
        assertEquals(1 + 2 + 3 + 4 + 5 + 6, YosysSynth.flipFlops(Map.of("$_DFF_P_", 1L, "$_SDFF_PP0_", 2L, "$_DFFE_PP_", 3L,
                "$_SDFFE_PP1P_", 4L, "$_DLATCH_P_", 5L, "$_ALDFF_PP_", 6L, "$_AND_", 100L, "$_MUX_", 7L)));
    }
}
