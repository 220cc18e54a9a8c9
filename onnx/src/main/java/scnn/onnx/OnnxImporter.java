package scnn.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import scnn.core.io.InputFiles;
import scnn.core.io.ScnnException;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.onnx.proto.Onnx.AttributeProto;
import scnn.onnx.proto.Onnx.GraphProto;
import scnn.onnx.proto.Onnx.ModelProto;
import scnn.onnx.proto.Onnx.NodeProto;
import scnn.onnx.proto.Onnx.StringStringEntryProto;
import scnn.onnx.proto.Onnx.TensorProto;
import scnn.onnx.proto.Onnx.TensorProto.DataType;
import scnn.onnx.proto.Onnx.ValueInfoProto;

/**
 * Maps a quantized MLP in ONNX onto a {@link Network}, exactly, or refuses it.
 *
 * <p>Two forms are read, also mixed: QONNX ({@code Quant} and {@code BipolarQuant} nodes of the
 * domain {@code qonnx.custom_op.general}, as Brevitas exports them) and standard ONNX
 * ({@code QuantizeLinear}, optionally {@code Clip} on the integers, {@code DequantizeLinear}).
 * The data path must be a chain: optional input scaling ({@code Mul}/{@code Div} by a positive
 * constant), an optional input quantizer that is the identity on the pixel grid,
 * {@code Flatten}/{@code Reshape}; then per layer {@code MatMul} or {@code Gemm} with quantized
 * weights, {@code Add} (bias), {@code Mul}/{@code Div} (positive scales, per tensor or per output
 * channel), and for a hidden layer {@code Relu}, {@code Clip} (HardTanh) or {@code Identity}
 * followed by an activation quantizer; the graph's output is the last layer's scores.
 *
 * <p>The mapping: a weight quantizer's integer grid {@code q in [qmin, qmax]} gives the layer a
 * grid {@code Q = max(-qmin, qmax)} (the levels {@code 2Q + 1}; all layers share the least common
 * multiple, at most 127 levels) and the codes {@code v = q / Q}. Tracking the layer's output as
 * {@code t_o = alpha_o (z_o + c_o)} with {@code z_o = sum_i v(code_oi) u_i} (scnn's weighted sum of the
 * previous layer's grid values {@code u}), an activation quantizer of scale {@code s} and the code
 * range {@code k in [kmin, kmax]} (after any clip) is scnn's ladder with the grid {@code k / K}
 * (unsigned, {@code kmin = 0}) or symmetric ({@code kmin = -kmax}), {@code K = kmax}, the scale
 * {@code alpha_o / (s K)} per neuron and the bias {@code c_o}; its output is {@code (s K) u}, which the
 * next layer's {@code alpha} takes in. The last layer's scores are {@code alpha (z + c)}: scnn's
 * scores times {@code alpha}, which must therefore be one positive number (it is stored as the output
 * layer's {@code scale}). The one difference: QONNX and ONNX round a value exactly half-way between
 * two codes to the even one, scnn's ladder rounds it up.
 *
 * <p>Everything else is refused with one line {@code <file>: node '<name>' (<op>): <reason>}.
 */
public final class OnnxImporter {
    /** Largest model file read. */
    public static final long MAX_BYTES = 512L << 20;
    /** Metadata keys written by {@link OnnxExporter} and honoured here. */
    public static final String META_NAME = "scnn.name", META_PIXEL_SCALE = "scnn.pixel_scale",
            META_WEIGHT_LEVELS = "scnn.weight_levels", META_PROVENANCE = "scnn.provenance";
    /** The domains of the QONNX custom operators. */
    static final Set<String> QONNX_DOMAINS = Set.of("qonnx.custom_op.general", "finn.custom_op.general", "onnx.brevitas", "finn");

    /** A refusal: the node it concerns (or null) and why. */
    static final class Refusal extends RuntimeException {
        Refusal(String m) {
            super(m, null, false, false);
        }
    }

    private final String file;
    private final Double pixelScaleOption;
    private final String nameOption;
    private NodeProto node;
    private int nodeIndex;

    // the metadata
    private Integer weightLevelsHint;
    /** scnn's pixel scale: the inputs are {@code u = pixel / pixelScale}. */
    private double pixelScale = 255.0;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    private final List<Draft> layers = new ArrayList<>();
    private final Set<String> forms = new HashSet<>();

    private OnnxImporter(String file, String name, Double pixelScale) {
        this.file = file;
        this.nameOption = name;
        this.pixelScaleOption = pixelScale;
    }

    /**
     * Reads {@code file} and maps it onto a network.
     *
     * @param name       the network's name, or null (metadata {@code scnn.name}, else the file's base name)
     * @param pixelScale the model's input is {@code pixel / pixelScale}; null: metadata
     *                   {@code scnn.pixel_scale}, else 255
     */
    public static Network read(Path file, String name, Double pixelScale) {
        byte[] bytes = InputFiles.readBytes(file, MAX_BYTES);
        ModelProto m;
        try {
            m = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ScnnException(file + ": not an ONNX model (" + firstLine(e.getMessage()) + ")");
        }
        String base = file.getFileName() == null ? "model" : file.getFileName().toString().replaceFirst("\\.onnx$", "");
        OnnxImporter im = new OnnxImporter(base, name, pixelScale);
        try {
            return im.map(m);
        } catch (Refusal r) {
            throw new ScnnException(file + ": " + r.getMessage());
        }
    }

    /** Maps a parsed model ({@code fileName} names it in the provenance). */
    static Network map(ModelProto m, String fileName, String name, Double pixelScale) {
        return new OnnxImporter(fileName, name, pixelScale).map(m);
    }

