package scnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.ScnnException;
import scnn.core.weights.Network;
import scnn.onnx.proto.Onnx.AttributeProto;
import scnn.onnx.proto.Onnx.GraphProto;
import scnn.onnx.proto.Onnx.ModelProto;
import scnn.onnx.proto.Onnx.NodeProto;
import scnn.onnx.proto.Onnx.TensorProto;
import scnn.onnx.proto.Onnx.TensorShapeProto;
import scnn.onnx.proto.Onnx.TypeProto;
import scnn.onnx.proto.Onnx.ValueInfoProto;

/**
 * Every graph scnn's hardware cannot implement is refused with one line naming the node and the
 * reason, never mapped onto a different network. Each case mutates one small valid QONNX model
 * (4-3-2: 4-bit per-channel weights, a 4-bit unsigned ReLU, per-tensor output weights).
 */
class RefusalTest {
    @TempDir Path tmp;

    static final String Q = "qonnx.custom_op.general";

    /** The valid base model as builder parts, so each test changes one thing. */
    static final class G {
        final List<TensorProto> inits = new ArrayList<>();
        final List<NodeProto> nodes = new ArrayList<>();
        final List<ValueInfoProto> inputs = new ArrayList<>(List.of(input("x", 1, 4)));
        String output = "scores";

        G() {
            init("W1", new long[] {4, 3}, 0.3, -0.2, 0.1, 0.05, 0.7, -0.4, -0.6, 0.2, 0.25, 0.1, -0.1, 0.3);
            init("W1_scale", new long[] {1, 3}, 0.1, 0.1, 0.05);
            init("zero", new long[0], 0);
            init("bits4", new long[0], 4);
            init("B1", new long[] {3}, 0.1, -0.1, 0.0);
            init("act_scale", new long[0], 0.1);
            init("W2", new long[] {3, 2}, 0.5, -0.5, 0.25, 0.1, -0.3, 0.7);
            init("W2_scale", new long[0], 0.1);
            nodes.add(quant("w1q", "W1", "W1_scale", "zero", "bits4", "W1q", 1, 1));
            nodes.add(node("MatMul", "fc1", List.of("x", "W1q"), "z1"));
            nodes.add(node("Add", "fc1_bias", List.of("z1", "B1"), "y1"));
            nodes.add(node("Relu", "relu1", List.of("y1"), "r1"));
            nodes.add(quant("act1", "r1", "act_scale", "zero", "bits4", "h1", 0, 0));
            nodes.add(quant("w2q", "W2", "W2_scale", "zero", "bits4", "W2q", 1, 1));
            nodes.add(node("MatMul", "fc2", List.of("h1", "W2q"), "scores"));
        }

        G init(String name, long[] dims, double... v) {
            inits.removeIf(t -> t.getName().equals(name));
            inits.add(Tensors.doubles(name, dims, v));
            return this;
        }

