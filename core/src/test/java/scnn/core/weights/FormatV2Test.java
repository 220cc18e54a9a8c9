package scnn.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scnn.core.TestSupport.assertMessage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.ScnnException;
import scnn.core.model.ReferenceModel;

/**
 * {@code scnn-weights/2}: per-neuron requantizer scales ({@code "scales"}) and a hidden layer's own
 * output grid ({@code "activation_values"}, e.g. unsigned ReLU levels); version-1 files read and
 * write as before.
 */
class FormatV2Test {
    @TempDir Path tmp;

    /** 4-3-2 with per-neuron scales and an unsigned 4-level output grid (0, 1/3, 2/3, 1). */
    static Network v2() {
        Layer hidden = new Layer(4, 3, new byte[] {
                0, 1, 2, 3,
                4, 3, 2, 1,
                2, 2, 2, 4}, 1.0, new double[] {0.5, 2.0, 0.25}, new double[] {0.1, -0.25, 0}, Activation.QUANTIZE,
                new double[] {0, 1.0 / 3, 2.0 / 3, 1});
        Layer out = new Layer(3, 2, new byte[] {4, 0, 2, 1, 3, 4}, 1.0, null, Activation.ARGMAX);
        return new Network("tiny-v2", 5, Network.uniformLevels(5), 4, 255.0, List.of(hidden, out), null);
    }

    @Test
    void roundTripIsEqualAndWritesVersion2() throws IOException {
        Network n = v2();
        assertEquals(Network.FORMAT_2, n.format());
        Path f = tmp.resolve("v2.json");
        WeightsIO.write(n, f);
        String text = Files.readString(f);
        assertTrue(text.contains("\"format\" : \"scnn-weights/2\""), text);
        assertTrue(text.contains("\"scales\" : [0.5,2.0,0.25]"), text);
        assertTrue(text.contains("\"activation_values\""), text);
        Network back = WeightsIO.read(f);
        assertEquals(n, back);
        assertEquals(2.0, back.layers().get(0).scale(1));
        assertTrue(back.layers().get(0).perNeuronScales());
        assertThrows(IllegalStateException.class, () -> back.layers().get(0).scale(), "one scale for all neurons is refused");
        assertEquals(text, WeightsIO.toJsonString(back));
    }

    @Test
    void version1FilesStayVersion1() {
        Network n = TinyNets.small();
        assertEquals(Network.FORMAT, n.format());
        assertTrue(WeightsIO.toJsonString(n).contains("\"format\" : \"scnn-weights/1\""));
        assertArrayEquals(n.levelValues(), n.hiddenValues(0));
    }

