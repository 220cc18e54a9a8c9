package scnn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.OutputPolicy;
import scnn.core.io.ScnnException;
import scnn.core.model.ReferenceModel;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;

/** import(export(net)) == net: every shipped quantized net, and format-2 nets with per-neuron scales and unsigned grids. */
class RoundTripTest {
    @TempDir Path tmp;

    static Path root() {
        return Path.of(System.getProperty("scnn.root"));
    }

    private Network roundTrip(Network n) {
        Path f = tmp.resolve(n.name() + ".onnx");
        OnnxExporter.write(n, f, OutputPolicy.Replace.OWN);
        return OnnxImporter.read(f, null, null);
    }

    @Test
    void shippedQuantizedNetsRoundTripExactly() throws IOException {
        int seen = 0;
        try (var s = Files.list(root().resolve("weights"))) {
            for (Path w : s.filter(p -> p.getFileName().toString().matches("mnist-.*-L\\d+-.*\\.json")).sorted().toList()) {
                Network n = WeightsIO.read(w);
                Network back = roundTrip(n);
                assertEquals(n, back, w.toString());
                assertEquals(WeightsIO.toJsonString(n), WeightsIO.toJsonString(back), w + ": the same file");
                seen++;
            }
        }
        assertTrue(seen >= 8, "shipped quantized nets: " + seen);
    }

    /** A 20-6-5-3 net: per-neuron scales, unsigned 4-bit and symmetric 7-level hidden grids, biases. */
    static Network v2Net(long seed) {
        Random r = new Random(seed);
        int L = 15;
        byte[] c1 = new byte[6 * 20], c2 = new byte[5 * 6], c3 = new byte[3 * 5];
        for (byte[] c : List.of(c1, c2, c3)) for (int i = 0; i < c.length; i++) c[i] = (byte) r.nextInt(L);
        double[] s1 = new double[6], b1 = new double[6], b3 = new double[3];
        for (int o = 0; o < 6; o++) {
            s1[o] = 0.05 + r.nextDouble();
            b1[o] = r.nextGaussian() * 0.3;
        }
        for (int o = 0; o < 3; o++) b3[o] = r.nextGaussian();
        double[] unsigned = new double[16];
        for (int k = 0; k <= 15; k++) unsigned[k] = k / 15.0;
        Layer l1 = new Layer(20, 6, c1, 1.0, s1, b1, Activation.QUANTIZE, unsigned);
        Layer l2 = new Layer(6, 5, c2, 0.731, null, null, Activation.QUANTIZE, Network.uniformLevels(7));
        Layer l3 = new Layer(5, 3, c3, 1.0, b3, Activation.ARGMAX);
        return new Network("v2-net", L, Network.uniformLevels(L), 20, 255.0, List.of(l1, l2, l3), null);
    }

    @Test
    void formatTwoNetsRoundTripExactly() {
        for (long seed = 1; seed <= 5; seed++) {
            Network n = v2Net(seed);
            Network back = roundTrip(n);
            assertEquals(n, back, "seed " + seed);
            int[] px = new int[20];
            Random r = new Random(seed);
            for (int i = 0; i < 20; i++) px[i] = r.nextInt(256);
            assertArrayEquals(new ReferenceModel(n).scores(px), new ReferenceModel(back).scores(px));
        }
    }

    @Test
    void exportRefusesWhatQonnxCannotSay() {
        Network analog = WeightsIO.read(root().resolve("weights/mnist-1h-analog.json"));
        ScnnException e = assertThrows(ScnnException.class, () -> OnnxExporter.model(analog));
        assertTrue(e.getMessage().contains("level_values are not the uniform grid") || e.getMessage().contains("s-MTJ sigmoid"), e.getMessage());
        double[] v = {-1, -0.25, 0, 0.25, 1};
        Network odd = new Network("odd", 5, v, 1, 255, List.of(new Layer(1, 1, new byte[] {1}, 1.0, null, Activation.ARGMAX)), null);
        assertThrows(ScnnException.class, () -> OnnxExporter.model(odd));
    }

    @Test
    void unitScaleIsExact() {
        for (int k = 1; k <= 127; k++) assertEquals(1.0, OnnxExporter.unitScale(k) * k, "K = " + k);
    }
}
