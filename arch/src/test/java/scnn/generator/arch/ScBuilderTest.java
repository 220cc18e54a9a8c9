package scnn.generator.arch;

import scnn.core.model.Encoding;

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
public class ScBuilderTest {
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
        // every s-MTJ is a copy of the one cell top_smtj: one instance (array) per source group
        Design h = sd.design();
        List<Design> cells = h.modules().stream().filter(m -> m.cellKind() != null).toList();
        assertEquals(List.of("top_smtj"), cells.stream().map(Design::name).toList());
        for (ScDesign.SourceGroup g : sd.sources()) {
            // the cells are instantiated by the layer modules: instance l<l>.<name> is the group l<l>_<name>
            scnn.ir.Instance inst = h.instances().stream().flatMap(l -> l.module().instances().stream().filter(i -> (l.name() + "_" + i.name()).equals(g.name())))
                    .findFirst().orElseThrow();
            assertEquals(g.devices(), inst.count() == 1 ? inst.out("bits").count() : inst.count(), g.name());
            assertEquals("top_smtj", inst.module().name());
        }
        Design d = sd.flat().design();
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
        // the interface description is the design's ports
        CoreInterface io = sd.coreInterface();
        assertEquals(784, io.inputs());
        assertEquals(10, io.classes());
        assertEquals(sd.cyclesPerInference(), io.cyclesPerInference());
        assertEquals(List.of("pix_we", "pix_addr", "pix_data", "start", "score_sel"), d.inputs().stream().map(Node::name).toList());
        assertEquals(List.of("busy", "done", "class_out", "score"), List.copyOf(d.outputs().keySet()));
        for (CoreInterface.Port p : io.ports()) {
            Node n = p.input() ? d.node(p.name()) : d.outputs().get(p.name()).node();
            assertEquals(p.width(), n.width(), p.name());
        }
        assertEquals(10, io.pixAddrWidth());
        assertEquals(sd.scoreWidth(), io.port("score").width());
        assertEquals(784 + 7 + 5, sd.sources().stream().filter(g -> g.role().contains("stream") && !g.name().endsWith("_wb")).mapToInt(ScDesign.SourceGroup::devices).sum());
    }

    @Test
    void aLargeNetworkStaysAFewNodesPerLayer() {
        long t0 = System.nanoTime();
        ScDesign sd = ScBuilder.build(random(1, 5, 256, 256, 256, 10), ScConfig.of(100), "big");
        double s = (System.nanoTime() - t0) / 1e9;
        int nodes = sd.design().modules().stream().mapToInt(m -> m.nodes().size()).sum();
        assertTrue(nodes < 600, "nodes: " + nodes);
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

    /** A random analog-baseline net: smtj-sigmoid hidden layers, the 127-level dyadic grid. */
    public static Network analog(long seed, int... sizes) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int in = 784;
        for (int k = 0; k < sizes.length; k++) {
            byte[] codes = new byte[in * sizes[k]];
            for (int i = 0; i < codes.length; i++) codes[i] = (byte) r.nextInt(127);
            boolean last = k == sizes.length - 1;
            layers.add(new Layer(in, sizes[k], codes, last ? 1 : 0.2, null, last ? Activation.ARGMAX : Activation.SMTJ_SIGMOID));
            in = sizes[k];
        }
        double[] v = new double[127];
        for (int c = 0; c < 127; c++) v[c] = (c - 63) / 64.0;
        return new Network("a" + seed, 127, v, 784, 255, layers, null);
    }

    @Test
    void analogBaselineStructure() {
        Network net = analog(3, 6, 5, 10);
        assertEquals(Arch.ANALOG, Arch.of(net));
        ScDesign sd = ScBuilder.build(net, ScConfig.of(20), "t");
        Design d = sd.flat().design();
        d.validate();
        assertEquals("analog", d.params().get("arch"));
        assertEquals(6, d.params().get("synapse_threshold_bits"));
        assertEquals(3 * 21, sd.cyclesPerInference(), "the quantized design's control: layers x (N + 1)");
        assertEquals(1, d.params().get("activation_latency_cycles"));
        assertEquals(6L + 5, ((Number) d.params().get("dac_conversions_per_inference")).longValue());
        long devices = 0;
        for (Layer l : net.layers())
            for (int o = 0; o < l.outputs(); o++)
                for (int i = 0; i < l.inputs(); i++) if (l.code(o, i) != 63) devices++;
        assertEquals(devices, ((Number) d.params().get("synapse_smtj_devices")).longValue());
        long groupDevices = sd.sources().stream().filter(g -> g.name().endsWith("_syn")).mapToLong(ScDesign.SourceGroup::devices).sum();
        assertEquals(devices, groupDevices, "every non-zero synapse is a device of a source group");
        for (ScDesign.SourceGroup g : sd.sources()) assertEquals(Op.REG, d.node(g.state()).op(), g.name() + " has a state register");
        // no comparator ladder, no level bank; one DAC ROM per hidden layer
        assertTrue(d.nodes().stream().noneMatch(n -> n.name().matches("l\\d+_(lt|ge)\\d+|wb\\d+_.*")), "no ladder, no bank");
        assertEquals(2, d.nodes().stream().filter(n -> n.name().endsWith("_dac_rom")).count());
        // the quantized architecture of a quantized net is unchanged by the option's default
        assertEquals("quantized", ScBuilder.build(random(2, 5, 4, 10), ScConfig.of(8), "q").design().params().get("arch"));
    }

    @Test
    void analogOptionsAreChecked() {
        Network a = analog(4, 3, 10);
        Network q = random(2, 5, 4, 10);
        assertThrows(IllegalArgumentException.class, () -> ScBuilder.build(a, ScConfig.of(8).withFold(2), "t"));
        assertThrows(IllegalArgumentException.class, () -> ScBuilder.build(a, ScConfig.of(8).withEncoding(Encoding.BIPOLAR), "t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScBuilder.build(q, ScConfig.of(8).withArch(Arch.ANALOG), "t"));
        assertTrue(e.getMessage().contains("--arch analog needs hidden layers with activation smtj-sigmoid"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScBuilder.build(a, ScConfig.of(8).withArch(Arch.QUANTIZED), "t"));
        assertEquals("analog", ScBuilder.build(a, ScConfig.of(8).withArch(Arch.ANALOG), "t").design().params().get("arch"));
        assertThrows(IllegalArgumentException.class, () -> Arch.parse("digital"));
        assertThrows(IllegalArgumentException.class, () -> SynapseRng.parse("lfsr"));
        // a grid that is not dyadic takes 16-bit thresholds
        Network u = new Network("u", 11, Network.uniformLevels(11), 784, 255, List.of(
                new Layer(784, 3, new byte[784 * 3], 0.2, null, Activation.SMTJ_SIGMOID), new Layer(3, 10, new byte[30], 1, null, Activation.ARGMAX)), null);
        assertEquals(16, ScBuilder.synapseBits(u));
        assertEquals(6, ScBuilder.synapseBits(a));
    }
    /**
     * Format-2 layers: per-neuron ladder thresholds {@code ceil(N mid_k / scale_o)} as a constant array,
     * an unsigned output grid (no sign stream, code 0 at start, P(1) = value), and another input size
     * and class count in the port widths. A layer with one scale keeps scalar thresholds.
     */
    @Test
    void perNeuronThresholdsUnsignedGridsAndPortWidths() {
        SplittableRandom r = new SplittableRandom(5);
        int in = 20, hid = 6, out = 12, L = 7, N = 64;
        byte[] c1 = new byte[in * hid], c2 = new byte[hid * out];
        for (int i = 0; i < c1.length; i++) c1[i] = (byte) r.nextInt(L);
        for (int i = 0; i < c2.length; i++) c2[i] = (byte) r.nextInt(L);
        double[] scales = {0.3, 0.7, 1.1, 0.25, 2.0, 0.9};
        double[] grid = {0, 0.25, 0.5, 0.75, 1};
        Network net = new Network("v2", L, Network.uniformLevels(L), in, 255, List.of(
                new Layer(in, hid, c1, 1.0, scales, null, Activation.QUANTIZE, grid),
                new Layer(hid, out, c2, 1.0, null, Activation.ARGMAX)), null);
        Design d = ScBuilder.build(net, ScConfig.of(N), "top").flat().design();
        d.validate();
        for (int kk = 0; kk < grid.length - 1; kk++) {
            Node t = d.node("l1_t" + kk);
            assertEquals(hid, t.count(), "one threshold per neuron");
            for (int o = 0; o < hid; o++)
                assertEquals((long) Math.ceil(N * (grid[kk] + grid[kk + 1]) / 2 / scales[o] - 1e-9), t.data(o).signedValue(), "T_" + kk + " of neuron " + o);
        }
        assertNull(d.node("l1_t4"), "5 grid values: 4 thresholds");
        assertEquals(3, d.node("l1_h").width(), "codes 0..4");
        assertEquals(0, d.node("l1_h").data(0).low(), "an unsigned grid starts at code 0");
        assertNull(d.node("l2_in_neg"), "an unsigned grid has no sign");
        Node ptab = d.node("l2_in_ptab");
        for (int c = 0; c < grid.length; c++) assertEquals(SmtjModel.threshold(grid[c]), ptab.data(c).low(), "P(1) of code " + c);
        assertEquals(5, d.node("pix_addr").width(), "20 inputs");
        assertEquals(20, d.node("pix_mem").count());
        assertEquals(4, d.node("score_sel").width(), "12 classes");

        Network v1 = random(3, 5, 7, 10);
        Design d1 = ScBuilder.build(v1, ScConfig.of(N), "top").flat().design();
        assertEquals(1, d1.node("l1_t0").count(), "one scale: scalar thresholds, as before");
        assertNotNull(d1.node("l2_in_neg"));
        assertEquals(10, d1.node("pix_addr").width());
    }
}