    @Test
    void shippedWeightsReadAndWriteByteIdentically() throws IOException {
        Path dir = scnn.core.TestSupport.root().resolve("weights");
        int seen = 0;
        try (var s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("mnist-") && p.toString().endsWith(".json")).sorted().toList()) {
                Network n = WeightsIO.read(f);
                assertEquals(Network.FORMAT, n.format(), f.toString());
                assertEquals(Files.readString(f), WeightsIO.toJsonString(n), f + " writes back byte-identically");
                seen++;
            }
        }
        assertTrue(seen >= 8, "shipped nets found: " + seen);
    }

    /** The reference model: y_o = scale_o (z_o + bias_o) on the unsigned ladder, the next layer reads the grid values. */
    @Test
    void referenceModelUsesPerNeuronScalesAndTheUnsignedGrid() {
        Network n = v2();
        ReferenceModel m = new ReferenceModel(n);
        int[] px = {255, 0, 51, 102}; // x = 1, 0, 0.2, 0.4
        double[] x = {1, 0, 0.2, 0.4};
        double[] v = Network.uniformLevels(5);
        byte[] c = n.layers().get(0).codes();
        double[] mids = {1.0 / 6, 0.5, 5.0 / 6};
        double[] u = {0, 1.0 / 3, 2.0 / 3, 1};
        double[] h = new double[3];
        int[] expectCodes = new int[3];
        for (int o = 0; o < 3; o++) {
            double z = 0;
            for (int i = 0; i < 4; i++) z += v[c[o * 4 + i]] * x[i];
            double y = n.layers().get(0).scale(o) * (z + n.layers().get(0).bias(o));
            int k = 0;
            for (double mm : mids) if (y >= mm) k++;
            expectCodes[o] = k;
            h[o] = u[k];
        }
        int[][] codes = new int[1][];
        double[] s = m.forward(px, true, codes);
        assertArrayEquals(expectCodes, codes[0]);
        byte[] oc = n.layers().get(1).codes();
        for (int o = 0; o < 2; o++) {
            double z = 0;
            for (int i = 0; i < 3; i++) z += v[oc[o * 3 + i]] * h[i];
            assertEquals(z, s[o], 1e-15);
        }
        // the codes differ from what one shared scale or the symmetric grid would give
        assertNotEquals(0, expectCodes[0] + expectCodes[1] + expectCodes[2]);
        assertEquals(0, m.requantize(0, -5.0), "negative values clamp to code 0 of an unsigned grid");
        assertEquals(3, m.requantize(0, 5.0));
        // the float variant clamps to the grid's ends [0, 1]
        double[] f = m.floatScores(px);
        assertEquals(2, f.length);
    }

    // ---- rejections ----------------------------------------------------------------------------

    @Test
    void version2FieldsInAVersion1FileAreRejected() throws IOException {
        expect(r -> {
            r.put("format", Network.FORMAT);
        }, "layers[0].scales needs \"format\": \"scnn-weights/2\"");
        expect(r -> {
            r.put("format", Network.FORMAT);
            layer(r, 0).remove("scales");
            layer(r, 0).put("scale", 1.0);
        }, "layers[0].activation_values needs \"format\": \"scnn-weights/2\"");
    }

    @Test
    void version2WithoutItsFieldsIsRejected() throws IOException {
        ObjectNode r = WeightsIO.toJson(TinyNets.small());
        r.put("format", Network.FORMAT_2);
        expectTree(r, "\"format\" is \"scnn-weights/2\" but no layer has \"scales\" or \"activation_values\" (write \"scnn-weights/1\")");
    }

    @Test
    void badScales() throws IOException {
        expect(r -> layer(r, 0).put("scale", 1.0), "layers[0]: give either \"scale\" or \"scales\", not both");
        expect(r -> layer(r, 0).putArray("scales").add(1.0).add(2.0), "layers[0].scales must be an array of 3 numbers");
        expect(r -> layer(r, 0).putArray("scales").add(1.0).add(0.0).add(2.0), "layers[0].scales[1] must be positive, got 0.0");
        expect(r -> layer(r, 0).putArray("scales").add(1.0).add("x").add(2.0), "layers[0].scales[1] must be a number");
        expect(r -> {
            layer(r, 1).remove("scale");
            layer(r, 1).putArray("scales").add(1.0).add(1.0);
        }, "layers[1].scales: per-neuron scales are for hidden layers");
    }

    @Test
    void badGrids() throws IOException {
        expect(r -> grid(r, 0.0), "layers[0].activation_values must have 2..128 values, got 1");
        expect(r -> grid(r, 0.0, 0.5, 0.5), "layers[0].activation_values must rise strictly (layers[0].activation_values[2])");
        expect(r -> grid(r, 0.0, 1.5), "layers[0].activation_values[1] = 1.5 is outside [-1, 1]");
        expect(r -> grid(r, -0.5, 0.0, 1.0), "must be unsigned (start at 0) or symmetric around 0 with an odd count");
        expect(r -> grid(r, -1.0, 1.0), "must be unsigned (start at 0) or symmetric around 0 with an odd count");
        ObjectNode ok = WeightsIO.toJson(v2());
        grid(ok, -1.0, 0.0, 1.0);
        Network sym = WeightsIO.parse(ok);
        assertArrayEquals(new double[] {-1, 0, 1}, sym.hiddenValues(0));
    }

    @Test
    void gridOnlyForQuantizeLayers() {
        assertThrows(IllegalArgumentException.class, () -> new Layer(1, 1, new byte[] {0}, 1.0, null, null, Activation.ARGMAX, new double[] {0, 1}));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private int count;

    private void expect(Consumer<ObjectNode> mutation, String fragment) throws IOException {
        ObjectNode root = WeightsIO.toJson(v2());
        mutation.accept(root);
        expectTree(root, fragment);
    }

    private void expectTree(ObjectNode root, String fragment) throws IOException {
        Path f = Files.writeString(tmp.resolve("bad" + (count++) + ".json"), WeightsIO.mapper().writeValueAsString(root));
        ScnnException e = assertThrows(ScnnException.class, () -> WeightsIO.read(f), fragment);
        assertMessage(e, f, fragment);
    }

    private static ObjectNode layer(ObjectNode root, int k) {
        return (ObjectNode) root.get("layers").get(k);
    }

    private static void grid(ObjectNode root, double... v) {
        ArrayNode a = layer(root, 0).putArray("activation_values");
        for (double d : v) a.add(d);
    }
}
