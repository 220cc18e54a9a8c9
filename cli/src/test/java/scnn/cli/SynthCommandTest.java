package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;

/**
 * The synth command's options, its check that the RTL is what the weights generate, and a small
 * generated net (8x8 images, s-MTJ cells as black boxes) through the whole standard-cell flow.
 */
class SynthCommandTest {
    @TempDir
    Path tmp;

    private Path rtl() {
        Path w = tmp.resolve("tiny.json");
        WeightsIO.write(MainTest.tinyNet(), w);
        Path dir = tmp.resolve("rtl");
        MainTest.Run g = MainTest.run("generate", "--weights", w.toString(), "--bits", "4", "--out", dir.toString());
        assertEquals(0, g.code(), g.err());
        return dir;
    }

    @Test
    void badOptionsAreOneLineUsageErrors() {
        Path dir = rtl();
        MainTest.Run r = MainTest.run("synth", "--rtl", dir.toString(), "--fpga", "virtex2");
        assertEquals(2, r.code(), r.err());
        assertEquals("scnn: --fpga virtex2: unknown (ice40, xc7, none)", r.errLine());
        r = MainTest.run("synth", "--rtl", dir.toString(), "--liberty", tmp.resolve("none.lib").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.errLine().contains("none.lib: no such file"), r.err());
        r = MainTest.run("synth", "--rtl", dir.toString(), "--clock-ns", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.errLine().contains("--clock-ns must be positive"), r.err());
    }

