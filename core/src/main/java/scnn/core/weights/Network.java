package scnn.core.weights;

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
        this.provenance = provenance == null ? JsonNodeFactory.instance.objectNode() : provenance.deepCopy();
    }

    /** The uniform grid of L values in [-1, 1]: {@code v[c] = -1 + 2c/(L-1)}. */
    public static double[] uniformLevels(int levels) {
        double[] v = new double[levels];
        for (int c = 0; c < levels; c++) v[c] = -1.0 + 2.0 * c / (levels - 1);
        v[(levels - 1) / 2] = 0.0;
        return v;
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
