package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistFiles;
import scnn.core.model.ReferenceModel;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;

/** The command line: exit codes and messages for bad input, help, and eval on a tiny network. */
class MainTest {
    @TempDir Path tmp;

    @BeforeAll
    static void root() {
        String r = System.getProperty("scnn.root");
        assertNotNull(r, "surefire sets scnn.root (see the root pom.xml)");
        // eval reads data/mnist under the root: fetch it once here (a clean clone has none) so
        // the commands under test find the real files
        MnistFiles.defaultLocation(Path.of(r)).ensure();
        for (String f : MnistFiles.SHA256.keySet())
            assertTrue(Files.isRegularFile(Path.of(r, "data", "mnist", f)), "data/mnist/" + f + " is missing after fetching");
    }

    record Run(int code, String out, String err) {
        /** Standard error is exactly one line. */
        String errLine() {
            assertTrue(err.endsWith("\n"), "stderr ends with a newline: " + err);
            String line = err.substring(0, err.length() - 1);
            assertFalse(line.contains("\n"), "stderr is one line: " + err);
            return line;
        }
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
            System.out.flush();
            System.err.flush();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A valid 784-4-10 network with pseudo-random codes. */
    static Network tinyNet() {
        Random r = new Random(42);
        byte[] h = new byte[4 * 784];
        for (int i = 0; i < h.length; i++) h[i] = (byte) r.nextInt(5);
        byte[] o = new byte[10 * 4];
        for (int i = 0; i < o.length; i++) o[i] = (byte) r.nextInt(5);
        return new Network("tiny-cli", 5, Network.uniformLevels(5), 784, 255,
                List.of(new Layer(784, 4, h, 0.05, new double[] {0.5, -0.5, 0.25, 0}, Activation.QUANTIZE),
                        new Layer(4, 10, o, 1.0, null, Activation.ARGMAX)), null);
    }

    private Path tinyFile() {
        Path w = tmp.resolve("tiny.json");
        WeightsIO.write(tinyNet(), w);
        return w;
    }

