package scnn.onnx;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import scnn.core.io.AtomicFiles;
import scnn.core.io.OutputPolicy;
import scnn.core.io.ScnnException;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.onnx.proto.Onnx.AttributeProto;
import scnn.onnx.proto.Onnx.GraphProto;
import scnn.onnx.proto.Onnx.ModelProto;
import scnn.onnx.proto.Onnx.NodeProto;
import scnn.onnx.proto.Onnx.OperatorSetIdProto;
import scnn.onnx.proto.Onnx.StringStringEntryProto;
import scnn.onnx.proto.Onnx.TensorProto.DataType;
import scnn.onnx.proto.Onnx.TensorShapeProto;
import scnn.onnx.proto.Onnx.TypeProto;
import scnn.onnx.proto.Onnx.ValueInfoProto;

/**
 * Writes a quantized scnn network as a QONNX model (double tensors, so that it carries the
 * network's numbers exactly), laid out so that {@link OnnxImporter} maps it back to the same
 * network. Per layer:
 * <pre>
 *   Wq = Quant(W, 1.0, 0, b)          W holds the integer weights q = code - Q (signed, narrow range)
 *   t  = MatMul(x, Wq) / (Q a_in)       a_in: 1 for the pixels, s K for a hidden layer's output
 *   t  = t + bias                       (when the layer has one)
 *   t  = t * scale                      (per tensor or per neuron; the output layer only when scale != 1)
 *   x' = Quant(Clip(t, kmin s, kmax s), s, 0, b')   hidden layers: the ladder of the output grid
 * </pre>
 * {@code s} is chosen so that {@code s * K} is exactly 1.0, which makes every factor the
 * importer recomputes exact. The model's metadata carries the name, the pixel scale, the weight
 * grid and the provenance ({@code scnn.*} keys).
 */
public final class OnnxExporter {
    /** The producer name; also the mark that lets a later export replace the file. */
    public static final String PRODUCER = "scnn";
    /** The model domain (in the file's first bytes: {@link #MARK}). */
    public static final String DOMAIN = "scnn.export";
    public static final OutputPolicy.Mark MARK = OutputPolicy.Mark.containing(DOMAIN);

    private OnnxExporter() {}

    /** Writes {@code net} to {@code file} (atomically, under the output policy). */
    public static void write(Network net, Path file, OutputPolicy.Replace replace) {
        byte[] bytes = model(net).toByteArray();
        OutputPolicy.checkFile(file, replace, MARK);
        AtomicFiles.write(file, replace, MARK, out -> out.write(bytes));
    }

