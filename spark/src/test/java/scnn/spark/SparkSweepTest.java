package scnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.SmtjModel;
import scnn.sim.EnergyModel;
import scnn.sim.sweep.Sweep;

/**
 * A sweep on Apache Spark in local mode computes the same points as the local thread pool: every
 * stored figure, prediction and key equal, only the timings differ; and {@code ./scnn sweep --spark}
 * writes the same results.json.
 */
class SparkSweepTest {
    @TempDir Path tmp;

    static Network tinyNet(String name, long seed) {
        Random r = new Random(seed);
        byte[] h = new byte[6 * 784];
        for (int i = 0; i < h.length; i++) h[i] = (byte) r.nextInt(5);
        byte[] o = new byte[10 * 6];
        for (int i = 0; i < o.length; i++) o[i] = (byte) r.nextInt(5);
        return new Network(name, 5, Network.uniformLevels(5), 784, 255,
                List.of(new Layer(784, 6, h, 0.05, new double[] {0.5, -0.5, 0.25, 0, 0.1, -0.1}, Activation.QUANTIZE),
                        new Layer(6, 10, o, 1.0, null, Activation.ARGMAX)), null);
    }

    private static MnistSet test() {
        MnistFiles f = MnistFiles.defaultLocation(Path.of(System.getProperty("scnn.root")));
        f.ensure();
        return f.test();
    }

    private Sweep sweep(Path dir, List<Sweep.Net> nets) {
        return new Sweep(dir, nets, new int[] {2, 8}, 200, 2, EnergyModel.DEFAULT,
                n -> new ScConfig(n, Encoding.SIGN_MAGNITUDE, 1, 1, SmtjModel.DEFAULT),
                (net, cfg) -> ScBuilder.build(net, cfg, ScBuilder.topName(net.name())));
    }

    /** A point without what depends on where and how fast it ran, as the text it is stored as. */
    private static String figures(JsonNode point) {
        ObjectNode c = point.deepCopy();
        c.remove("performance");
        return c.toString();
    }

    @Test
    void sparkLocalModeGivesTheLocalSweepsPoints() throws Exception {
        List<Sweep.Net> nets = List.of(new Sweep.Net("a", tmp.resolve("a.json"), "sha-a", tinyNet("a", 1)),
                new Sweep.Net("b", tmp.resolve("b.json"), "sha-b", tinyNet("b", 2)));
        MnistSet test = test();
        Sweep local = sweep(tmp.resolve("local"), nets), spark = sweep(tmp.resolve("spark"), nets);
        List<Sweep.Point> lp = local.run(test, Progress.NONE);
        List<Sweep.Point> sp = spark.run(test, Progress.NONE, new SparkExecutor("local[2]"));
        assertEquals(4, sp.size());
        for (int i = 0; i < lp.size(); i++) {
            assertEquals(lp.get(i).net().name(), sp.get(i).net().name());
            assertEquals(lp.get(i).bits(), sp.get(i).bits());
            assertEquals(figures(lp.get(i).json()), figures(sp.get(i).json()), "point " + i);
            assertEquals(200, sp.get(i).predictions().length());
            assertTrue(Files.isRegularFile(spark.pointFile(nets.get(i % 2), sp.get(i).bits())), "stored at once");
        }
        // the stored points are reused by a second run, local or on Spark
        assertTrue(spark.run(test, Progress.NONE, new SparkExecutor("local[2]")).stream().allMatch(Sweep.Point::reused));
    }

    @Test
    void theCommandLineOnSparkWritesTheSameResults() throws Exception {
        Path w = tmp.resolve("tiny.json");
        WeightsIO.write(tinyNet("tiny", 3), w);
        // with a Monte Carlo over chips (2 chips per varied pair): the chip points and their summary are the same too
        String[] common = {"sweep", "--weights", w.toString(), "--bits", "2,4", "--images", "128", "--json",
                "--chips", "2", "--variation", "0,0.5", "--stuck-rate", "0,0.05"};
        Run local = run(concat(common, "--out", tmp.resolve("l").toString()));
        Run spark = run(concat(common, "--out", tmp.resolve("s").toString(), "--spark", "local[2]"));
        assertEquals(0, local.code, local.err);
        assertEquals(0, spark.code, spark.err);
        ObjectMapper m = new ObjectMapper();
        JsonNode a = m.readTree(tmp.resolve("l/results.json").toFile()), b = m.readTree(tmp.resolve("s/results.json").toFile());
        assertEquals(withoutTimings(a), withoutTimings(b));
        assertEquals(2 * 7, a.get("points").size(), "per length: the ideal chip and 2 chips for each of 3 varied pairs");
        assertEquals(2 * 4, a.get("chips").size());
    }

    private static JsonNode withoutTimings(JsonNode results) {
        ObjectNode c = results.deepCopy();
        c.remove("wall_s");
        c.remove("points_seconds");
        for (JsonNode p : c.get("points")) ((ObjectNode) p).remove("performance");
        return c;
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    record Run(int code, String out, String err) {}

    private static synchronized Run run(String... args) throws Exception {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = (int) Class.forName("scnn.cli.Main").getMethod("execute", String[].class).invoke(null, (Object) args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
