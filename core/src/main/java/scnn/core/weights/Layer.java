package scnn.core.weights;

import java.util.Arrays;

/**
 * One fully connected layer: {@code outputs x inputs} weight level codes (row = output neuron),
 * a positive {@code scale} used by the requantizer, an optional bias per output neuron (in units
 * of the weighted sum; all zero when absent) and the activation rule.
 */
public final class Layer {
    private final int inputs;
    private final int outputs;
    private final byte[] codes;
    private final double scale;
    private final double[] bias;
    private final Activation activation;

    /**
     * @param codes row-major {@code [outputs][inputs]} level codes, copied
     * @param bias  null for no bias, else one value per output neuron, copied
     */
    public Layer(int inputs, int outputs, byte[] codes, double scale, double[] bias, Activation activation) {
        if (codes.length != (long) inputs * outputs) throw new IllegalArgumentException("codes length " + codes.length + " != " + outputs + "x" + inputs);
        if (bias != null && bias.length != outputs) throw new IllegalArgumentException("bias length " + bias.length + " != " + outputs);
        this.inputs = inputs;
        this.outputs = outputs;
        this.codes = codes.clone();
        this.scale = scale;
        this.bias = bias == null ? null : bias.clone();
        this.activation = activation;
    }

    public int inputs() { return inputs; }
    public int outputs() { return outputs; }
    public double scale() { return scale; }
    public Activation activation() { return activation; }
    public boolean hasBias() { return bias != null; }
    /** Bias of neuron {@code o}; 0 when the layer has none. */
    public double bias(int o) { return bias == null ? 0.0 : bias[o]; }
    public double[] biasOrNull() { return bias == null ? null : bias.clone(); }
    /** Level code of the weight from input {@code i} to output neuron {@code o}. */
    public int code(int o, int i) { return codes[o * inputs + i]; }
    /** A copy of the row-major codes. */
    public byte[] codes() { return codes.clone(); }
    /** Number of synapses (weights). */
    public long synapses() { return (long) inputs * outputs; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Layer l)) return false;
        return inputs == l.inputs && outputs == l.outputs && Double.compare(scale, l.scale) == 0
                && Arrays.equals(codes, l.codes) && Arrays.equals(bias, l.bias) && activation == l.activation;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codes) * 31 + outputs;
    }
}
