package scnn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.model.ReferenceModel;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;

/**
 * The committed Brevitas-style fixtures (onnx/fixtures/make_fixtures.py): the imported network's
 * reference model gives the classes of the independent numpy interpreter, and its scores times the
 * output layer's scale are the ONNX scores within floating-point rounding.
 */
class FixtureTest {
    static Path fixture(String name) {
        return RoundTripTest.root().resolve("onnx/src/test/resources/fixtures").resolve(name);
    }

    private static MnistSet test() {
        MnistFiles f = MnistFiles.defaultLocation(RoundTripTest.root());
        f.ensure();
        return f.test();
    }

    private static Network check(String name) throws IOException {
        Network net = OnnxImporter.read(fixture(name + ".onnx"), null, null);
        JsonNode exp = new ObjectMapper().readTree(fixture(name + ".expected.json").toFile());
        MnistSet t = test();
        ReferenceModel m = new ReferenceModel(net);
        double alpha = net.layers().get(net.layers().size() - 1).scale();
        int n = exp.get("images").asInt();
        assertEquals(300, n);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double[] s = m.scores(t.image(i));
            int c = ReferenceModel.argmax(s);
            assertEquals(exp.get("classes").get(i).asInt(), c, name + ": class of image " + i);
            JsonNode es = exp.get("scores").get(i);
            for (int o = 0; o < s.length; o++) {
                double want = es.get(o).asDouble();
                assertEquals(want, alpha * s[o], 1e-9 * Math.max(1, Math.abs(want)), name + ": score " + o + " of image " + i);
            }
            if (c == t.label(i)) correct++;
        }
        assertEquals(exp.get("accuracy").asDouble(), correct / (double) n, 1e-12);
        return net;
    }

    @Test
    void qonnxFormMatchesTheNumpyReference() throws IOException {
        Network net = check("mlp-qonnx");
        assertEquals("784-16-10", net.shape());
        assertEquals(15, net.levels(), "4-bit narrow weights: -7..7");
        Layer h = net.layers().get(0);
        assertTrue(h.perNeuronScales(), "per-output-channel weight scales become per-neuron scales");
        double[] grid = h.activationValuesOrNull();
        assertEquals(16, grid.length, "the 4-bit unsigned ReLU: 16 levels in [0, 1]");
        assertEquals(0.0, grid[0]);
        assertEquals(1.0, grid[15]);
        assertEquals(Network.FORMAT_2, net.format());
        assertEquals("qonnx", net.provenance().get("form").asText());
    }

    @Test
    void qdqFormMatchesTheNumpyReferenceAndMapsToTheSameNetwork() throws IOException {
        Network qdq = check("mlp-qdq");
        Network qonnx = OnnxImporter.read(fixture("mlp-qonnx.onnx"), null, null);
        assertEquals("qdq", qdq.provenance().get("form").asText());
        assertEquals(qonnx.layers(), qdq.layers(), "the two forms of one network map to the same layers");
        assertArrayEquals(qonnx.levelValues(), qdq.levelValues());
        assertNull(qdq.layers().get(1).scalesOrNull(), "the output layer has one scale");
    }
}
