package scnn.generator.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.generator.tools.Tools;
import scnn.generator.verilog.RtlWriter;

class Xc7FlowTest {
    @TempDir
    Path tmp;

    @Test
    void partFitsFollowTheDataSheetLimits() {
        Map<String, Object> s = Xc7Flow.summarize(Map.of("LUT6", 20_801L, "FDRE", 100L, "RAMB36E1", 2L, "RAMB18E1", 3L));
        assertEquals(20_801L, s.get("luts"));
        assertEquals(3.5, (Double) s.get("bram36"));
        assertEquals(false, ((Map<?, ?>) ((Map<?, ?>) s.get("parts")).get("xc7a35t")).get("fits"));
        assertEquals(true, ((Map<?, ?>) ((Map<?, ?>) s.get("parts")).get("xc7a100t")).get("fits"));
        assertEquals("xc7a100t", s.get("smallest_part"));
        // LUTs used as RAM count against the LUTs; carry chains against the slices
        Map<String, Object> t = Xc7Flow.summarize(Map.of("LUT4", 20_000L, "RAM64M", 201L));
        assertEquals(804L, t.get("lutram_luts"));
        assertEquals("xc7a100t", t.get("smallest_part"));
        assertEquals("xc7k325t", Xc7Flow.summarize(Map.of("CARRY4", 16_000L)).get("smallest_part"));
        assertEquals(null, Xc7Flow.summarize(Map.of("DSP48E1", 841L)).get("smallest_part"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void synthXilinxCountsTheRegistersAndGrowsWithTheNeurons() {
        Tools.need("yosys");
        Map<String, Object>[] x = new Map[2];
        for (int k = 0; k < 2; k++) {
            Path dir = tmp.resolve("x" + k);
            RtlWriter.write(AsicFlowTest.neurons(4 << k, 12), dir, Map.of());
            Map<String, Object> r = YosysSynth.run(dir, YosysSynth.Options.defaults().withPnr(false).withXc7(true));
            x[k] = (Map<String, Object>) ((Map<String, Object>) r.get("fpga")).get("xc7");
        }
        assertEquals(40L, x[0].get("flip_flops"), () -> "cells: " + x[0].get("cells_by_type"));
        assertEquals(80L, x[1].get("flip_flops"));
        assertTrue((Long) x[1].get("luts") > (Long) x[0].get("luts"), () -> x[0].get("luts") + " vs " + x[1].get("luts"));
        assertEquals("xc7a35t", x[0].get("smallest_part"));
    }
}
