package scnn.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scnn.core.TestSupport.assertMessage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.ScnnException;

/** The scnn-weights/1 reader and writer: round trips and every kind of bad input. */
class WeightsIOTest {
    @TempDir Path tmp;

    // ---- round trips ------------------------------------------------------------------------

    @Test
    void roundTripWithProvenanceIsEqualAndByteIdentical() throws IOException {
        Network n = TinyNets.small(TinyNets.provenance());
        Path a = tmp.resolve("a.json");
        WeightsIO.write(n, a);
        Network back = WeightsIO.read(a);
        assertEquals(n, back);
        assertEquals(n.provenance(), back.provenance());
        assertEquals(0.1, back.provenance().get("learning_rate").doubleValue());
        assertEquals(1e-7, back.provenance().get("epsilon").doubleValue());
        assertEquals(1234567890123L, back.provenance().get("seed").longValue());
        assertEquals(0.1, back.provenance().at("/training/deeper/mixed/5/0").doubleValue());
        Path b = tmp.resolve("b.json");
        WeightsIO.write(back, b);
        assertEquals(Files.readString(a), Files.readString(b), "writing the read network again gives the same text");
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(WeightsIO.toJsonString(n), Files.readString(a, StandardCharsets.UTF_8));
    }

    @Test
    void roundTripKeepsEveryField() {
        Network n = TinyNets.small(TinyNets.provenance());
        Path f = tmp.resolve("w.json");
        WeightsIO.write(n, f);
        Network back = WeightsIO.read(f);
        assertEquals("tiny", back.name());
        assertEquals(5, back.levels());
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, back.levelValues());
        assertEquals(4, back.inputSize());
        assertEquals(255.0, back.pixelScale());
        assertEquals("4-3-2", back.shape());
        assertEquals(18, back.synapses());
        Layer h = back.layers().get(0);
        assertEquals(Activation.QUANTIZE, h.activation());
        assertEquals(0.5, h.scale());
        assertArrayEquals(new double[] {0.1, -0.25, 1e-7}, h.biasOrNull());
        assertEquals(3, h.code(0, 3));
        assertEquals(4, h.code(1, 0));
        Layer o = back.layers().get(1);
        assertFalse(o.hasBias());
        assertEquals(0.0, o.bias(1));
        assertEquals(Activation.ARGMAX, o.activation());
        assertArrayEquals(new byte[] {4, 0, 2, 1, 3, 4}, o.codes());
    }

    @Test
    void roundTripWithoutProvenance() {
        Network n = TinyNets.small();
        Path f = tmp.resolve("w.json");
        WeightsIO.write(n, f);
        Network back = WeightsIO.read(f);
        assertEquals(n, back);
        assertTrue(back.provenance().isEmpty());
    }

    /** Every odd L the format allows, with the uniform grid the trainer uses, must be readable again. */
    @Test
    void uniformLevelsRoundTripForEveryAllowedL() {
        for (int L = 3; L <= 127; L += 2) {
            double[] v = Network.uniformLevels(L);
            assertEquals(-1.0, v[0]);
            assertEquals(1.0, v[L - 1]);
            assertEquals(0.0, v[(L - 1) / 2]);
            for (int c = 0; c < L; c++) assertTrue(v[c] == -v[L - 1 - c], "L=" + L + ": level_values must be exactly symmetric, c=" + c);
            for (int c = 1; c < L; c++) assertTrue(v[c] > v[c - 1]);
            byte[] codes = new byte[L];
            for (int c = 0; c < L; c++) codes[c] = (byte) c;
            Network n = new Network("L" + L, L, v, 1, 255, List.of(new Layer(1, L, codes, 1.0, null, Activation.ARGMAX)), null);
            Path f = tmp.resolve("L" + L + ".json");
            WeightsIO.write(n, f);
            assertEquals(n, WeightsIO.read(f), "L=" + L);
        }
    }

    @Test
    void nonUniformLevelsRoundTrip() {
        double[] v = {-1, -0.3, 0, 0.3, 1};
        Network n = new Network("nu", 5, v, 2, 256, List.of(new Layer(2, 1, new byte[] {0, 4}, 2.0, new double[] {-0.0}, Activation.ARGMAX)), null);
        Path f = tmp.resolve("nu.json");
        WeightsIO.write(n, f);
        Network back = WeightsIO.read(f);
        assertEquals(n, back);
        assertEquals(256.0, back.pixelScale());
    }

    @Test
    void minimalHandWrittenFileUsesDefaults() throws IOException {
        Path f = write("min.json", """
                {"format": "scnn-weights/1", "name": "m", "levels": 3, "level_values": [-1, 0, 1],
                 "input": {"size": 2, "pixel_scale": 255},
                 "layers": [{"inputs": 2, "outputs": 2, "activation": "argmax", "bias": null,
                             "weights": [[0, 1], [2, 1]]}]}
                """);
        Network n = WeightsIO.read(f);
        assertEquals(1.0, n.layers().get(0).scale(), "scale defaults to 1");
        assertFalse(n.layers().get(0).hasBias());
        assertEquals(1, n.zeroCode());
        assertTrue(n.provenance().isEmpty());
    }

    @Test
    void weightRowsAreOneLineEach() {
        String s = WeightsIO.toJsonString(TinyNets.small());
        assertTrue(s.contains("\n        [0,1,2,3],\n"), s);
        assertTrue(s.contains("\n        [1,3,4]\n"), s);
        assertTrue(s.endsWith("}\n"));
    }

    @Test
    void equalityLooksAtEveryField() {
        Network n = TinyNets.small();
        assertEquals(n, TinyNets.small());
        assertEquals(n.hashCode(), TinyNets.small().hashCode());
        assertNotEquals(n, n.withProvenance(TinyNets.provenance()));
        assertNotEquals(n, new Network("other", 5, n.levelValues(), 4, 255, n.layers(), null));
        assertNotEquals(n, new Network("tiny", 5, n.levelValues(), 4, 256, n.layers(), null));
    }

    // ---- bad input: the file as a whole ------------------------------------------------------

    @Test
    void missingFile() {
        Path f = tmp.resolve("missing.json");
        assertEquals(f + ": no such file", assertThrows(ScnnException.class, () -> WeightsIO.read(f)).getMessage());
    }

    @Test
    void directoryInsteadOfFile() {
        assertMessage(assertThrows(ScnnException.class, () -> WeightsIO.read(tmp)), tmp, "is a directory, expected a file");
    }

    @Test
    void notJson() throws IOException {
        expectText("this is not json", "not valid JSON at line 1");
        expectText("<weights/>", "not valid JSON");
    }

    @Test
    void emptyFile() throws IOException {
        expectText("", "empty file, expected a JSON object");
        expectText("  \n\n ", "empty file, expected a JSON object");
    }

    @Test
    void truncatedFile() throws IOException {
        String s = WeightsIO.toJsonString(TinyNets.small(TinyNets.provenance()));
        expectText(s.substring(0, s.length() / 2), "not valid JSON (the file is truncated)");
        expectText(s.substring(0, s.length() - 3), "not valid JSON (the file is truncated)");
    }

    @Test
    void trailingContent() throws IOException {
        expectText(WeightsIO.toJsonString(TinyNets.small()) + "{}", "not valid JSON");
    }

    @Test
    void duplicateField() throws IOException {
        String s = WeightsIO.toJsonString(TinyNets.small());
        expectText(s.replace("\"levels\" : 5,", "\"levels\" : 5, \"levels\" : 7,"), "not valid JSON at line 4: Duplicate field 'levels'");
    }

    @Test
    void topLevelNotAnObject() throws IOException {
        expectText("[1, 2, 3]", "expected a JSON object at the top level");
        expectText("42", "expected a JSON object at the top level");
    }

    // ---- bad input: fields --------------------------------------------------------------------

    @Test
    void unknownFormatVersion() throws IOException {
        expect(r -> r.put("format", "scnn-weights/3"), "unknown format version \"scnn-weights/3\" (expected \"scnn-weights/1\" or \"scnn-weights/2\")");
        expect(r -> r.put("format", 1), "\"format\" must be a string");
        // a user string in a message is quoted, so that the message stays one line
        expect(r -> r.put("format", "v2\nsecond line"), "unknown format version \"v2\\nsecond line\"");
    }

    @Test
    void missingFields() throws IOException {
        for (String f : List.of("format", "name", "levels", "level_values", "input", "layers"))
            expect(r -> r.remove(f), "missing field \"" + f + "\"");
        expect(r -> r.putNull("name"), "missing field \"name\"");
        expect(r -> ((ObjectNode) r.get("input")).remove("size"), "missing field \"input.size\"");
        expect(r -> ((ObjectNode) r.get("input")).remove("pixel_scale"), "missing field \"input.pixel_scale\"");
        for (String f : List.of("inputs", "outputs", "activation", "weights"))
            expect(r -> layer(r, 1).remove(f), "missing field \"layers[1]." + f + "\"");
    }

    @Test
    void wrongFieldTypes() throws IOException {
        expect(r -> r.put("name", ""), "\"name\" is empty");
        expect(r -> r.put("levels", 5.0), "\"levels\" must be an integer, got 5.0");
        expect(r -> r.put("levels", "5"), "\"levels\" must be an integer, got \"5\"");
        expect(r -> r.put("input", 784), "\"input\" must be an object");
        expect(r -> r.put("layers", "dense"), "\"layers\" must be an array");
        expect(r -> r.putArray("layers"), "\"layers\" is empty");
        expect(r -> ((ArrayNode) r.get("layers")).set(0, JsonNodeFactory.instance.textNode("x")), "layers[0] must be an object");
        expect(r -> r.put("provenance", "git"), "\"provenance\" must be an object");
        expect(r -> layer(r, 0).put("activation", "relu"), "layers[0].activation \"relu\" is unknown (quantize, smtj-sigmoid or argmax)");
    }

    @Test
    void levels() throws IOException {
        expect(r -> r.put("levels", 4), "\"levels\" must be odd and in 3..127, got 4");
        expect(r -> r.put("levels", 1), "\"levels\" must be odd and in 3..127, got 1");
        expect(r -> r.put("levels", -5), "\"levels\" must be odd and in 3..127, got -5");
        expect(r -> r.put("levels", 129), "\"levels\" must be odd and in 3..127, got 129");
        expect(r -> r.put("levels", 7), "\"level_values\" has 5 values, expected levels = 7");
    }

    @Test
    void levelValues() throws IOException {
        expect(r -> values(r, -1, -0.5, 0, 0.4, 1), "level_values must be symmetric around 0 (level_values[1] != -level_values[3])");
        expect(r -> values(r, -1, 0.5, 0, -0.5, 1), "level_values must rise strictly (level_values[2])");
        expect(r -> values(r, -1, -0.5, -0.5, 0.5, 1), "level_values must rise strictly (level_values[2])");
        expect(r -> values(r, -1, -0.5, 0.5, 0.0, 1), "level_values must rise strictly (level_values[3])");
        expect(r -> values(r, -2, -0.5, 0, 0.5, 2), "level_values[0] = -2.0 is outside [-1, 1]");
        expect(r -> values(r, -1, -0.6, 0.1, 0.6, 1), "level_values must be symmetric around 0 (level_values[2] != -level_values[2])");
        expect(r -> ((ArrayNode) r.get("level_values")).set(2, JsonNodeFactory.instance.textNode("NaN")), "level_values[2] is NaN");
        expect(r -> ((ArrayNode) r.get("level_values")).set(2, JsonNodeFactory.instance.textNode("zero")), "level_values[2] must be a number, got \"zero\"");
        expect(r -> ((ArrayNode) r.get("level_values")).set(2, JsonNodeFactory.instance.nullNode()), "missing value level_values[2]");
    }

    @Test
    void input() throws IOException {
        expect(r -> ((ObjectNode) r.get("input")).put("size", 0), "input.size must be positive");
        expect(r -> ((ObjectNode) r.get("input")).put("pixel_scale", 1.0), "input.pixel_scale must be >= 255 so that inputs stay in [0, 1], got 1.0");
        expect(r -> ((ObjectNode) r.get("input")).put("pixel_scale", "NaN"), "input.pixel_scale is NaN");
        expect(r -> ((ObjectNode) r.get("input")).put("size", 5), "layers[0].inputs = 4 does not match the 5 outputs of the layer before");
    }

    @Test
    void shapeMismatchBetweenLayers() throws IOException {
        expect(r -> layer(r, 1).put("inputs", 4), "layers[1].inputs = 4 does not match the 3 outputs of the layer before");
        expect(r -> layer(r, 0).put("outputs", 0), "layers[0].outputs must be positive");
    }

    @Test
    void activations() throws IOException {
        expect(r -> layer(r, 1).put("activation", "quantize"), "layers[1]: the last layer must have activation argmax");
        expect(r -> layer(r, 0).put("activation", "argmax"), "layers[0]: hidden layers must have activation quantize or smtj-sigmoid");
        expect(r -> layer(r, 1).put("activation", "smtj-sigmoid"), "layers[1]: the last layer must have activation argmax");
        expect(r -> layer(r, 0).put("activation", "smtj_sigmoid"), "layers[0].activation \"smtj_sigmoid\" is unknown (quantize, smtj-sigmoid or argmax)");
        expect(r -> layer(r, 0).put("activation", "SMTJ-SIGMOID"), "is unknown (quantize, smtj-sigmoid or argmax)");
        expect(r -> ((ArrayNode) r.get("layers")).remove(1), "layers[0]: the last layer must have activation argmax");
    }

    /** The analog baseline's hidden rule: read, written and compared like the others. */
    @Test
    void smtjSigmoidHiddenLayersRoundTrip() throws IOException {
        Network q = TinyNets.small(TinyNets.provenance());
        Layer h = q.layers().get(0);
        Network a = new Network("tiny-analog", 5, Network.uniformLevels(5), 4, 255.0,
                List.of(new Layer(4, 3, h.codes(), 0.5, h.biasOrNull(), Activation.SMTJ_SIGMOID), q.layers().get(1)), TinyNets.provenance());
        Path f = tmp.resolve("analog.json");
        WeightsIO.write(a, f);
        assertTrue(Files.readString(f).contains("\"activation\" : \"smtj-sigmoid\""));
        Network back = WeightsIO.read(f);
        assertEquals(a, back);
        assertEquals(Activation.SMTJ_SIGMOID, back.layers().get(0).activation());
        assertNotEquals(q.withProvenance(TinyNets.provenance()), back.withProvenance(TinyNets.provenance()));
        // the scale of a sigmoid layer is its gain: the same checks as for the ladder
        ObjectNode root = WeightsIO.toJson(a);
        layer(root, 0).put("scale", 0);
        expectText(WeightsIO.mapper().writeValueAsString(root), "layers[0].scale must be positive, got 0.0");
    }

    /** Hidden layers may not mix the quantized ladder with the s-MTJ sigmoid. */
    @Test
    void hiddenRulesMayNotMix() throws IOException {
        Layer h1 = new Layer(4, 3, new byte[12], 1.0, null, Activation.SMTJ_SIGMOID);
        Layer h2 = new Layer(3, 3, new byte[9], 1.0, null, Activation.QUANTIZE);
        Layer out = new Layer(3, 2, new byte[6], 1.0, null, Activation.ARGMAX);
        Network mixed = new Network("mixed", 5, Network.uniformLevels(5), 4, 255.0, List.of(h1, h2, out), null);
        expectText(WeightsIO.toJsonString(mixed), "layers[1]: hidden layers must all have the same activation (layers[0] has smtj-sigmoid, this one quantize)");
        Network same = new Network("same", 5, Network.uniformLevels(5), 4, 255.0,
                List.of(h1, new Layer(3, 3, new byte[9], 1.0, null, Activation.SMTJ_SIGMOID), out), null);
        assertEquals(same, WeightsIO.parse(WeightsIO.toJson(same)));
    }

    @Test
    void scale() throws IOException {
        expect(r -> layer(r, 0).put("scale", 0), "layers[0].scale must be positive, got 0.0");
        expect(r -> layer(r, 0).put("scale", -0.5), "layers[0].scale must be positive, got -0.5");
        expect(r -> layer(r, 0).put("scale", "NaN"), "layers[0].scale is NaN");
        expect(r -> layer(r, 0).put("scale", "0.5"), "layers[0].scale must be a number, got \"0.5\"");
    }

    @Test
    void codesOffTheGrid() throws IOException {
        expect(r -> row(r, 0, 1).set(2, JsonNodeFactory.instance.numberNode(-1)), "layers[0].weights[1][2] = -1 is off the quantization grid (codes are 0..4)");
        expect(r -> row(r, 1, 0).set(0, JsonNodeFactory.instance.numberNode(5)), "layers[1].weights[0][0] = 5 is off the quantization grid (codes are 0..4)");
        expect(r -> row(r, 1, 0).set(0, JsonNodeFactory.instance.numberNode(300)), "layers[1].weights[0][0] = 300 is off the quantization grid");
        expect(r -> row(r, 0, 0).set(3, JsonNodeFactory.instance.numberNode(1.5)), "layers[0].weights[0][3] = 1.5 is not an integer level code");
        expect(r -> row(r, 0, 0).set(3, JsonNodeFactory.instance.numberNode(2.0)), "layers[0].weights[0][3] = 2.0 is not an integer level code");
        expect(r -> row(r, 0, 0).set(3, JsonNodeFactory.instance.textNode("2")), "layers[0].weights[0][3] = \"2\" is not an integer level code");
        expect(r -> row(r, 0, 0).set(3, JsonNodeFactory.instance.nullNode()), "layers[0].weights[0][3] = null is not an integer level code");
        // 2^64 + 1 must not wrap around to the valid code 1
        expect(r -> row(r, 0, 0).set(3, JsonNodeFactory.instance.numberNode(BigInteger.TWO.pow(64).add(BigInteger.ONE))),
                "layers[0].weights[0][3] = 18446744073709551617 is off the quantization grid");
        expect(r -> row(r, 0, 0).set(3, JsonNodeFactory.instance.numberNode(1L << 32 | 1)), "is off the quantization grid");
    }

    @Test
    void rowsAndCodesPerRow() throws IOException {
        expect(r -> ((ArrayNode) layer(r, 0).get("weights")).remove(2), "layers[0].weights has 2 rows, expected outputs = 3");
        expect(r -> ((ArrayNode) layer(r, 1).get("weights")).addArray().add(1).add(1).add(1), "layers[1].weights has 3 rows, expected outputs = 2");
        expect(r -> row(r, 0, 1).remove(0), "layers[0].weights[1] has 3 codes, expected inputs = 4");
        expect(r -> row(r, 1, 1).add(2), "layers[1].weights[1] has 4 codes, expected inputs = 3");
        expect(r -> ((ArrayNode) layer(r, 0).get("weights")).set(1, JsonNodeFactory.instance.numberNode(2)), "layers[0].weights[1] must be an array");
        expect(r -> layer(r, 0).put("weights", "[[0]]"), "\"layers[0].weights\" must be an array");
    }

    /** Declared sizes whose product overflows an int must give a message, not a crash or a huge allocation. */
    @Test
    void hugeDeclaredSizes() throws IOException {
        expectText("""
                {"format": "scnn-weights/1", "name": "huge", "levels": 3, "level_values": [-1, 0, 1],
                 "input": {"size": 2000000000, "pixel_scale": 255},
                 "layers": [{"inputs": 2000000000, "outputs": 2, "activation": "argmax",
                             "weights": [[0, 1, 2, 1], [2, 1, 0, 1]]}]}
                """, "layers[0].weights[0] has 4 codes, expected inputs = 2000000000");
    }

    @Test
    void bias() throws IOException {
        expect(r -> ((ArrayNode) layer(r, 0).get("bias")).remove(0), "layers[0].bias must be an array of 3 numbers");
        expect(r -> layer(r, 1).putArray("bias").add(1).add(2).add(3), "layers[1].bias must be an array of 2 numbers");
        expect(r -> layer(r, 0).put("bias", 0.5), "layers[0].bias must be an array of 3 numbers");
        expect(r -> ((ArrayNode) layer(r, 0).get("bias")).set(1, JsonNodeFactory.instance.textNode("NaN")), "layers[0].bias[1] is NaN");
        expect(r -> ((ArrayNode) layer(r, 0).get("bias")).set(1, JsonNodeFactory.instance.textNode("nan")), "layers[0].bias[1] is NaN");
        expect(r -> ((ArrayNode) layer(r, 0).get("bias")).set(1, JsonNodeFactory.instance.booleanNode(true)), "layers[0].bias[1] must be a number, got true");
    }

    @Test
    void nanTokenIsInvalidJson() throws IOException {
        String s = WeightsIO.toJsonString(TinyNets.small());
        assertTrue(s.contains("\"scale\" : 0.5"));
        ScnnException e = expectText(s.replace("\"scale\" : 0.5", "\"scale\" : NaN"), "not valid JSON at line ");
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        expectText(s.replace("[-1.0,-0.5,0.0,0.5,1.0]", "[-1.0,-0.5,NaN,0.5,1.0]"), "not valid JSON at line 5: Non-standard token 'NaN'");
        expectText(s.replace("\"scale\" : 0.5", "\"scale\" : Infinity"), "not valid JSON");
        expectText(s.replace("\"scale\" : 0.5", "\"scale\" : -Infinity"), "not valid JSON");
    }

    @Test
    void infiniteNumbers() throws IOException {
        String s = WeightsIO.toJsonString(TinyNets.small());
        expectText(s.replace("\"scale\" : 0.5", "\"scale\" : 1e999"), "layers[0].scale is not a finite number");
        expectText(s.replace("\"scale\" : 0.5", "\"scale\" : -1e999"), "layers[0].scale is not a finite number");
        expectText(s.replace("\"pixel_scale\" : 255.0", "\"pixel_scale\" : 1e400"), "input.pixel_scale is not a finite number");
        expectText(s.replace("[0.1,-0.25,1.0E-7]", "[0.1,1E999,1.0E-7]"), "layers[0].bias[1] is not a finite number");
        expect(r -> ((ArrayNode) layer(r, 0).get("bias")).set(1, JsonNodeFactory.instance.textNode("Infinity")), "layers[0].bias[1] must be a number, got \"Infinity\"");
    }

    // ---- nothing is written on failure ---------------------------------------------------------

    @Test
    void writeUnderARegularFileFailsAndLeavesNothing() throws IOException {
        Path plain = Files.writeString(tmp.resolve("plain.txt"), "I am a file");
        for (Path target : List.of(plain.resolve("w.json"), plain.resolve("sub/w.json"))) {
            ScnnException e = assertThrows(ScnnException.class, () -> WeightsIO.write(TinyNets.small(), target));
            assertMessage(e, target, "cannot write (");
            assertTrue(e.getMessage().contains("plain.txt is not a directory"), e.getMessage());
            assertEquals("I am a file", Files.readString(plain));
            scnn.core.TestSupport.assertOnlyFiles(tmp, "plain.txt");
        }
    }

    @Test
    void writeOverADirectoryFailsAndLeavesNoTempFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("w.json"));
        Files.writeString(dir.resolve("inside"), "x");
        ScnnException e = assertThrows(ScnnException.class, () -> WeightsIO.write(TinyNets.small(), dir));
        assertMessage(e, dir, "is a directory; scnn never replaces a directory with a file");
        scnn.core.TestSupport.assertOnlyFiles(tmp, "w.json");
        scnn.core.TestSupport.assertOnlyFiles(dir, "inside");
    }

    @Test
    void writeReplacesAnExistingFileAndCreatesParents() throws IOException {
        Path f = tmp.resolve("a/b/w.json");
        WeightsIO.write(TinyNets.small(), f);
        WeightsIO.write(TinyNets.small(TinyNets.provenance()), f);
        assertEquals(TinyNets.small(TinyNets.provenance()), WeightsIO.read(f));
        scnn.core.TestSupport.assertOnlyFiles(f.getParent(), "w.json");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private int count;

    /** Writes {@code text} to a new file and expects the reader to reject it with {@code fragment}. */
    private ScnnException expectText(String text, String fragment) throws IOException {
        Path f = write("bad" + (count++) + ".json", text);
        ScnnException e = assertThrows(ScnnException.class, () -> WeightsIO.read(f), "expected: " + fragment);
        assertMessage(e, f, fragment);
        return e;
    }

    /** Mutates the JSON tree of a valid network and expects the reader to reject it. */
    private ScnnException expect(Consumer<ObjectNode> mutation, String fragment) throws IOException {
        ObjectNode root = WeightsIO.toJson(TinyNets.small(TinyNets.provenance()));
        mutation.accept(root);
        return expectText(WeightsIO.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root), fragment);
    }

    private static ObjectNode layer(ObjectNode root, int k) {
        return (ObjectNode) root.get("layers").get(k);
    }

    private static ArrayNode row(ObjectNode root, int k, int r) {
        return (ArrayNode) layer(root, k).get("weights").get(r);
    }

    private static void values(ObjectNode root, double... v) {
        ArrayNode a = root.putArray("level_values");
        for (double d : v) a.add(d);
    }
}