    /** The QONNX model of {@code net}; throws a {@link ScnnException} for a network QONNX cannot express. */
    public static ModelProto model(Network net) {
        int L = net.levels();
        int Q = (L - 1) / 2;
        double[] uniform = Network.uniformLevels(L);
        for (int c = 0; c < L; c++)
            if (Double.compare(uniform[c], net.levelValue(c)) != 0)
                throw new ScnnException(net.name() + ": level_values are not the uniform grid (2c - (L-1)) / (L-1): a QONNX quantizer has uniform levels");
        GraphProto.Builder g = GraphProto.newBuilder().setName(net.name());
        g.addInput(valueInfo("x", net.inputSize()));
        String x = "x";
        double aIn = 1.0;
        List<Layer> ls = net.layers();
        for (int k = 0; k < ls.size(); k++) {
            Layer l = ls.get(k);
            boolean last = k == ls.size() - 1;
            if (l.activation() == Activation.SMTJ_SIGMOID)
                throw new ScnnException(net.name() + ": layer " + k + " has the s-MTJ sigmoid activation (the analog baseline), which QONNX cannot express");
            String p = "l" + k + "_";
            // weights: [in, out] integers, QONNX Quant with scale 1 (the identity on them)
            double[] w = new double[l.inputs() * l.outputs()];
            for (int o = 0; o < l.outputs(); o++) for (int i = 0; i < l.inputs(); i++) w[i * l.outputs() + o] = l.code(o, i) - Q;
            g.addInitializer(Tensors.doubles(p + "W", new long[] {l.inputs(), l.outputs()}, w));
            g.addInitializer(Tensors.doubles(p + "W_scale", new long[0], new double[] {1.0}));
            g.addInitializer(Tensors.doubles(p + "zero", new long[0], new double[] {0.0}));
            g.addInitializer(Tensors.doubles(p + "W_bits", new long[0], new double[] {signedBits(Q)}));
            g.addNode(quant(p + "W_quant", p + "W", p + "W_scale", p + "zero", p + "W_bits", p + "Wq", true, true));
            g.addNode(node("MatMul", p + "matmul", List.of(x, p + "Wq"), p + "mm"));
            g.addInitializer(Tensors.doubles(p + "div", new long[0], new double[] {Q * aIn}));
            g.addNode(node("Div", p + "div", List.of(p + "mm", p + "div"), p + "z"));
            String t = p + "z";
            if (l.hasBias()) {
                g.addInitializer(Tensors.doubles(p + "bias", new long[] {l.outputs()}, l.biasOrNull()));
                g.addNode(node("Add", p + "add", List.of(t, p + "bias"), p + "zb"));
                t = p + "zb";
            }
            double[] sc = new double[l.outputs()];
            for (int o = 0; o < sc.length; o++) sc[o] = l.scale(o);
            if (!last || sc[0] != 1.0) {
                g.addInitializer(Tensors.doubles(p + "scale", l.perNeuronScales() ? new long[] {l.outputs()} : new long[0],
                        l.perNeuronScales() ? sc : new double[] {sc[0]}));
                g.addNode(node("Mul", p + "mul", List.of(t, p + "scale"), p + "y"));
                t = p + "y";
            }
            if (last) {
                g.addOutput(valueInfo(t, l.outputs()));
                break;
            }
            // the activation: the ladder of this layer's output grid
            double[] grid = net.hiddenValues(k);
            boolean unsigned = Network.unsignedGrid(grid);
            int K = unsigned ? grid.length - 1 : (grid.length - 1) / 2;
            for (int c = 0; c < grid.length; c++) {
                double want = unsigned ? (double) c / K : Network.uniformLevels(grid.length)[c];
                if (Double.compare(want, grid[c]) != 0)
                    throw new ScnnException(net.name() + ": layer " + k + "'s output grid is not uniform (" + (unsigned ? "k / K" : "symmetric") + "): a QONNX quantizer has uniform levels");
            }
            double s = unitScale(K);
            g.addInitializer(Tensors.doubles(p + "lo", new long[0], new double[] {unsigned ? 0.0 : -K * s}));
            g.addInitializer(Tensors.doubles(p + "hi", new long[0], new double[] {K * s}));
            g.addNode(node("Clip", p + "clip", List.of(t, p + "lo", p + "hi"), p + "c"));
            g.addInitializer(Tensors.doubles(p + "a_scale", new long[0], new double[] {s}));
            g.addInitializer(Tensors.doubles(p + "a_bits", new long[0], new double[] {unsigned ? unsignedBits(K) : signedBits(K)}));
            g.addNode(quant(p + "act_quant", p + "c", p + "a_scale", p + "zero", p + "a_bits", p + "h", !unsigned, !unsigned));
            x = p + "h";
            aIn = s * K;
        }
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName(PRODUCER).setProducerVersion("0.1.0")
                .setDomain(DOMAIN).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("qonnx.custom_op.general").setVersion(1));
        meta(m, OnnxImporter.META_NAME, net.name());
        meta(m, OnnxImporter.META_PIXEL_SCALE, Double.toString(net.pixelScale()));
        meta(m, OnnxImporter.META_WEIGHT_LEVELS, Integer.toString(L));
        try {
            meta(m, OnnxImporter.META_PROVENANCE, WeightsIO.mapper().writeValueAsString(net.provenance()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return m.build();
    }

    /** A scale s near 1/K with {@code s * K == 1.0} exactly in double arithmetic. */
    static double unitScale(int K) {
        double s = 1.0 / K;
        for (int i = 0; i < 64 && s * K != 1.0; i++) s = s * K > 1.0 ? Math.nextDown(s) : Math.nextUp(s);
        if (s * K != 1.0) throw new IllegalStateException("no scale with s * " + K + " == 1");
        return s;
    }

    /** Bits of a signed narrow-range quantizer that holds -Q..Q. */
    static int signedBits(int q) {
        int b = 2;
        while ((1 << (b - 1)) - 1 < q) b++;
        return b;
    }

    /** Bits of an unsigned quantizer that holds 0..K. */
    static int unsignedBits(int k) {
        int b = 1;
        while ((1 << b) - 1 < k) b++;
        return Math.max(b, 2);
    }

    private static NodeProto quant(String name, String x, String scale, String zp, String bits, String out, boolean signed, boolean narrow) {
        return NodeProto.newBuilder().setName(name).setOpType("Quant").setDomain("qonnx.custom_op.general")
                .addInput(x).addInput(scale).addInput(zp).addInput(bits).addOutput(out)
                .addAttribute(intAttr("signed", signed ? 1 : 0)).addAttribute(intAttr("narrow", narrow ? 1 : 0))
                .addAttribute(AttributeProto.newBuilder().setName("rounding_mode").setType(AttributeProto.AttributeType.STRING)
                        .setS(ByteString.copyFromUtf8("ROUND")))
                .build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static NodeProto node(String op, String name, List<String> in, String out) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(new ArrayList<>(in)).addOutput(out).build();
    }

    private static ValueInfoProto valueInfo(String name, long n) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n)).build();
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.DOUBLE_VALUE).setShape(shape)))
                .build();
    }

    private static void meta(ModelProto.Builder m, String k, String v) {
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v));
    }
}