    @Test
    void weightsThatDoNotGenerateTheRtlAreRefused() {
        scnn.generator.tools.Tools.need(scnn.generator.synth.Liberty.OSU018.toString());
        Path dir = rtl();
        Random rnd = new Random(5);
        byte[] h = new byte[4 * 784];
        for (int i = 0; i < h.length; i++) h[i] = (byte) rnd.nextInt(5);
        byte[] o = new byte[40];
        Network other = new Network("tiny-cli", 5, Network.uniformLevels(5), 784, 255,
                List.of(new Layer(784, 4, h, 0.05, null, Activation.QUANTIZE), new Layer(4, 10, o, 1.0, null, Activation.ARGMAX)), null);
        Path w = tmp.resolve("other.json");
        WeightsIO.write(other, w);
        MainTest.Run r = MainTest.run("synth", "--rtl", dir.toString(), "--liberty", "osu018", "--weights", w.toString(), "--fpga", "none");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.errLine().contains("the RTL is not what " + w + " generates"), r.err());
    }

    private Path smallNet() {
        return smallNet(tmp);
    }

    private Path images8x8() throws IOException {
        return images8x8(tmp);
    }

    /** A 64-4-10 net of 5 levels (seed 11), written into {@code tmp}. */
    static Path smallNet(Path tmp) {
        Random rnd = new Random(11);
        byte[] h = new byte[4 * 64];
        for (int i = 0; i < h.length; i++) h[i] = (byte) rnd.nextInt(5);
        byte[] o = new byte[10 * 4];
        for (int i = 0; i < o.length; i++) o[i] = (byte) rnd.nextInt(5);
        Network n = new Network("small-8x8", 5, Network.uniformLevels(5), 64, 255,
                List.of(new Layer(64, 4, h, 0.1, null, Activation.QUANTIZE), new Layer(4, 10, o, 1.0, null, Activation.ARGMAX)), null);
        Path w = tmp.resolve("small.json");
        WeightsIO.write(n, w);
        return w;
    }

    /** A data set of four random 8x8 images (seed 3), written into {@code tmp}. */
    static Path images8x8(Path tmp) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("idx8"));
        Random rnd = new Random(3);
        for (String split : List.of("train", "t10k")) {
            java.nio.ByteBuffer im = java.nio.ByteBuffer.allocate(16 + 4 * 64);
            im.putInt(0x803).putInt(4).putInt(8).putInt(8);
            for (int i = 0; i < 4 * 64; i++) im.put((byte) rnd.nextInt(256));
            Files.write(d.resolve(split + "-images-idx3-ubyte"), im.array());
            java.nio.ByteBuffer lb = java.nio.ByteBuffer.allocate(8 + 4);
            lb.putInt(0x801).putInt(4).put((byte) 0).put((byte) 1).put((byte) 2).put((byte) 3);
            Files.write(d.resolve(split + "-labels-idx1-ubyte"), lb.array());
        }
        return d;
    }

    /**
     * Generate, then synthesize to OSU 0.18 um, time and estimate power from the simulated activity:
     * every simulated register, RAM and port bit is found in the mapped netlist under its RTL name,
     * the area is the mapped cells' plus the black-box fanout buffers', the critical path is a path
     * of the netlist, the energy per inference is power x cycles x T, the s-MTJ cells stay black boxes.
     */
    @Test
    void aSmallGeneratedNetGoesThroughSynthesisTimingAndPower() throws IOException {
        scnn.generator.tools.Tools.need("yosys", "sta", scnn.generator.synth.Liberty.OSU018.toString());
        Path w = smallNet(), d = images8x8(), dir = tmp.resolve("small-rtl");
        MainTest.Run g = MainTest.run("generate", "--weights", w.toString(), "--bits", "8", "--smtj-cell", "blackbox", "--out", dir.toString());
        assertEquals(0, g.code(), g.err());
        MainTest.Run r = MainTest.run("synth", "--rtl", dir.toString(), "--liberty", "osu018", "--weights", w.toString(), "--dataset", d.toString(),
                "--images", "4", "--fpga", "none", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out()), a = j.path("asic");
        JsonNode man = Json.MAPPER.readTree(dir.resolve("manifest.json").toFile());
        int cycles = man.path("cycles_per_inference").asInt();
        assertTrue(cycles > 8, "cycles per inference: " + cycles);

        scnn.generator.synth.Liberty lib = scnn.generator.synth.Liberty.read(scnn.generator.synth.Liberty.OSU018);
        double sum = 0;
        long ffs = 0;
        for (var it = a.path("cells_by_type").fields(); it.hasNext(); ) {
            var e = it.next();
            var c = lib.cell(e.getKey());
            if (c == null) continue;
            sum += c.area() * e.getValue().asLong();
            if (c.sequential()) ffs += e.getValue().asLong();
        }
        assertEquals(sum, a.path("area_um2").asDouble(), 1e-3 * Math.max(1, sum / 1e6));
        assertEquals(a.path("area_um2").asDouble(), a.path("yosys_area_um2").asDouble() + a.path("fanout_buffers").path("area_um2").asDouble(),
                1e-3 * Math.max(1, sum / 1e6));
        assertEquals(ffs, a.path("flip_flops").asLong());
        // the pixel RAM alone holds 64 words of 8 bits
        assertTrue(ffs >= 64 * 8, "flip-flops: " + ffs);
        // one black-box cell per s-MTJ source of the design
        assertEquals(man.path("smtj_sources").asLong(), a.path("black_boxes").asLong(), () -> "manifest: " + man);

        JsonNode t = a.path("timing");
        assertTrue(t.path("path_in_netlist").asBoolean(), () -> "critical path: " + t);
        assertEquals(t.path("clock_ns").asDouble() - t.path("setup_ns").asDouble() - t.path("delay_ns").asDouble(), t.path("slack_ns").asDouble(), 2e-4);

        JsonNode p = a.path("power"), act = p.path("activity");
        assertEquals(0, act.path("simulated_nets_not_in_netlist").asLong(), () -> "every simulated bit has its RTL name in the netlist: " + act);
        assertTrue(act.path("nets_from_simulation").asLong() >= 64 * 8, () -> "the pixel RAM's bits at least: " + act);
        double total = p.path("total_w").asDouble();
        assertEquals(total * cycles * t.path("clock_ns").asDouble() * 1e-9 * 1e12, p.path("logic_energy_pj_per_inference").asDouble(), total * 1e-3);
        JsonNode c = a.path("energy_comparison");
        assertEquals(p.path("logic_energy_pj_per_inference").asDouble(), c.path("library_logic_pj").asDouble(), 1e-9);
        assertEquals(c.path("library_logic_pj").asDouble() / c.path("event_model_logic_pj").asDouble(), c.path("library_over_event_model").asDouble(), 1e-9);
        assertTrue(Files.isRegularFile(dir.resolve(a.path("energy_file").asText())), "the calibrated energy file");
    }
}
