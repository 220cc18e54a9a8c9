package scnn.core.weights;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Small valid networks for the weights tests. */
final class TinyNets {
    private TinyNets() {}

    /** 4-3-2, L = 5, a biased hidden layer with scale 0.5 and an unbiased argmax layer. */
    static Network small(ObjectNode provenance) {
        Layer hidden = new Layer(4, 3, new byte[] {
                0, 1, 2, 3,
                4, 3, 2, 1,
                2, 2, 2, 2}, 0.5, new double[] {0.1, -0.25, 1e-7}, Activation.QUANTIZE);
        Layer out = new Layer(3, 2, new byte[] {
                4, 0, 2,
                1, 3, 4}, 1.0, null, Activation.ARGMAX);
        return new Network("tiny", 5, Network.uniformLevels(5), 4, 255.0, List.of(hidden, out), provenance);
    }

    static Network small() {
        return small(null);
    }

    /** A provenance object with nested objects, arrays and awkward numbers. */
    static ObjectNode provenance() {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("tool", "scnn train");
        p.put("seed", 1234567890123L);
        p.put("small_seed", 7L);
        p.put("learning_rate", 0.1);
        p.put("epsilon", 1e-7);
        p.put("big", 1e20);
        p.put("hundred", 100.0);
        p.put("negative_zero", -0.0);
        p.put("third", 1.0 / 3);
        p.put("quote \"and\" newline\n", "caf\u00e9 \u2014 \"quoted\"\ttab");
        p.put("flag", true);
        p.putNull("nothing");
        ObjectNode nested = p.putObject("training");
        nested.put("epochs", 3);
        nested.putArray("loss").add(2.302585092994046).add(0.5).add(0.30000000000000004).add(1e-300);
        nested.putObject("deeper").putArray("mixed").add(1).add("two").add(3.5).add(false).addNull().addArray().add(0.1);
        return p;
    }
}
