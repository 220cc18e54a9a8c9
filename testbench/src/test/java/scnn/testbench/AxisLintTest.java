package scnn.testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scnn.core.weights.Network;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.generator.arch.SynapseRng;
import scnn.generator.axis.AxisTop;
import scnn.generator.tools.Tools;
import scnn.generator.verilog.RtlWriter;
import scnn.testbench.axis.AxisRtl;

/**
 * The AXI4-Stream wrapper of every design kind (quantized with one and three hidden layers, both
 * encodings, fold > 1, replayed weight streams, device physics, the analog baseline, the s-MTJ cell
 * as a black box): {@code verilator --lint-only -Wall} prints nothing, Icarus compiles it, and the
 * ports are exactly the issue's.
 */
class AxisLintTest {
    record Kind(String name, Network net, ScConfig cfg, int pixels, boolean blackbox) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(
                new Kind("q1h_sm", RandomNets.random("q1h_sm", 31, 5, 6, 10), ScConfig.of(8), 8, false),
                new Kind("q3h_bp", RandomNets.random("q3h_bp", 32, 11, 5, 4, 3, 10), ScConfig.of(6).withEncoding(Encoding.BIPOLAR), 8, false),
                new Kind("q1h_fold4_p1", RandomNets.random("q1h_fold4", 33, 3, 6, 10), ScConfig.of(4).withFold(4), 1, false),
                new Kind("q1h_replay_p784", RandomNets.random("q1h_replay", 34, 11, 5, 10),
                        new ScConfig(8, Encoding.SIGN_MAGNITUDE, 2, 3, SmtjModel.DEFAULT, RandomNetsCosimTest.replayFile()), 784, false),
                new Kind("q1h_physics_p3", RandomNets.random("q1h_physics", 35, 5, 6, 10),
                        new ScConfig(8, Encoding.SIGN_MAGNITUDE, 1, 4, SmtjModel.of(new scnn.generator.arch.DevicePhysics(Math.log(10), 1.0, 10.0, 2.0))), 3, false),
                new Kind("analog_p16", RandomNets.analog("analog", 36, 15, true, 6, 10), ScConfig.of(8).withSynapseRng(SynapseRng.XOR), 16, false),
                new Kind("blackbox_p8", RandomNets.random("blackbox", 37, 5, 6, 10), ScConfig.of(8), 8, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void wrapperLintsCleanAndCompiles(Kind k) throws IOException {
        Tools.need("verilator", "iverilog");
        ScDesign sd = ScBuilder.build(k.net(), k.cfg(), ScBuilder.topName(k.name()));
        AxisTop.Axis ax = AxisTop.build(sd, k.pixels());
        Path dir = Path.of("target", "axis-lint", k.name()).toAbsolutePath();
        AxisRtl.write(sd, ax, dir, sd.manifestFacts(), scnn.core.io.OutputPolicy.Replace.FORCE,
                k.blackbox() ? Set.of(ScDesign.SMTJ_CELL) : Set.of());
        String top = ax.design().name();
        String list = top + ".f";
        Tools.Result v = Tools.run(dir, Duration.ofMinutes(10), "verilator", "--lint-only", "-Wall", "--top-module", top, "-f", list);
        assertTrue(v.ok(), () -> "verilator failed: " + v.output());
        assertEquals("", v.output().strip(), "verilator --lint-only -Wall printed something");
        Tools.Result i = Tools.run(dir, Duration.ofMinutes(10), "iverilog", "-g2005", "-s", top, "-o", "axis-lint.vvp", "-c", list);
        assertTrue(i.ok(), () -> "iverilog failed: " + i.output());
        assertEquals("", i.output().strip(), "iverilog printed something");

        JsonNode m = new ObjectMapper().readTree(dir.resolve(RtlWriter.MANIFEST).toFile());
        assertEquals(top, m.get("axis_top").asText());
        assertEquals(k.pixels(), m.get("axis_pixels_per_beat").asInt());
        assertEquals((784 + k.pixels() - 1) / k.pixels(), m.get("axis_beats_per_image").asInt());
        assertEquals(ax.intervalCycles(), m.get("axis_interval_cycles").asLong());
        assertEquals(ax.latencyCycles(), m.get("axis_latency_cycles").asLong());
        JsonNode ports = m.at("/further_tops/" + top + "/ports");
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode p : ports) names.add(p.get("name").asText());
        assertEquals(AxisTop.PORTS, names);
        Map<String, Integer> widths = new java.util.HashMap<>();
        for (JsonNode p : ports) widths.put(p.get("name").asText(), p.get("width").asInt());
        assertEquals(8 * k.pixels(), widths.get("s_axis_tdata"));
        assertEquals(8, widths.get("m_axis_tdata"));
        String v1 = Files.readString(dir.resolve(top + ".v"));
        assertTrue(v1.contains("module " + top + " #("), "MEM_DIR parameter");
        assertTrue(v1.contains("parameter MEM_DIR = \"./\""), "MEM_DIR parameter");
    }
}
