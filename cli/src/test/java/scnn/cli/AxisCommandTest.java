package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.weights.WeightsIO;

/** The AXI4-Stream top on the command line: generate writes it, option errors are one line. */
class AxisCommandTest {
    @TempDir Path tmp;

    private Path tiny() {
        Path w = tmp.resolve("tiny.json");
        WeightsIO.write(MainTest.tinyNet(), w);
        return w;
    }

    @Test
    void generateWritesTheAxisTopWithTheIssueKeys() throws Exception {
        Path out = tmp.resolve("rtl");
        MainTest.Run r = MainTest.run("generate", "--weights", tiny().toString(), "--bits", "4", "--out", out.toString(), "--axis-pixels", "2");
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        String top = m.get("top").asText(), ax = m.get("axis_top").asText();
        assertEquals(top + "_axis", ax);
        int inputs = MainTest.tinyNet().inputSize();
        assertEquals(2, m.get("axis_pixels_per_beat").asInt());
        assertEquals((inputs + 1) / 2, m.get("axis_beats_per_image").asInt());
        long cycles = m.get("cycles_per_inference").asLong();
        assertEquals(Math.max((inputs + 1) / 2, cycles + 1), m.get("axis_interval_cycles").asLong());
        assertEquals((inputs + 1) / 2 + cycles + 1, m.get("axis_latency_cycles").asLong());
        assertTrue(Files.isRegularFile(out.resolve(ax + ".v")) && Files.isRegularFile(out.resolve(ax + ".f")));
        assertTrue(Files.readString(out.resolve(ax + ".f")).contains(top + "_axis_core.v"));
        assertTrue(!Files.readString(out.resolve("files.f")).contains("_axis"), "files.f stays the core's");
        assertTrue(r.out().contains("AXI4-Stream top " + ax), r.out());
    }

    @Test
    void defaultPixelsPerBeatFitsSmallNets() {
        MainTest.Run r = MainTest.run("generate", "--weights", tiny().toString(), "--bits", "4", "--out", tmp.resolve("d").toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void badPixelsPerBeatIsAUsageError() {
        int inputs = MainTest.tinyNet().inputSize();
        for (String p : new String[] {"0", String.valueOf(inputs + 1)}) {
            MainTest.Run r = MainTest.run("generate", "--weights", tiny().toString(), "--bits", "4", "--out", tmp.resolve("x").toString(), "--axis-pixels", p);
            assertEquals(2, r.code(), r.err());
            assertEquals("scnn: --axis-pixels must be in 1.." + inputs + " (the network's inputs), got " + p, r.errLine());
        }
    }

    @Test
    void unknownTopIsAUsageError() {
        MainTest.Run r = MainTest.run("cosim", "--weights", tiny().toString(), "--top", "apb", "--images", "1");
        assertEquals(2, r.code(), r.err());
        assertEquals("scnn: --top apb is not a top (core, axis)", r.errLine());
        MainTest.Run h = MainTest.run("cosim", "--help");
        assertTrue(h.out().contains("--top") && h.out().contains("axis"), h.out());
    }
}