    // ---- values on the graph -------------------------------------------------------------------

    /** What a tensor name stands for. */
    private sealed interface Value permits Const, QWeight, Pending, Act, Acc {}

    /** A constant tensor. */
    private record Const(Tensors.T t) implements Value {}

    /** Quantized weights {@code w = scale * q}, row-major over {@code dims}; {@code scale} is per element. */
    private record QWeight(long[] dims, long[] q, double[] scale, long qmin, long qmax, String form) implements Value {}

    /**
     * A standard-ONNX quantizer waiting for its DequantizeLinear: source value (a Const, an Act
     * or an Acc), the scale, the integer range.
     */
    private record Pending(Value source, Tensors.T scale, long qmin, long qmax, String quantizeNode) implements Value {}

    /**
     * The data path between layers: {@code x = a * u}, with {@code u} the pixels {@code p / pixel_scale}
     * ({@code layer == -1}) or the grid values of hidden layer {@code layer}; {@code dims} its shape.
     */
    private record Act(long[] dims, double a, int layer, boolean nonNegative) implements Value {
        long features() {
            long n = 1;
            for (int i = 1; i < dims.length; i++) n *= dims[i];
            return dims.length == 1 ? dims[0] : n;
        }
    }

    /** A layer's output {@code t_o = alpha_o (z_o + c_o)}, clipped to {@code [lo, hi]} when an activation clipped it. */
    private record Acc(Draft d, double lo, double hi) implements Value {}

    /** A layer being mapped. */
    private static final class Draft {
        int in, out;
        long[] q;        // [out][in]
        int qGrid;       // Q of this layer: v = q / qGrid
        double[] alpha, c;
        String weightNode;
        // hidden layers: the activation quantizer
        boolean hidden;
        int k;           // K
        boolean unsigned;
        double sk;       // s * K
        double[] scales;
    }

    // ---- mapping -------------------------------------------------------------------------------

    private Network map(ModelProto m) {
        unknownFields(m, "the model");
        if (!m.hasGraph()) throw new Refusal("the model has no graph");
        GraphProto g = m.getGraph();
        unknownFields(g, "the graph");
        for (ValueInfoProto v : g.getInputList()) unknownFields(v, "graph input '" + v.getName() + "'");
        for (ValueInfoProto v : g.getOutputList()) unknownFields(v, "graph output '" + v.getName() + "'");
        Map<String, String> meta = new HashMap<>();
        for (StringStringEntryProto e : m.getMetadataPropsList()) meta.put(e.getKey(), e.getValue());
        if (meta.containsKey(META_WEIGHT_LEVELS)) {
            try {
                weightLevelsHint = Integer.parseInt(meta.get(META_WEIGHT_LEVELS));
            } catch (NumberFormatException e) {
                throw new Refusal("metadata " + META_WEIGHT_LEVELS + " is not an integer");
            }
        }
        double p = pixelScaleOption != null ? pixelScaleOption : meta.containsKey(META_PIXEL_SCALE) ? number(meta.get(META_PIXEL_SCALE)) : 255.0;
        if (!(p > 0) || !Double.isFinite(p)) throw new Refusal("the pixel scale must be positive, got " + p);
        pixelScale = Math.max(p, 255.0);

        for (TensorProto t : g.getInitializerList()) {
            unknownFields(t, "initializer '" + t.getName() + "'");
            try {
                values.put(t.getName(), new Const(Tensors.read(t)));
            } catch (IllegalArgumentException e) {
                throw new Refusal(e.getMessage());
            }
        }
        List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !values.containsKey(v.getName())).toList();
        if (inputs.size() != 1) throw new Refusal("the graph has " + inputs.size() + " inputs besides its initializers; a scnn network takes one image");
        if (g.getOutputCount() != 1) throw new Refusal("the graph has " + g.getOutputCount() + " outputs; a scnn network has one (the class scores)");
        ValueInfoProto in = inputs.get(0);
        long[] dims = inputDims(in);
        values.put(in.getName(), new Act(dims, pixelScale / p, -1, true));
        for (NodeProto n : g.getNodeList()) for (String s : n.getInputList()) if (!s.isEmpty()) uses.merge(s, 1, Integer::sum);

        for (nodeIndex = 0; nodeIndex < g.getNodeCount(); nodeIndex++) {
            node = g.getNodeList().get(nodeIndex);
            unknownFields(node, "node " + describe());
            for (AttributeProto a : node.getAttributeList()) unknownFields(a, "attribute '" + a.getName() + "' of node " + describe());
            if (node.getOutputCount() < 1) throw refuse("has no output");
            Value out = apply();
            values.put(node.getOutput(0), out);
        }
        node = null;
        String outName = g.getOutput(0).getName();
        Value last = values.get(outName);
        if (last == null) throw new Refusal("the graph output '" + outName + "' is computed by no node");
        if (!(last instanceof Acc acc)) {
            if (last instanceof Act a && a.layer() >= 0)
                throw new Refusal("the graph ends with a quantized activation; a scnn network ends with the last layer's scores (MatMul/Gemm, Add, Mul)");
            throw new Refusal("the graph output '" + outName + "' is not the scores of a fully connected layer");
        }
        if (acc.lo() != Double.NEGATIVE_INFINITY || acc.hi() != Double.POSITIVE_INFINITY)
            throw new Refusal("the last layer's scores are clipped (Relu/Clip without a quantizer); scnn's output layer is an argmax of the unclipped scores");
        Draft lastD = acc.d();
        if (lastD != layers.get(layers.size() - 1)) throw new Refusal("the graph output is not the last layer");
        for (double a : lastD.alpha)
            if (Double.compare(a, lastD.alpha[0]) != 0)
                throw new Refusal("the last layer (weights '" + lastD.weightNode + "') has per-output-channel scales: the argmax of differently scaled scores is not the argmax scnn's hardware computes; quantize the last layer's weights per tensor");

