package scnn.core.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;

/**
 * A trained, quantized network as stored in an {@code scnn-weights/1} file.
 *
 * <p>Level code {@code c} (0..L-1) stands for {@code levelValues[c]}; the values rise strictly, lie
 * in [-1, 1] and are symmetric ({@code v[c] = -v[L-1-c]}), so that the middle code is 0 and every
 * value is a sign and a magnitude (the magnitude is a stream probability in hardware). Inputs are
 * raw pixels {@code p} in 0..255 scaled to {@code x = p / pixelScale}.
 */
public final class Network {
    public static final String FORMAT = "scnn-weights/1";
    /**
     * The format of a network that uses per-neuron scales ({@code "scales"}) or a hidden output
     * grid of its own ({@code "activation_values"}): a reader of version 1 only rejects it instead
     * of silently ignoring those fields. A network without them is written as version 1.
     */
    public static final String FORMAT_2 = "scnn-weights/2";

    private final String name;
    private final int levels;
    private final double[] levelValues;
    private final int inputSize;
    private final double pixelScale;
    private final List<Layer> layers;
    private final ObjectNode provenance;

    public Network(String name, int levels, double[] levelValues, int inputSize, double pixelScale,
                   List<Layer> layers, ObjectNode provenance) {
        this.name = name;
        this.levels = levels;
        this.levelValues = levelValues.clone();
        this.inputSize = inputSize;
        this.pixelScale = pixelScale;
        this.layers = List.copyOf(layers);
        this.provenance = provenance == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) canonical(provenance);
    }

    /**
     * The uniform grid of L values in [-1, 1]: {@code v[c] = -1 + 2c/(L-1)}, computed as
     * {@code (2c - (L-1)) / (L-1)} so that it is exactly symmetric ({@code v[c] == -v[L-1-c]}),
     * as the reader requires ({@code -1 + 2c/(L-1)} is not, e.g. for L = 7).
     */
    public static double[] uniformLevels(int levels) {
        double[] v = new double[levels];
        for (int c = 0; c < levels; c++) v[c] = (double) (2 * c - (levels - 1)) / (levels - 1);
        return v;
    }

    /**
     * A copy of a provenance tree in the form the reader gives back, so that a network equals what
     * is read from its file: integers as int, long or big integer nodes by size, other numbers as
     * doubles (a float by its decimal text), non-finite doubles as the strings the writer emits.
     */
    private static JsonNode canonical(JsonNode n) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n.isObject()) {
            ObjectNode o = f.objectNode();
            n.fields().forEachRemaining(e -> o.set(e.getKey(), canonical(e.getValue())));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = f.arrayNode();
            for (JsonNode c : n) a.add(canonical(c));
            return a;
        }
        if (n.isIntegralNumber()) {
            if (n.canConvertToInt()) return f.numberNode(n.intValue());
            if (n.canConvertToLong()) return f.numberNode(n.longValue());
            return f.numberNode(n.bigIntegerValue());
        }
        if (n.isNumber()) {
            double d = n.isFloat() ? Double.parseDouble(Float.toString(n.floatValue())) : n.doubleValue();
            return Double.isFinite(d) ? f.numberNode(d) : f.textNode(Double.toString(d));
        }
        return n.deepCopy();
    }

    public String name() { return name; }
    public int levels() { return levels; }
    public double levelValue(int code) { return levelValues[code]; }
    public double[] levelValues() { return levelValues.clone(); }
    /** The code that stands for 0. */
    public int zeroCode() { return (levels - 1) / 2; }
    public int inputSize() { return inputSize; }
    public double pixelScale() { return pixelScale; }
    public List<Layer> layers() { return layers; }
    public int outputSize() { return layers.get(layers.size() - 1).outputs(); }
    public ObjectNode provenance() { return provenance.deepCopy(); }

    /** The format version this network needs: {@link #FORMAT_2} when any layer uses its fields, else {@link #FORMAT}. */
    public String format() {
        for (Layer l : layers) if (l.perNeuronScales() || l.activationValuesOrNull() != null) return FORMAT_2;
        return FORMAT;
    }

    /** The values of hidden layer {@code k}'s output codes: its own grid, or the level values. */
    public double[] hiddenValues(int k) {
        double[] a = layers.get(k).activationValuesOrNull();
        return a != null ? a : levelValues.clone();
    }

    /** True when a grid of values is unsigned (its first value is 0, so all are non-negative). */
    public static boolean unsignedGrid(double[] values) {
        return values[0] == 0.0;
    }

    public long synapses() {
        long s = 0;
        for (Layer l : layers) s += l.synapses();
        return s;
    }

    /** A copy with another provenance object. */
    public Network withProvenance(ObjectNode p) {
        return new Network(name, levels, levelValues, inputSize, pixelScale, layers, p);
    }

    /** Layer sizes as {@code 784-256-10}. */
    public String shape() {
        StringBuilder sb = new StringBuilder().append(inputSize);
        for (Layer l : layers) sb.append('-').append(l.outputs());
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Network n)) return false;
        return name.equals(n.name) && levels == n.levels && Arrays.equals(levelValues, n.levelValues)
                && inputSize == n.inputSize && Double.compare(pixelScale, n.pixelScale) == 0
                && layers.equals(n.layers) && provenance.equals(n.provenance);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + layers.hashCode();
    }
}
