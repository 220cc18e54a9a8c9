package scnn.generator.arch;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/** IR invariants of generated designs, and the structure that keeps large nets small. */
class ScBuilderTest {
    static Network random(long seed, int levels, int... sizes) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int in = 784;
        for (int k = 0; k < sizes.length; k++) {
            byte[] codes = new byte[in * sizes[k]];
            for (int i = 0; i < codes.length; i++) codes[i] = (byte) r.nextInt(levels);
            boolean last = k == sizes.length - 1;
            layers.add(new Layer(in, sizes[k], codes, last ? 1 : 0.2, null, last ? Activation.ARGMAX : Activation.QUANTIZE));
            in = sizes[k];
        }
        return new Network("n" + seed, levels, Network.uniformLevels(levels), 784, 255, layers, null);
    }

    @ParameterizedTest(name = "levels {0}, {1}, fold {2}")
    @CsvSource({"3, sign-magnitude, 1", "5, sign-magnitude, 2", "11, bipolar, 4", "5, bipolar, 1", "11, sign-magnitude, 8"})
    void generatedDesignsKeepTheIrInvariants(int levels, String enc, int fold) {
        ScDesign sd = ScBuilder.build(random(levels, levels, 7, 5, 10), new ScConfig(16, Encoding.parse(enc), fold, 3, SmtjModel.DEFAULT), "top");
        Design d = sd.design();
        List<Node> order = d.validate(); // throws on loops, unconnected registers, duplicate names
        Set<String> names = new HashSet<>();
        for (Node n : d.nodes()) {
            assertTrue(Design.legalName(n.name()), n.name());
            assertTrue(names.add(n.name()), "unique " + n.name());
            assertNotNull(n.tag(), n.name());
            for (Ref r : n.args()) {
                switch (r.mode()) {
                    case SAME -> assertEquals(n.count(), r.node().count(), n.name());
                    case SCALAR -> assertEquals(1, r.node().count(), n.name());
                    case ELEM -> assertTrue(r.elem() < r.node().count(), n.name());
                    case ARRAY -> assertTrue(n.op() == Op.PACK || n.op() == Op.ARRAY_GET, n.name());
                }
            }
        }
        // combinational order: every operand that is not a leaf comes first
        Set<Node> seen = new HashSet<>();
        for (Node n : order) {
            for (Ref r : n.args()) if (!r.node().isLeaf()) assertTrue(seen.contains(r.node()), n.name() + " before " + r.node().name());
            seen.add(n);
        }
        assertEquals(3 * (16 * fold + 1), sd.cyclesPerInference());
        for (String port : List.of("busy", "done", "class_out", "score")) assertTrue(d.outputs().containsKey(port), port);
        for (String port : List.of("pix_we", "pix_addr", "pix_data", "start", "score_sel")) assertNotNull(d.node(port), port);
        assertEquals(10, d.node("pix_addr").width());
        assertEquals(8, d.node("pix_data").width());
        assertEquals(4, d.outputs().get("class_out").node().width());
        assertEquals(784 + 7 + 5, sd.sources().stream().filter(g -> g.role().contains("stream") && !g.name().startsWith("wb")).mapToInt(ScDesign.SourceGroup::devices).sum());
    }

    @Test
    void aLargeNetworkStaysAFewNodesPerLayer() {
        long t0 = System.nanoTime();
        ScDesign sd = ScBuilder.build(random(1, 5, 256, 256, 256, 10), ScConfig.of(100), "big");
        double s = (System.nanoTime() - t0) / 1e9;
        assertTrue(sd.design().nodes().size() < 600, "nodes: " + sd.design().nodes().size());
        assertEquals(334_336, sd.network().synapses());
        System.out.println("334k-synapse design built in " + s + " s"); // speed is measured, not asserted
    }

    @Test
    void loopsOnlyThroughRegistersAndEveryRegisterConnected() {
        // operands exist before their users, so a combinational loop can only be closed through a
        // register; validate() accepts that and rejects a register left unconnected
        Design d = new Design("loop");
        Node a = d.input("a", 1);
        Node r = d.reg("r", Tag.CONTROL, 1, 0);
        d.connect(r, Ref.of(d.op("x", Tag.CONTROL, Op.AND, 1, 1, new int[0], Ref.of(a), Ref.of(r))), null);
        assertEquals(1, d.validate().size());
        Design bad = new Design("bad");
        bad.reg("u", Tag.CONTROL, 1, 0);
        assertThrows(IllegalStateException.class, bad::validate);
        assertThrows(IllegalArgumentException.class, () -> d.op("x", Tag.CONTROL, Op.NOT, 1, 1, new int[0], Ref.of(a)), "duplicate name");
        assertThrows(IllegalArgumentException.class, () -> d.op("w", Tag.CONTROL, Op.AND, 2, 1, new int[0], Ref.of(a), Ref.of(r)), "width mismatch");
        assertThrows(IllegalArgumentException.class, () -> d.op("module", Tag.CONTROL, Op.NOT, 1, 1, new int[0], Ref.of(a)), "reserved word");
    }

    @Test
    void badOptionsAreRejected() {
        Network n = random(2, 5, 4, 10);
        assertThrows(IllegalArgumentException.class, () -> ScBuilder.build(n, ScConfig.of(8).withFold(3), "t"));
        assertThrows(IllegalArgumentException.class, () -> new ScConfig(0, Encoding.SIGN_MAGNITUDE, 1, 1, SmtjModel.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> Encoding.parse("unary"));
        assertEquals("scnn_mnist_1h_L5_sc", ScBuilder.topName("mnist-1h-L5-sc"));
        assertEquals("scnn_n_9lives", ScBuilder.topName("9lives"));
    }
}