    @Test
    void sweepWritesTablesPlotsAndResumes() throws IOException {
        Path out = tmp.resolve("sweep");
        Run r = run("sweep", "--weights", tinyFile().toString(), "--bits", "2,4", "--images", "64", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 points (2 computed, 0 reused)"), r.out());
        for (String f : List.of("results.csv", "results.json", "results.md", "accuracy_vs_bits.png", "energy_vs_bits.png",
                "latency_vs_bits.png", "accuracy_vs_energy.png"))
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(2, json.get("points").size());
        assertEquals(6, json.get("points").get(0).get("cycles_per_inference").asInt(), "2 layers x (N + 1)");
        assertEquals(3, Files.readAllLines(out.resolve("results.csv")).size());
        double secs = 0;
        for (JsonNode p : json.get("points")) secs += p.get("performance").get("wall_s").asDouble() + p.get("performance").get("compile_s").asDouble();
        assertEquals(secs, json.get("points_seconds").asDouble(), 1e-9);
        Run again = run("sweep", "--weights", tinyFile().toString(), "--bits", "2,4", "--images", "64", "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("2 points (0 computed, 2 reused)"), again.out());
        // recording the accuracies in the provenance keeps the network, and so the stored points
        Path w = tmp.resolve("tiny.json");
        Run rec = run("sweep", "--weights", w.toString(), "--bits", "2,4", "--images", "64", "--out", out.toString(), "--record-provenance");
        assertEquals(0, rec.code(), rec.err());
        var prov = WeightsIO.read(w).provenance().get("cycle_accurate_test_accuracy");
        assertEquals(64, prov.get("images").asInt());
        assertEquals(json.get("points").get(1).get("accuracy").asDouble(), prov.get("accuracy_by_bits").get("4").asDouble(), 1e-6);
        assertEquals(tinyNet(), WeightsIO.read(w).withProvenance(tinyNet().provenance()));
        Run after = run("sweep", "--weights", w.toString(), "--bits", "2,4", "--images", "64", "--out", out.toString());
        assertTrue(after.out().contains("2 points (0 computed, 2 reused)"), after.out());
    }

    /** A 784-4-10 analog baseline (s-MTJ sigmoid hidden layer, 127 dyadic levels) with pseudo-random codes. */
    static Network tinyAnalogNet() {
        Random r = new Random(7);
        byte[] h = new byte[4 * 784];
        for (int i = 0; i < h.length; i++) h[i] = (byte) r.nextInt(127);
        byte[] o = new byte[10 * 4];
        for (int i = 0; i < o.length; i++) o[i] = (byte) r.nextInt(127);
        double[] v = new double[127];
        for (int c = 0; c < 127; c++) v[c] = (c - 63) / 64.0;
        return new Network("tiny-analog", 127, v, 784, 255,
                List.of(new Layer(784, 4, h, 0.1, new double[] {0.5, -0.5, 0.25, 0}, Activation.SMTJ_SIGMOID),
                        new Layer(4, 10, o, 1.0, null, Activation.ARGMAX)), null);
    }

    /** An analog baseline in the sweep is compared with the quantized nets of the same depth: ratios from the simulation. */
    @Test
    void sweepComparesTheAnalogBaselineWithTheQuantizedNets() throws IOException {
        Path a = tmp.resolve("tiny-analog.json");
        WeightsIO.write(tinyAnalogNet(), a);
        Path out = tmp.resolve("sweep-analog");
        Run r = run("sweep", "--weights", tinyFile() + "," + a, "--bits", "2,4", "--images", "64", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode bl = json.get("analog_baseline");
        assertEquals(2, bl.size(), "one pair per length");
        java.util.Map<Integer, JsonNode> pts = new java.util.HashMap<>();
        for (JsonNode p : json.get("points")) if (p.get("arch").asText().equals("quantized")) pts.put(p.get("bits").asInt(), p);
        for (JsonNode p : json.get("points")) {
            if (!p.get("arch").asText().equals("analog")) continue;
            JsonNode o = null;
            for (JsonNode b : bl) if (b.get("bits").asInt() == p.get("bits").asInt()) o = b;
            assertNotNull(o);
            JsonNode q = pts.get(p.get("bits").asInt());
            assertEquals(p.get("energy_pj_per_inference").asDouble() / q.get("energy_pj_per_inference").asDouble(), o.get("energy_ratio").asDouble(), 1e-12);
            assertTrue(o.get("energy_ratio").asDouble() > 1, "4 x 784 per-synapse devices against a few level devices");
            assertEquals(1.0, o.get("latency_ratio").asDouble(), "same control: layers x (N + 1) cycles");
            assertEquals(1.0, o.get("activation_latency_ratio").asDouble());
            assertEquals(q.get("accuracy").asDouble() - p.get("accuracy").asDouble(), o.get("difference").asDouble(), 1e-12);
        }
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| tiny-analog / tiny |"), md);
        assertTrue(md.contains("Analog baseline / quantized net"), md);
    }

    @Test
    void sweepRejectsBadLengths() {
        Run r = run("sweep", "--weights", tinyFile().toString(), "--bits", "0", "--out", tmp.resolve("s").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.errLine().contains("--bits"), r.err());
        assertFalse(Files.exists(tmp.resolve("s").resolve("results.csv")));
    }

    @Test
    void nonNumericImagesIsAUsageError() {
        Run r = run("eval", "--images", "abc");
        assertEquals(2, r.code());
        String line = r.errLine();
        assertTrue(line.contains("--images") && line.contains("abc"), line);
        assertTrue(line.contains("see 'scnn eval --help'"), line);
        assertEquals("", r.out());
    }

    @Test
    void unknownOptionAndCommandAreUsageErrors() {
        Run r = run("eval", "--frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.errLine().contains("--frobnicate"), r.err());
        Run s = run("frobnicate");
        assertEquals(2, s.code());
        assertTrue(s.errLine().contains("frobnicate"), s.err());
    }

    @Test
    void zeroImagesIsAUsageError() {
        Run r = run("eval", "--weights", tinyFile().toString(), "--images", "0");
        assertEquals(2, r.code());
        assertTrue(r.errLine().contains("--images must be at least 1, got 0"), r.err());
    }

    @Test
    void missingWeightsFile() {
        Path w = tmp.resolve("missing.json");
        Run r = run("eval", "--weights", w.toString());
        assertEquals(1, r.code());
        assertEquals("scnn: " + w + ": no such file", r.errLine());
        assertEquals("", r.out());
    }

    @Test
    void badWeightsFileGivesTheReadersMessage() throws IOException {
        String valid = WeightsIO.toJsonString(tinyNet());
        List<String> bad = List.of(
                valid.replace("\"levels\" : 5", "\"levels\" : 4"),
                valid.substring(0, valid.length() / 2),
                "",
                valid.replace("\"activation\" : \"argmax\"", "\"activation\" : \"quantize\""));
        int i = 0;
        for (String text : bad) {
            Path w = Files.writeString(tmp.resolve("bad" + (i++) + ".json"), text);
            String expected = assertThrows(ScnnException.class, () -> WeightsIO.read(w)).getMessage();
            Run r = run("eval", "--weights", w.toString());
            assertEquals(1, r.code(), expected);
            assertEquals("scnn: " + expected, r.errLine());
            assertTrue(expected.startsWith(w + ": "), expected);
        }
    }

    @Test
    void missingMnistDirectory() {
        Path d = tmp.resolve("no-mnist");
        Run r = run("eval", "--weights", tinyFile().toString(), "--mnist", d.toString());
        assertEquals(1, r.code());
        assertEquals("scnn: " + d + ": --mnist directory does not exist", r.errLine());
    }

    @Test
    void evalOnFashionMnist() throws IOException {
        boolean present = Files.isRegularFile(MnistFiles.FASHION_DIR.resolve("t10k-labels-idx1-ubyte.gz"));
        assertTrue(present, MnistFiles.FASHION_DIR + " is missing: ./scnn test installs it (apt-get install -y dataset-fashion-mnist)");
        Run r = run("eval", "--weights", tinyFile().toString(), "--images", "30", "--dataset", "fashion-mnist", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        var e = new ReferenceModel(tinyNet()).evaluate(MnistFiles.fashion(MnistFiles.FASHION_DIR).test(), 30);
        assertEquals(e.correct(), j.get("correct").asInt());
        assertEquals(30, j.get("images").asInt());
    }

    @Test
    void datasetDirectoryMustFitTheNetwork() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("idx"));
        for (String split : List.of("train", "t10k")) {
            java.nio.ByteBuffer im = java.nio.ByteBuffer.allocate(16 + 2 * 6);
            im.putInt(0x803).putInt(2).putInt(2).putInt(3);
            Files.write(d.resolve(split + "-images-idx3-ubyte"), im.array());
            java.nio.ByteBuffer lb = java.nio.ByteBuffer.allocate(8 + 2);
            lb.putInt(0x801).putInt(2).put((byte) 0).put((byte) 1);
            Files.write(d.resolve(split + "-labels-idx1-ubyte"), lb.array());
        }
        Path w = tinyFile();
        Run r = run("eval", "--weights", w.toString(), "--dataset", d.toString());
        assertEquals(1, r.code());
        assertEquals("scnn: " + d + ": images have 2x3 = 6 pixels, but " + w + " takes 784 inputs", r.errLine());
        Run bad = run("eval", "--weights", w.toString(), "--dataset", "no-such-set");
        assertEquals(2, bad.code(), "a bad option value exits 2");
        assertEquals("scnn: --dataset: no-such-set is neither mnist, fashion-mnist nor a directory of IDX files", bad.errLine());
        Run data = run("data", "--dataset", d.toString());
        assertEquals(0, data.code(), data.err());
        assertTrue(data.out().contains("test set: 2 images, training set: 2 images (2x3 pixels, 2 classes)"), data.out());
    }

    @Test
    void helpOfEveryCommand() {
        for (String cmd : List.of("run", "eval", "data", "test")) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().startsWith("Usage: scnn " + cmd), r.out());
            assertTrue(r.out().contains("-h, --help"), r.out());
            assertEquals("", r.err(), cmd);
            Run h = run("help", cmd);
            assertEquals(0, h.code(), cmd);
            assertEquals(r.out(), h.out(), "'scnn help " + cmd + "' prints the same usage");
        }
        assertTrue(run("eval", "--help").out().contains("--weights=W"));
        assertTrue(run("data", "--help").out().contains("--mnist=DIR"));
        Run top = run("--help");
        assertEquals(0, top.code());
        for (String cmd : List.of("run", "generate", "eval", "data", "test")) assertTrue(top.out().contains("  " + cmd), top.out());
    }

    @Test
    void evalJsonOnTwentyImages() throws IOException {
        Path w = tinyFile();
        Run r = run("eval", "--weights", w.toString(), "--images", "20", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(20, j.get("images").asInt());
        assertEquals("tiny-cli", j.get("network").asText());
        assertEquals("784-4-10", j.get("shape").asText());
        assertEquals(5, j.get("levels").asInt());
        assertEquals(w.toString(), j.get("weights").asText());
        int correct = j.get("correct").asInt();
        assertEquals(correct / 20.0, j.get("accuracy").asDouble());
        assertTrue(j.has("float_activation_accuracy"));
        // the same numbers as the reference model on the first 20 test images
        var e = new ReferenceModel(tinyNet()).evaluate(MnistFiles.defaultLocation(Path.of(System.getProperty("scnn.root"))).test(), 20);
        assertEquals(e.correct(), correct);
        assertEquals(e.floatAccuracy(), j.get("float_activation_accuracy").asDouble());
    }

    @Test
    void evalTextOutput() {
        Run r = run("eval", "--weights", tinyFile().toString(), "--images", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("tiny-cli (784-4-10, 5 levels, 3,176 synapses)"), r.out());
        assertTrue(r.out().contains("test images)"), r.out());
        assertTrue(r.out().contains("/ 5 test images"), r.out());
    }

    /** A varied chip: simulate --json names its affected devices (the analog baseline's too); bad values are one-line usage errors. */
    @Test
    void simulateAVariedChip() throws IOException {
        String w = tinyFile().toString();
        Run r = run("simulate", "--weights", w, "--bits", "8", "--images", "64", "--json", "--variation", "0.4", "--stuck-rate", "0.05", "--chip-seed", "3");
        assertEquals(0, r.code(), r.err());
        JsonNode c = new ObjectMapper().readTree(r.out()).get("chip");
        assertEquals(3, c.get("chip_seed").asLong());
        assertEquals(0.4, c.get("variation").asDouble());
        assertEquals(784 + 1 + 4 + 1, c.get("devices").asInt(), "pixel, weight-level and hidden-neuron devices");
        int stuck = 0;
        for (JsonNode g : c.get("groups")) stuck += g.get("stuck_at_0").size() + g.get("stuck_at_1").size();
        assertEquals(c.get("stuck_devices").asInt(), stuck);
        assertTrue(stuck > 0 && stuck < 100, "about 5 % of 790: " + stuck);
        Run ideal = run("simulate", "--weights", w, "--bits", "8", "--images", "64", "--json");
        assertFalse(new ObjectMapper().readTree(ideal.out()).has("chip"), "an ideal chip has no chip report");
        Run bad = run("simulate", "--weights", w, "--variation", "-1");
        assertEquals(2, bad.code());
        assertTrue(bad.errLine().startsWith("scnn: --variation must be in 0..100"), bad.err());
        Run bad2 = run("simulate", "--weights", w, "--stuck-rate", "2");
        assertEquals(2, bad2.code());
        assertTrue(bad2.errLine().contains("--stuck-rate must be in 0..1"), bad2.err());
        String analog = Path.of(System.getProperty("scnn.root"), "weights", "mnist-1h-analog.json").toString();
        Run an = run("simulate", "--weights", analog, "--bits", "8", "--images", "64", "--json", "--variation", "0.2", "--stuck-rate", "0.01");
        assertEquals(0, an.code(), an.err());
        JsonNode ac = new ObjectMapper().readTree(an.out()).get("chip");
        java.util.List<String> names = new java.util.ArrayList<>();
        for (JsonNode g : ac.get("groups")) names.add(g.get("group").asText());
        assertEquals(java.util.List.of("l1_in", "l1_syn", "l2_in", "l2_syn"), names, "pixel, synapse, DAC-biased and synapse devices");
        assertEquals(256, ac.get("groups").get(2).get("devices").asInt());
        assertTrue(ac.get("stuck_devices").asInt() > 1000, "about 1 % of some 203,000 devices: " + ac.get("stuck_devices"));
    }

    /** The shipped analog baseline: simulate picks the architecture from the weights and reports its events. */
    @Test
    void simulateTheAnalogBaseline() throws IOException {
        String w = Path.of(System.getProperty("scnn.root"), "weights", "mnist-1h-analog.json").toString();
        Run r = run("simulate", "--weights", w, "--bits", "8", "--images", "64", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("analog", j.get("arch").asText());
        assertEquals(18, j.get("cycles_per_inference").asInt());
        assertEquals(1, j.get("activation_latency_cycles").asInt());
        assertEquals(10.0, j.get("activation_latency_ns").asDouble());
        assertEquals(256.0, j.get("switching_events").get("dac_conversions").asDouble());
        assertEquals(256 * 1.0, j.get("energy_breakdown_pj").get("dac").asDouble(), 1e-9);
        assertTrue(j.get("switching_events").get("smtj_samples").asDouble() > 100 * 784 * 8, "per-synapse devices are sampled");
        assertTrue(j.get("accuracy").asDouble() > 0.5, "far above chance at N = 8: " + j.get("accuracy"));
        // a device file's DAC: latency 3 cycles (the control waits 2 cycles after the hidden layer), 2 pJ a conversion
        Path dev = Files.writeString(tmp.resolve("dac.json"), "{\"dac_latency_cycles\": 3, \"dac_conversion_pj\": 2}");
        Run dr = run("simulate", "--weights", w, "--bits", "8", "--images", "64", "--json", "--predictions", "--device", dev.toString());
        assertEquals(0, dr.code(), dr.err());
        JsonNode dj = new ObjectMapper().readTree(dr.out());
        assertEquals(20, dj.get("cycles_per_inference").asInt());
        assertEquals(3, dj.get("activation_latency_cycles").asInt());
        assertEquals(256 * 2.0, dj.get("energy_breakdown_pj").get("dac").asDouble(), 1e-9);
        assertEquals(j.get("accuracy").asDouble(), dj.get("accuracy").asDouble(), "the wait changes no result");
        assertEquals(j.get("switching_events").get("smtj_flips").asDouble(), dj.get("switching_events").get("smtj_flips").asDouble());
        Path en = Files.writeString(tmp.resolve("energy.json"), "{\"dac_conversion_pj\": 3}");
        Run both = run("simulate", "--weights", w, "--bits", "8", "--images", "1", "--device", dev.toString(), "--energy", en.toString());
        assertEquals(2, both.code());
        assertTrue(both.errLine().startsWith("scnn: --energy and --device: both give dac_conversion_pj"), both.err());
        // the quantized default net reports the same latency fields and no DAC
        Run q = run("simulate", "--bits", "8", "--images", "64", "--json");
        assertEquals(0, q.code(), q.err());
        JsonNode k = new ObjectMapper().readTree(q.out());
        assertEquals("quantized", k.get("arch").asText());
        assertEquals(1, k.get("activation_latency_cycles").asInt());
        assertFalse(k.get("energy_breakdown_pj").has("dac"));
    }

    @Test
    void architectureOptionsAreCheckedWithOneLine() {
        Path w = tinyFile();
        Run r = run("simulate", "--weights", w.toString(), "--bits", "8", "--images", "1", "--arch", "analog");
        assertEquals(1, r.code());
        String line = r.errLine();
        assertTrue(line.startsWith("scnn: " + w + ": ") && line.contains("--arch analog needs hidden layers with activation smtj-sigmoid"), line);
        Run bad = run("simulate", "--weights", w.toString(), "--arch", "digital");
        assertEquals(2, bad.code(), "a bad option value is a usage error");
        assertTrue(bad.errLine().contains("unknown architecture 'digital' (auto, quantized or analog)"), bad.err());
        Run t = run("train", "--activation", "relu", "--out", tmp.resolve("x.json").toString());
        assertEquals(2, t.code());
        assertTrue(t.errLine().contains("--activation must be quantize or smtj-sigmoid, got 'relu'"), t.err());
    }
}