        int at(String name) {
            for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).getName().equals(name)) return i;
            throw new IllegalArgumentException(name);
        }

        void replace(String name, NodeProto n) {
            nodes.set(at(name), n);
        }

        void insertAfter(String name, NodeProto n) {
            nodes.add(at(name) + 1, n);
        }

        ModelProto model() {
            GraphProto.Builder g = GraphProto.newBuilder().setName("base").addAllNode(nodes).addAllInitializer(inits).addAllInput(inputs)
                    .addOutput(input(output, 1, 2));
            return ModelProto.newBuilder().setIrVersion(8).setGraph(g).build();
        }
    }

    static ValueInfoProto input(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.DOUBLE_VALUE).setShape(s))).build();
    }

    static NodeProto quant(String name, String x, String s, String z, String b, String out, int signed, int narrow) {
        return NodeProto.newBuilder().setName(name).setOpType("Quant").setDomain(Q).addInput(x).addInput(s).addInput(z).addInput(b).addOutput(out)
                .addAttribute(intAttr("signed", signed)).addAttribute(intAttr("narrow", narrow)).build();
    }

    static NodeProto node(String op, String name, List<String> in, String out, AttributeProto... attrs) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out).addAllAttribute(List.of(attrs)).build();
    }

    static AttributeProto intAttr(String n, long v) {
        return AttributeProto.newBuilder().setName(n).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private Path write(ModelProto m) throws IOException {
        return Files.write(tmp.resolve("m" + System.nanoTime() + ".onnx"), m.toByteArray());
    }

    /** Applies {@code change} to the base model and expects one line {@code <file>: <prefix>...<fragment>}. */
    private void refused(Consumer<G> change, String prefix, String fragment) throws IOException {
        G g = new G();
        change.accept(g);
        Path f = write(g.model());
        ScnnException e = assertThrows(ScnnException.class, () -> OnnxImporter.read(f, null, null), fragment);
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.startsWith(f + ": " + prefix), "expected '" + f + ": " + prefix + "...', got: " + m);
        assertTrue(m.contains(fragment), "expected '" + fragment + "' in: " + m);
    }

    @Test
    void theBaseModelImports() throws IOException {
        Network n = OnnxImporter.read(write(new G().model()), "base", null);
        assertEquals("4-3-2", n.shape());
        assertEquals(15, n.levels());
        assertTrue(n.layers().get(0).perNeuronScales());
    }

    @Test
    void convolution() throws IOException {
        refused(g -> g.replace("fc1", node("Conv", "conv1", List.of("x", "W1q"), "z1")), "node 'conv1' (Conv): ", "convolutions are not supported");
    }

    @Test
    void pooling() throws IOException {
        refused(g -> g.insertAfter("w1q", node("MaxPool", "pool", List.of("x"), "xp")), "node 'pool' (MaxPool): ", "pooling is not supported");
    }

    @Test
    void batchNormalization() throws IOException {
        refused(g -> g.insertAfter("fc1", node("BatchNormalization", "bn", List.of("z1"), "zb")), "node 'bn' (BatchNormalization): ", "fold it into");
    }

    @Test
    void asymmetricZeroPointInQuant() throws IOException {
        refused(g -> g.init("zero", new long[0], 1), "node 'w1q' (Quant): ", "asymmetric zero point 1.0");
    }

    @Test
    void asymmetricZeroPointInQuantizeLinear() throws IOException {
        refused(g -> {
            g.inits.add(TensorProto.newBuilder().setName("zp8").setDataType(TensorProto.DataType.UINT8_VALUE).addInt32Data(3).build());
            g.inits.add(Tensors.doubles("s8", new long[0], new double[] {0.1}));
            g.replace("act1", node("QuantizeLinear", "act1", List.of("r1", "s8", "zp8"), "h1i"));
            g.insertAfter("act1", node("DequantizeLinear", "act1_dq", List.of("h1i", "s8", "zp8"), "h1"));
        }, "node 'act1' (QuantizeLinear): ", "asymmetric zero point 3.0");
    }

    @Test
    void unsupportedActivation() throws IOException {
        refused(g -> g.replace("relu1", node("Sigmoid", "sig1", List.of("y1"), "r1")), "node 'sig1' (Sigmoid): ", "activation Sigmoid is not supported");
    }

    @Test
    void softmaxAtTheEnd() throws IOException {
        refused(g -> {
            g.replace("fc2", node("MatMul", "fc2", List.of("h1", "W2q"), "logits"));
            g.nodes.add(node("Softmax", "softmax", List.of("logits"), "scores"));
        }, "node 'softmax' (Softmax): ", "the graph ends with the last layer's scores");
    }

    @Test
    void moreThan127WeightLevels() throws IOException {
        refused(g -> {
            g.init("bits8", new long[0], 8);
            g.replace("w1q", quant("w1q", "W1", "W1_scale", "zero", "bits8", "W1q", 1, 1));
        }, "", "the weights of node 'fc1' take 255 levels (integers -127..127); scnn's hardware has at most 127");
    }

    @Test
    void layersWhoseCommonGridIsTooLarge() throws IOException {
        refused(g -> {
            g.init("bits5", new long[0], 5);
            g.replace("w2q", quant("w2q", "W2", "W2_scale", "zero", "bits5", "W2q", 1, 1));
        }, "", "need a common grid of 211 levels");
    }

    @Test
    void moreThan128ActivationLevels() throws IOException {
        refused(g -> {
            g.init("bits8", new long[0], 8);
            g.replace("act1", quant("act1", "r1", "act_scale", "zero", "bits8", "h1", 0, 0));
        }, "node 'act1' (Quant): ", "the activation takes 256 levels");
    }

    @Test
    void wrongShapes() throws IOException {
        refused(g -> g.inputs.set(0, input("x", 1, 5)), "node 'fc1' (MatMul): ", "the weights take 4 inputs but the layer gets 5");
    }

    @Test
    void unknownOperator() throws IOException {
        refused(g -> g.insertAfter("fc1", node("LSTM", "lstm", List.of("z1"), "zz")), "node 'lstm' (LSTM): ", "operator LSTM is not supported");
    }

    @Test
    void unknownDomain() throws IOException {
        refused(g -> g.replace("relu1", node("Relu", "relu1", List.of("y1"), "r1").toBuilder().setDomain("com.example").build()),
                "node 'relu1' (Relu): ", "operator domain 'com.example' is not supported");
    }

    @Test
    void perChannelScalesOnTheLastLayer() throws IOException {
        refused(g -> g.init("W2_scale", new long[] {1, 2}, 0.1, 0.2), "", "the last layer (weights 'fc2') has per-output-channel scales");
    }

    @Test
    void weightScaleAlongTheInputAxis() throws IOException {
        refused(g -> g.init("W1_scale", new long[] {4, 1}, 0.1, 0.1, 0.2, 0.1), "node 'fc1' (MatMul): ", "the weight scale varies along the input axis");
    }

    @Test
    void asymmetricActivationRange() throws IOException {
        refused(g -> {
            g.init("lo", new long[0], -0.1);
            g.init("hi", new long[0], 0.3);
            g.replace("relu1", node("Clip", "clip1", List.of("y1", "lo", "hi"), "r1"));
            g.replace("act1", quant("act1", "r1", "act_scale", "zero", "bits4", "h1", 1, 1));
        }, "node 'act1' (Quant): ", "code range -1..3 is neither unsigned (from 0) nor symmetric");
    }

    @Test
    void perChannelActivationScale() throws IOException {
        refused(g -> g.init("act_scale", new long[] {1, 3}, 0.1, 0.2, 0.1), "node 'act1' (Quant): ", "per-channel activation scales are not supported");
    }

    @Test
    void branchingDataPath() throws IOException {
        refused(g -> {
            g.replace("fc2", node("MatMul", "fc2", List.of("h1", "W2q"), "s2"));
            g.nodes.add(node("MatMul", "skip", List.of("h1", "W2q"), "s3"));
            g.nodes.add(node("Add", "sum", List.of("s2", "s3"), "scores"));
        }, "node 'fc2' (MatMul): ", "the data path branches at 'h1'");
    }

    @Test
    void floatWeights() throws IOException {
        refused(g -> g.replace("fc1", node("MatMul", "fc1", List.of("x", "W1"), "z1")), "node 'fc1' (MatMul): ", "the weights are not quantized");
    }

    @Test
    void roundingMode() throws IOException {
        refused(g -> g.replace("act1", quant("act1", "r1", "act_scale", "zero", "bits4", "h1", 0, 0).toBuilder()
                        .addAttribute(AttributeProto.newBuilder().setName("rounding_mode").setS(ByteString.copyFromUtf8("FLOOR"))).build()),
                "node 'act1' (Quant): ", "rounding_mode FLOOR is not supported");
    }

    @Test
    void fractionalBitWidth() throws IOException {
        refused(g -> g.init("bits4", new long[0], 3.5), "node 'w1q' (Quant): ", "bit width 3.5 is not supported");
    }

    @Test
    void inputQuantizerThatIsNotTheIdentity() throws IOException {
        refused(g -> {
            g.init("in_scale", new long[0], 2.0 / 255);
            g.init("bits8", new long[0], 8);
            g.nodes.add(0, quant("in_q", "x", "in_scale", "zero", "bits8", "xq", 0, 0));
            g.replace("fc1", node("MatMul", "fc1", List.of("xq", "W1q"), "z1"));
        }, "node 'in_q' (Quant): ", "the input quantizer is not the identity on the pixel grid (pixel 1 gives code 0)");
    }

    @Test
    void subtractedMean() throws IOException {
        refused(g -> {
            g.init("mean", new long[0], 0.13);
            g.nodes.add(0, node("Sub", "normalize", List.of("x", "mean"), "xs"));
            g.replace("fc1", node("MatMul", "fc1", List.of("xs", "W1q"), "z1"));
        }, "node 'normalize' (Sub): ", "cannot drive s-MTJ probabilities");
    }

    @Test
    void negativeScaleFactor() throws IOException {
        refused(g -> {
            g.init("neg", new long[0], -2);
            g.insertAfter("fc1_bias", node("Mul", "flip", List.of("y1", "neg"), "y1n"));
            g.replace("relu1", node("Relu", "relu1", List.of("y1n"), "r1"));
        }, "node 'flip' (Mul): ", "scale factor -2.0 is not positive");
    }

    @Test
    void bipolarActivation() throws IOException {
        refused(g -> g.replace("act1", NodeProto.newBuilder().setName("act1").setOpType("BipolarQuant").setDomain(Q)
                .addInput("r1").addInput("act_scale").addOutput("h1").build()), "node 'act1' (BipolarQuant): ", "bipolar (sign) activations are not supported");
    }

    @Test
    void twoGraphInputs() throws IOException {
        refused(g -> g.inputs.add(input("y", 1, 4)), "", "the graph has 2 inputs besides its initializers");
    }

    @Test
    void endsWithAQuantizedActivation() throws IOException {
        refused(g -> {
            g.nodes.remove(g.at("fc2"));
            g.output = "h1";
        }, "", "the graph ends with a quantized activation");
    }

    @Test
    void clippedScores() throws IOException {
        refused(g -> {
            g.replace("fc2", node("MatMul", "fc2", List.of("h1", "W2q"), "s2"));
            g.nodes.add(node("Relu", "relu_out", List.of("s2"), "scores"));
        }, "", "the last layer's scores are clipped");
    }

    @Test
    void fieldsOutsideTheSubset() throws IOException {
        G g = new G();
        ModelProto m = g.model();
        GraphProto withSparse = m.getGraph().toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(15, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build()).build()).build();
        Path f = write(m.toBuilder().setGraph(withSparse).build());
        ScnnException e = assertThrows(ScnnException.class, () -> OnnxImporter.read(f, null, null));
        assertEquals(f + ": the graph uses ONNX fields scnn does not read (field numbers [15]: e.g. sparse tensors, functions, subgraphs or training information)",
                e.getMessage());
    }

    @Test
    void externalData() throws IOException {
        refused(g -> {
            g.inits.removeIf(t -> t.getName().equals("W2"));
            g.inits.add(TensorProto.newBuilder().setName("W2").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(3).addDims(2)
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL).build());
        }, "", "keeps its data in an external file");
    }

    @Test
    void notAnOnnxFile() throws IOException {
        Path f = Files.write(tmp.resolve("garbage.onnx"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
        ScnnException e = assertThrows(ScnnException.class, () -> OnnxImporter.read(f, null, null));
        assertTrue(e.getMessage().startsWith(f + ": not an ONNX model"), e.getMessage());
        Path none = tmp.resolve("none.onnx");
        assertTrue(assertThrows(ScnnException.class, () -> OnnxImporter.read(none, null, null)).getMessage().startsWith(none + ": "));
    }
}