        return build(meta, pixelScale, m);
    }

    private Network build(Map<String, String> meta, double pixelScale, ModelProto m) {
        // the common weight grid
        int qc;
        if (weightLevelsHint != null) {
            int L = weightLevelsHint;
            if (L < 3 || L % 2 == 0 || L > 127) throw new Refusal("metadata " + META_WEIGHT_LEVELS + " = " + L + " is not an odd number in 3..127");
            qc = (L - 1) / 2;
        } else {
            long l = 1;
            for (Draft d : layers) l = lcm(l, d.qGrid);
            for (Draft d : layers)
                if (2L * d.qGrid + 1 > 127)
                    throw new Refusal("the weights of node '" + d.weightNode + "' take " + (2L * d.qGrid + 1) + " levels (integers -" + d.qGrid + ".." + d.qGrid
                            + "); scnn's hardware has at most 127 (weights of at most 6 bits, or 7 bits with narrow range)");
            if (2 * l + 1 > 127)
                throw new Refusal("the layers' weight grids (" + String.join(", ", layers.stream().map(d -> "Q=" + d.qGrid).toList())
                        + ") need a common grid of " + (2 * l + 1) + " levels; scnn's hardware has at most 127");
            qc = (int) l;
        }
        int L = 2 * qc + 1;
        double[] levelValues = Network.uniformLevels(L);
        List<Layer> out = new ArrayList<>();
        int inputSize = layers.get(0).in;
        for (int li = 0; li < layers.size(); li++) {
            Draft d = layers.get(li);
            int mult = qc / d.qGrid;
            byte[] codes = new byte[d.in * d.out];
            for (int i = 0; i < codes.length; i++) codes[i] = (byte) (d.q[i] * mult + qc);
            double[] bias = null;
            for (double c : d.c) if (c != 0) bias = d.c;
            boolean last = li == layers.size() - 1;
            if (last) {
                out.add(new Layer(d.in, d.out, codes, d.alpha[0], bias, Activation.ARGMAX));
                continue;
            }
            boolean uniform = true;
            for (double s : d.scales) uniform &= Double.compare(s, d.scales[0]) == 0;
            double[] grid = d.unsigned ? unsignedGrid(d.k) : Network.uniformLevels(2 * d.k + 1);
            if (Arrays.equals(grid, levelValues)) grid = null;
            out.add(new Layer(d.in, d.out, codes, uniform ? d.scales[0] : 1.0, uniform ? null : d.scales, bias, Activation.QUANTIZE, grid));
        }
        String name = nameOption != null ? nameOption : meta.getOrDefault(META_NAME, file);
        if (name.isBlank()) throw new Refusal("the network name is empty");
        ObjectNode prov;
        if (meta.containsKey(META_PROVENANCE)) {
            try {
                JsonNode j = WeightsIO.mapper().readTree(meta.get(META_PROVENANCE));
                if (!(j instanceof ObjectNode o)) throw new Refusal("metadata " + META_PROVENANCE + " is not a JSON object");
                prov = o;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new Refusal("metadata " + META_PROVENANCE + " is not JSON");
            }
        } else {
            prov = JsonNodeFactory.instance.objectNode();
            prov.put("imported_from", file + ".onnx");
            if (!m.getProducerName().isEmpty()) prov.put("producer", (m.getProducerName() + " " + m.getProducerVersion()).strip());
            prov.put("form", String.join("+", forms.stream().sorted().toList()));
            prov.put("onnx_output_scale", layers.get(layers.size() - 1).alpha[0]);
        }
        Network net = new Network(name, L, levelValues, inputSize, pixelScale, out, prov);
        try {
            return WeightsIO.parse(WeightsIO.toJson(net));
        } catch (RuntimeException e) {
            throw new Refusal("the mapped network does not pass the weights-file checks: " + e.getMessage());
        }
    }

    private static double[] unsignedGrid(int k) {
        double[] g = new double[k + 1];
        for (int i = 0; i <= k; i++) g[i] = (double) i / k;
        return g;
    }

    // ---- nodes ---------------------------------------------------------------------------------

    private Value apply() {
        String op = node.getOpType();
        String dom = node.getDomain();
        boolean qonnx = QONNX_DOMAINS.contains(dom);
        if (!dom.isEmpty() && !dom.equals("ai.onnx") && !qonnx) throw refuse("operator domain '" + dom + "' is not supported");
        if (qonnx && !op.equals("Quant") && !op.equals("BipolarQuant"))
            throw refuse("QONNX operator " + op + " is not supported (Quant and BipolarQuant are)");
        return switch (op) {
            case "Quant" -> quant();
            case "BipolarQuant" -> bipolar();
            case "QuantizeLinear" -> quantizeLinear();
            case "DequantizeLinear" -> dequantizeLinear();
            case "MatMul" -> matmul(input(0), input(1), false, 1.0);
            case "Gemm" -> gemm();
            case "Add" -> add();
            case "Mul" -> scaleBy(false);
            case "Div" -> scaleBy(true);
            case "Relu" -> relu();
            case "Clip" -> clip();
            case "Identity" -> input(0);
            case "Flatten" -> flatten();
            case "Reshape" -> reshape();
            case "Transpose" -> transpose();
            case "Constant" -> constant();
            case "Conv", "ConvTranspose", "ConvInteger", "QLinearConv" ->
                    throw refuse("convolutions are not supported: scnn builds fully connected layers (MatMul/Gemm) only");
            case "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool" -> throw refuse("pooling is not supported: scnn builds fully connected layers only");
            case "BatchNormalization" -> throw refuse("BatchNormalization is not supported: fold it into the layer's weights and bias before export");
            case "Sigmoid", "Tanh", "LeakyRelu", "Elu", "Selu", "Softplus", "HardSigmoid", "Gelu", "PRelu", "Softmax", "LogSoftmax", "Exp", "Log" ->
                    throw refuse("activation " + op + " is not supported: hidden layers take Relu, Clip (HardTanh) or Identity followed by a quantizer, and the graph ends with the last layer's scores");
            case "Sub" -> throw refuse("Sub is not supported: a shifted input or activation (a mean subtracted, an asymmetric offset) cannot drive s-MTJ probabilities");
            case "QLinearMatMul", "MatMulInteger" -> throw refuse(op + " is not supported: use the QuantizeLinear/DequantizeLinear form around a float MatMul");
            default -> throw refuse("operator " + op + " is not supported");
        };
    }

    private Value input(int i) {
        if (i >= node.getInputCount() || node.getInput(i).isEmpty()) throw refuse("input " + i + " is missing");
        String s = node.getInput(i);
        Value v = values.get(s);
        if (v == null) throw refuse("input '" + s + "' is not computed before this node (the nodes must be sorted, and the graph may have only one input)");
        if ((v instanceof Act || v instanceof Acc || v instanceof Pending p && !(p.source() instanceof Const)) && uses.getOrDefault(s, 0) > 1)
            throw refuse("the data path branches at '" + s + "' (used " + uses.get(s) + " times); scnn maps a chain of layers");
        return v;
    }

    private Tensors.T constInput(int i, String what) {
        Value v = input(i);
        if (v instanceof Const c) return c.t();
        throw refuse(what + " (input " + i + ") must be a constant");
    }

    private Value optional(int i) {
        return i < node.getInputCount() && !node.getInput(i).isEmpty() ? input(i) : null;
    }

    private Value quant() {
        forms.add("qonnx");
        Value x = input(0);
        Tensors.T scale = constInput(1, "the scale");
        Tensors.T zp = constInput(2, "the zero point");
        Tensors.T bw = constInput(3, "the bit width");
        int signed = (int) intAttr("signed", 1), narrow = (int) intAttr("narrow", 0);
        String rounding = stringAttr("rounding_mode", "ROUND");
        if (!rounding.equals("ROUND")) throw refuse("rounding_mode " + rounding + " is not supported (ROUND is: scnn's ladder rounds to the nearest level)");
        for (double z : zp.data()) if (z != 0) throw refuse("asymmetric zero point " + z + ": scnn's levels are symmetric around 0 or start at 0");
        if (!bw.uniform() || bw.size() != 1) throw refuse("the bit width must be one number");
        double b = bw.data()[0];
        if (b != Math.rint(b) || b < 2 || b > 16) throw refuse("bit width " + b + " is not supported (integers 2..16; 1-bit weights are BipolarQuant)");
        long qmin, qmax;
        int bits = (int) b;
        if (signed != 0) {
            qmin = -(1L << (bits - 1)) + (narrow != 0 ? 1 : 0);
            qmax = (1L << (bits - 1)) - 1;
        } else {
            qmin = 0;
            qmax = (1L << bits) - 1 - (narrow != 0 ? 1 : 0);
        }
        positive(scale, "scale");
        return quantize(x, scale, qmin, qmax, "qonnx");
    }

    private Value bipolar() {
        forms.add("qonnx");
        Value x = input(0);
        Tensors.T scale = constInput(1, "the scale");
        positive(scale, "scale");
        if (!(x instanceof Const c)) throw refuse("bipolar (sign) activations are not supported: a hidden layer's grid has a zero level or starts at 0");
        long[] q = new long[c.t().data().length];
        for (int i = 0; i < q.length; i++) q[i] = c.t().data()[i] >= 0 ? 1 : -1;
        return new QWeight(c.t().dims(), q, broadcast(scale, c.t().dims(), "scale"), -1, 1, "qonnx");
    }

    private Value quantizeLinear() {
        forms.add("qdq");
        Value x = input(0);
        Tensors.T scale = constInput(1, "y_scale");
        Value zpv = optional(2);
        Tensors.T zp = zpv == null ? null : constInput(2, "y_zero_point");
        if (zp != null) for (double z : zp.data()) if (z != 0) throw refuse("asymmetric zero point " + z + ": scnn's levels are symmetric around 0 or start at 0");
        int type = zp == null ? DataType.UINT8_VALUE : zp.type();
        long qmin, qmax;
        switch (type) {
            case DataType.UINT8_VALUE -> { qmin = 0; qmax = 255; }
            case DataType.INT8_VALUE -> { qmin = -128; qmax = 127; }
            case DataType.INT16_VALUE -> { qmin = -32768; qmax = 32767; }
            case DataType.UINT16_VALUE -> { qmin = 0; qmax = 65535; }
            default -> throw refuse("quantized type " + Tensors.typeName(type) + " is not supported (int8, uint8, int16, uint16)");
        }
        positive(scale, "y_scale");
        axisCheck(scale, x);
        return new Pending(x, scale, qmin, qmax, describe());
    }

    private void axisCheck(Tensors.T scale, Value x) {
        if (scale.size() == 1) return;
        long axis = intAttr("axis", 1);
        if (!(x instanceof Const c)) throw refuse("per-axis quantization of an activation is not supported (one scale per tensor)");
        long[] d = c.t().dims();
        if (axis < 0) axis += d.length;
        if (axis < 0 || axis >= d.length || d[(int) axis] != scale.size())
            throw refuse("the scale has " + scale.size() + " values, which does not match axis " + axis + " of " + c.t().shape());
    }

    private Value dequantizeLinear() {
        forms.add("qdq");
        Value x = input(0);
        Tensors.T scale = constInput(1, "x_scale");
        Value zpv = optional(2);
        if (zpv != null) for (double z : constInput(2, "x_zero_point").data()) if (z != 0) throw refuse("asymmetric zero point " + z + ": scnn's levels are symmetric around 0 or start at 0");
        positive(scale, "x_scale");
        if (x instanceof Pending p) {
            if (!Arrays.equals(p.scale().data(), scale.data()))
                throw refuse("the scale differs from that of " + p.quantizeNode() + "; scnn maps a QuantizeLinear/DequantizeLinear pair with one scale");
            return quantize(p.source(), scale, p.qmin(), p.qmax(), "qdq");
        }
        if (x instanceof Const c && c.t().integerType()) {
            long qmin, qmax;
            switch (c.t().type()) {
                case DataType.INT8_VALUE -> { qmin = -128; qmax = 127; }
                case DataType.UINT8_VALUE -> { qmin = 0; qmax = 255; }
                default -> { qmin = -32768; qmax = 32767; }
            }
            long[] q = new long[c.t().data().length];
            for (int i = 0; i < q.length; i++) q[i] = (long) c.t().data()[i];
            axisCheck(scale, x);
            return new QWeight(c.t().dims(), q, broadcastAxis(scale, c.t().dims()), qmin, qmax, "qdq");
        }
        throw refuse("DequantizeLinear must follow a QuantizeLinear (optionally through a Clip) or read an integer initializer");
    }

    /** A quantizer with scale {@code scale} and integer range {@code [qmin, qmax]} applied to {@code x}. */
    private Value quantize(Value x, Tensors.T scale, long qmin, long qmax, String form) {
        if (x instanceof Const c) {
            double[] s = scale.size() == 1 || form.equals("qonnx") ? broadcast(scale, c.t().dims(), "scale") : broadcastAxis(scale, c.t().dims());
            double[] w = c.t().data();
            long[] q = new long[w.length];
            for (int i = 0; i < w.length; i++) q[i] = (long) Math.max(qmin, Math.min(qmax, Math.rint(w[i] / s[i])));
            return new QWeight(c.t().dims(), q, s, qmin, qmax, form);
        }
        if (!scale.uniform()) throw refuse("per-channel activation scales are not supported (one scale per tensor)");
        double s = scale.data()[0];
        if (x instanceof Act a) {
            if (a.layer() >= 0) throw refuse("a second quantizer on an already quantized activation is not supported");
            // the input quantizer: must map pixel p to code p * k1, so that it only rescales
            long k1 = -1;
            for (int p = 0; p <= 255; p++) {
                double xv = a.a() * (p / pixelScale);
                long k = (long) Math.max(qmin, Math.min(qmax, Math.rint(xv / s)));
                if (p == 1) k1 = k;
                if (p >= 1 && (k1 < 1 || k != p * k1))
                    throw refuse("the input quantizer is not the identity on the pixel grid (pixel " + p + " gives code " + k
                            + "); scnn's inputs are the pixels themselves: use the scale 1/" + (long) pixelScale + " (or pass --pixel-scale)");
            }
            return new Act(a.dims(), s * k1 * pixelScale, -1, true);
        }
        if (x instanceof Acc acc) {
            Draft d = acc.d();
            if (d.hidden) throw refuse("a second quantizer on a layer's output");
            long kmin = qmin, kmax = qmax;
            if (acc.lo() != Double.NEGATIVE_INFINITY) kmin = Math.max(kmin, (long) Math.rint(acc.lo() / s));
            if (acc.hi() != Double.POSITIVE_INFINITY) kmax = Math.min(kmax, (long) Math.rint(acc.hi() / s));
            boolean unsigned;
            if (kmin == 0 && kmax >= 1) unsigned = true;
            else if (kmin == -kmax && kmax >= 1) unsigned = false;
            else throw refuse("the activation's code range " + kmin + ".." + kmax + " is neither unsigned (from 0) nor symmetric around 0");
            if (unsigned ? kmax > 127 : 2 * kmax + 1 > 127)
                throw refuse("the activation takes " + (unsigned ? kmax + 1 : 2 * kmax + 1) + " levels; scnn's hidden layers have at most " + (unsigned ? 128 : 127));
            d.hidden = true;
            d.k = (int) kmax;
            d.unsigned = unsigned;
            d.sk = s * kmax;
            d.scales = new double[d.out];
            for (int o = 0; o < d.out; o++) {
                d.scales[o] = d.alpha[o] / d.sk;
                if (!(d.scales[o] > 0) || !Double.isFinite(d.scales[o])) throw refuse("the layer's scale " + d.scales[o] + " is not a positive number");
            }
            return new Act(new long[] {1, d.out}, d.sk, layers.indexOf(d), unsigned);
        }
        throw refuse("a quantizer here is not supported (it must quantize weights, the input, or a layer's output)");
    }

    private Value gemm() {
        if (intAttr("transA", 0) != 0) throw refuse("transA = 1 is not supported");
        double alpha = floatAttr("alpha", 1.0), beta = floatAttr("beta", 1.0);
        if (!(alpha > 0)) throw refuse("alpha must be positive, got " + alpha);
        Value r = matmul(input(0), input(1), intAttr("transB", 0) != 0, alpha);
        Value c = optional(2);
        if (c != null) {
            if (!(c instanceof Const k)) throw refuse("the bias C must be a constant");
            double[] b = k.t().data().clone();
            for (int i = 0; i < b.length; i++) b[i] *= beta;
            addBias((Acc) r, new Tensors.T(k.t().dims(), b, k.t().type()));
        }
        return r;
    }

    private Value matmul(Value x, Value w, boolean transB, double alpha) {
        if (!(x instanceof Act a)) {
            if (x instanceof QWeight) throw refuse("the weights must be the second operand (x W)");
            throw refuse("the first operand must be the image or a quantized activation");
        }
        if (!(w instanceof QWeight qw)) {
            if (w instanceof Const) throw refuse("the weights are not quantized (no Quant / DequantizeLinear on them)");
            throw refuse("the second operand must be quantized weights");
        }
        if (a.dims().length != 2 || (a.dims()[0] != 1 && a.dims()[0] != -1))
            throw refuse("the input has shape " + Arrays.toString(a.dims()) + "; flatten it to [1, n] (Flatten or Reshape) first");
        if (qw.dims().length != 2) throw refuse("the weights have rank " + qw.dims().length + ", expected a matrix");
        int n = (int) (transB ? qw.dims()[1] : qw.dims()[0]), m = (int) (transB ? qw.dims()[0] : qw.dims()[1]);
        if (n != a.features()) throw refuse("the weights take " + n + " inputs but the layer gets " + a.features());
        if (layers.size() != a.layer() + 1) throw refuse("layers must follow one another");
        int Q = (int) Math.max(-qw.qmin(), qw.qmax());
        Draft d = new Draft();
        d.in = n;
        d.out = m;
        d.weightNode = node.getName().isEmpty() ? node.getInput(1) : node.getName();
        d.qGrid = Q;
        if (weightLevelsHint != null) {
            int qc = (weightLevelsHint - 1) / 2;
            if (qc >= 1) d.qGrid = qc;
        }
        d.q = new long[n * m];
        d.alpha = new double[m];
        d.c = new double[m];
        for (int o = 0; o < m; o++) {
            double so = Double.NaN;
            for (int i = 0; i < n; i++) {
                int idx = transB ? o * n + i : i * m + o;
                long q = qw.q()[idx];
                if (Math.abs(q) > d.qGrid) throw refuse("weight code " + q + " is outside the grid -" + d.qGrid + ".." + d.qGrid + " (metadata " + META_WEIGHT_LEVELS + ")");
                d.q[o * n + i] = q;
                double s = qw.scale()[idx];
                if (Double.isNaN(so)) so = s;
                else if (Double.compare(s, so) != 0)
                    throw refuse("the weight scale varies along the input axis; scnn takes one scale per tensor or per output channel");
            }
            d.alpha[o] = so * d.qGrid * a.a() * alpha;
        }
        layers.add(d);
        return new Acc(d, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    private Value add() {
        Value a = input(0), b = input(1);
        Acc acc;
        Tensors.T t;
        if (a instanceof Acc x && b instanceof Const c) {
            acc = x;
            t = c.t();
        } else if (b instanceof Acc x && a instanceof Const c) {
            acc = x;
            t = c.t();
        } else {
            throw refuse("Add must add a constant bias to a layer's weighted sums");
        }
        if (acc.d().hidden || acc.lo() != Double.NEGATIVE_INFINITY || acc.hi() != Double.POSITIVE_INFINITY)
            throw refuse("a bias after the activation is not supported");
        addBias(acc, t);
        return acc;
    }

    private void addBias(Acc acc, Tensors.T t) {
        Draft d = acc.d();
        double[] b = perOutput(t, d.out, "bias");
        for (int o = 0; o < d.out; o++) d.c[o] += b[o] / d.alpha[o];
    }

    private Value scaleBy(boolean divide) {
        Value a = input(0), b = input(1);
        Value target;
        Tensors.T t;
        if (b instanceof Const c && !(a instanceof Const)) {
            target = a;
            t = c.t();
        } else if (a instanceof Const c && !(b instanceof Const) && !divide) {
            target = b;
            t = c.t();
        } else {
            throw refuse((divide ? "Div" : "Mul") + " must scale the data by a constant");
        }
        for (double v : t.data()) if (!(v > 0)) throw refuse("scale factor " + v + " is not positive: a negative or zero factor changes the order of the scores or the sign of the activations");
        if (target instanceof Act x) {
            if (!t.uniform()) throw refuse("per-feature scaling of the input or of an activation is not supported");
            if (x.layer() >= 0) throw refuse("scaling a quantized activation is not supported (fold it into the next layer's weight scale)");
            double f = t.data()[0];
            return new Act(x.dims(), divide ? x.a() / f : x.a() * f, x.layer(), x.nonNegative());
        }
        if (target instanceof Acc acc) {
            if (acc.d().hidden || acc.lo() != Double.NEGATIVE_INFINITY || acc.hi() != Double.POSITIVE_INFINITY)
                throw refuse("scaling after the activation is not supported");
            double[] f = perOutput(t, acc.d().out, "scale");
            for (int o = 0; o < acc.d().out; o++) acc.d().alpha[o] = divide ? acc.d().alpha[o] / f[o] : acc.d().alpha[o] * f[o];
            return acc;
        }
        if (target instanceof QWeight) throw refuse("scaling the weights after their quantizer is not supported (put the factor in the quantizer's scale)");
        throw refuse("Mul/Div is not supported here");
    }

    private Value relu() {
        Value x = input(0);
        if (x instanceof Acc acc) {
            if (acc.d().hidden) throw refuse("Relu after the activation quantizer is not supported");
            return new Acc(acc.d(), Math.max(acc.lo(), 0.0), acc.hi());
        }
        if (x instanceof Act a && a.nonNegative()) return a;
        throw refuse("Relu must follow a layer's weighted sums");
    }

    private Value clip() {
        Value x = input(0);
        double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
        if (node.getInputCount() > 1 || hasAttr("min") || hasAttr("max")) {
            if (hasAttr("min")) lo = floatAttr("min", lo);
            if (hasAttr("max")) hi = floatAttr("max", hi);
            Value a = optional(1), b = optional(2);
            if (a != null) lo = scalar(constInput(1, "min"), "min");
            if (b != null) hi = scalar(constInput(2, "max"), "max");
        }
        if (x instanceof Pending p) {
            long l = (long) Math.ceil(lo), h = (long) Math.floor(hi);
            if (lo != Double.NEGATIVE_INFINITY && lo != l || hi != Double.POSITIVE_INFINITY && hi != h)
                throw refuse("a Clip between QuantizeLinear and DequantizeLinear must have integer bounds");
            return new Pending(p.source(), p.scale(), Math.max(p.qmin(), lo == Double.NEGATIVE_INFINITY ? p.qmin() : l),
                    Math.min(p.qmax(), hi == Double.POSITIVE_INFINITY ? p.qmax() : h), p.quantizeNode());
        }
        if (x instanceof Acc acc) {
            if (acc.d().hidden) throw refuse("Clip after the activation quantizer is not supported");
            if (!(lo < hi)) throw refuse("empty clip range " + lo + ".." + hi);
            return new Acc(acc.d(), Math.max(acc.lo(), lo), Math.min(acc.hi(), hi));
        }
        if (x instanceof Const c) {
            double[] v = c.t().data().clone();
            for (int i = 0; i < v.length; i++) v[i] = Math.max(lo, Math.min(hi, v[i]));
            return new Const(new Tensors.T(c.t().dims(), v, c.t().type()));
        }
        throw refuse("Clip must follow a layer's weighted sums (HardTanh) or sit between QuantizeLinear and DequantizeLinear");
    }

    private Value flatten() {
        Value x = input(0);
        if (!(x instanceof Act a)) throw refuse("Flatten is supported on the input and on activations only");
        long axis = intAttr("axis", 1);
        if (axis != 1) throw refuse("Flatten axis " + axis + " is not supported (1 is)");
        long n = 1;
        for (int i = 1; i < a.dims().length; i++) n *= a.dims()[i];
        if (a.dims().length == 1) n = a.dims()[0];
        return new Act(new long[] {1, n}, a.a(), a.layer(), a.nonNegative());
    }

    private Value reshape() {
        Value x = input(0);
        Tensors.T s = constInput(1, "the shape");
        if (!(x instanceof Act a)) {
            if (x instanceof Const c) return new Const(new Tensors.T(reshaped(c.t().dims(), s), c.t().data(), c.t().type()));
            throw refuse("Reshape is supported on the input, activations and constants only");
        }
        long[] d = reshaped(a.dims(), s);
        if (d.length != 2 || d[0] != 1) throw refuse("Reshape to " + Arrays.toString(d) + " is not supported; scnn flattens an image to [1, n]");
        return new Act(d, a.a(), a.layer(), a.nonNegative());
    }

    private long[] reshaped(long[] from, Tensors.T shape) {
        long total = 1;
        for (long v : from) total *= v < 0 ? 1 : v;
        long[] d = new long[shape.data().length];
        int free = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            d[i] = (long) shape.data()[i];
            if (d[i] == 0) d[i] = i < from.length ? Math.max(1, from[i]) : 1;
            if (d[i] == -1) {
                if (free >= 0) throw refuse("the shape has two -1 entries");
                free = i;
            } else known *= d[i];
        }
        if (free >= 0) d[free] = total / Math.max(1, known);
        long got = 1;
        for (long v : d) got *= v;
        if (got != total) throw refuse("Reshape of " + total + " elements to " + Arrays.toString(d));
        return d;
    }

    private Value transpose() {
        Value x = input(0);
        List<Long> perm = null;
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals("perm")) perm = a.getIntsList();
        if (perm != null && !perm.equals(List.of(1L, 0L))) throw refuse("Transpose with perm " + perm + " is not supported ([1, 0] is)");
        if (x instanceof QWeight w && w.dims().length == 2) {
            int r = (int) w.dims()[0], c = (int) w.dims()[1];
            long[] q = new long[w.q().length];
            double[] s = new double[q.length];
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) {
                q[j * r + i] = w.q()[i * c + j];
                s[j * r + i] = w.scale()[i * c + j];
            }
            return new QWeight(new long[] {c, r}, q, s, w.qmin(), w.qmax(), w.form());
        }
        if (x instanceof Const k && k.t().dims().length == 2) {
            int r = (int) k.t().dims()[0], c = (int) k.t().dims()[1];
            double[] v = new double[k.t().data().length];
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) v[j * r + i] = k.t().data()[i * c + j];
            return new Const(new Tensors.T(new long[] {c, r}, v, k.t().type()));
        }
        throw refuse("Transpose is supported on weight matrices only");
    }

    private Value constant() {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals("value") && a.hasT()) {
                try {
                    return new Const(Tensors.read(a.getT()));
                } catch (IllegalArgumentException e) {
                    throw refuse(e.getMessage());
                }
            }
            if (a.getName().equals("value_float")) return new Const(new Tensors.T(new long[0], new double[] {a.getF()}, DataType.FLOAT_VALUE));
            if (a.getName().equals("value_floats"))
                return new Const(new Tensors.T(new long[] {a.getFloatsCount()}, a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray(), DataType.FLOAT_VALUE));
            if (a.getName().equals("value_int")) return new Const(new Tensors.T(new long[0], new double[] {a.getI()}, DataType.INT64_VALUE));
            if (a.getName().equals("value_ints"))
                return new Const(new Tensors.T(new long[] {a.getIntsCount()}, a.getIntsList().stream().mapToDouble(Long::doubleValue).toArray(), DataType.INT64_VALUE));
        }
        throw refuse("Constant without a supported value attribute");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A per-output vector from a scalar, {@code [m]} or {@code [1, m]}. */
    private double[] perOutput(Tensors.T t, int m, String what) {
        double[] r = new double[m];
        if (t.size() == 1) {
            Arrays.fill(r, t.data()[0]);
            return r;
        }
        long[] d = t.dims();
        boolean ok = t.size() == m && (d.length == 1 || d.length == 2 && d[0] == 1);
        if (!ok) throw refuse("the " + what + " has shape " + t.shape() + "; expected one value or one per output (" + m + ")");
        return t.data().clone();
    }

    /** Broadcasts a (numpy-style) scale to every element of a tensor of {@code dims}. */
    private double[] broadcast(Tensors.T s, long[] dims, String what) {
        int n = 1;
        for (long d : dims) n *= (int) d;
        double[] r = new double[n];
        if (s.size() == 1) {
            Arrays.fill(r, s.data()[0]);
            return r;
        }
        long[] sd = s.dims();
        if (sd.length > dims.length) throw refuse("the " + what + " of shape " + s.shape() + " does not broadcast to " + Arrays.toString(dims));
        long[] full = new long[dims.length];
        Arrays.fill(full, 1);
        System.arraycopy(sd, 0, full, dims.length - sd.length, sd.length);
        for (int i = 0; i < dims.length; i++)
            if (full[i] != 1 && full[i] != dims[i]) throw refuse("the " + what + " of shape " + s.shape() + " does not broadcast to " + Arrays.toString(dims));
        int[] idx = new int[dims.length];
        for (int e = 0; e < n; e++) {
            int rem = e;
            for (int i = dims.length - 1; i >= 0; i--) {
                idx[i] = (int) (rem % dims[i]);
                rem /= dims[i];
            }
            int si = 0;
            for (int i = 0; i < dims.length; i++) si = si * (int) full[i] + (full[i] == 1 ? 0 : idx[i]);
            r[e] = s.data()[si];
        }
        return r;
    }

    /** Broadcasts a per-axis ONNX scale (attribute {@code axis}, default 1) over a tensor of {@code dims}. */
    private double[] broadcastAxis(Tensors.T s, long[] dims) {
        if (s.size() == 1) return broadcast(s, dims, "scale");
        long axis = intAttr("axis", 1);
        if (axis < 0) axis += dims.length;
        long[] shape = new long[dims.length];
        Arrays.fill(shape, 1);
        shape[(int) axis] = s.size();
        return broadcast(new Tensors.T(shape, s.data(), s.type()), dims, "scale");
    }

    private void positive(Tensors.T s, String what) {
        for (double v : s.data()) if (!(v > 0)) throw refuse("the " + what + " " + v + " is not positive");
        if (s.size() == 0) throw refuse("the " + what + " is empty");
    }

    private double scalar(Tensors.T t, String what) {
        if (t.size() != 1) throw refuse("the " + what + " must be one number");
        return t.data()[0];
    }

    private boolean hasAttr(String name) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return true;
        return false;
    }

    private long intAttr(String name, long dflt) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a.getI();
        return dflt;
    }

    private double floatAttr(String name, double dflt) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a.getF();
        return dflt;
    }

    private String stringAttr(String name, String dflt) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a.getS().toStringUtf8();
        return dflt;
    }

    private long[] inputDims(ValueInfoProto in) {
        if (!in.hasType() || !in.getType().hasTensorType() || !in.getType().getTensorType().hasShape())
            throw new Refusal("the graph input '" + in.getName() + "' has no tensor shape");
        var shape = in.getType().getTensorType().getShape();
        long[] d = new long[shape.getDimCount()];
        for (int i = 0; i < d.length; i++) {
            var dim = shape.getDim(i);
            d[i] = dim.hasDimValue() ? dim.getDimValue() : -1;
            if (i > 0 && d[i] < 1) throw new Refusal("the graph input '" + in.getName() + "' has an unknown size in dimension " + i);
        }
        if (d.length < 1) throw new Refusal("the graph input '" + in.getName() + "' is a scalar");
        if (d.length > 1 && d[0] != 1 && d[0] != -1) throw new Refusal("the graph input '" + in.getName() + "' has a batch of " + d[0] + "; scnn maps batch size 1 (or a symbolic batch)");
        return d;
    }

    private Refusal refuse(String reason) {
        return new Refusal("node " + describe() + ": " + reason);
    }

    private String describe() {
        String n = node.getName().isEmpty() ? "#" + nodeIndex : node.getName();
        return "'" + n.replaceAll("[\\r\\n]", " ") + "' (" + node.getOpType() + ")";
    }

    private static void unknownFields(Message m, String where) {
        if (!m.getUnknownFields().asMap().isEmpty())
            throw new Refusal(where + " uses ONNX fields scnn does not read (field numbers " + m.getUnknownFields().asMap().keySet()
                    + ": e.g. sparse tensors, functions, subgraphs or training information)");
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new Refusal("metadata " + META_PIXEL_SCALE + " is not a number");
        }
    }

    private static long lcm(long a, long b) {
        long x = a, y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
