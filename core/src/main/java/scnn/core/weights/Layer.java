package scnn.core.weights;

import java.util.Arrays;

/**
 * One fully connected layer: {@code outputs x inputs} weight level codes (row = output neuron),
 * a positive requantizer scale (one for the layer, or one per output neuron), an optional bias
 * per output neuron (in units of the weighted sum; all zero when absent), the activation rule
 * and, for a hidden layer, optionally its own output grid.
 */
public final class Layer {
    private final int inputs;
    private final int outputs;
    private final byte[] codes;
    private final double scale;
    private final double[] scales;
    private final double[] bias;
    private final Activation activation;
    private final double[] activationValues;

    /**
     * @param codes row-major {@code [outputs][inputs]} level codes, copied
     * @param bias  null for no bias, else one value per output neuron, copied
     */
    public Layer(int inputs, int outputs, byte[] codes, double scale, double[] bias, Activation activation) {
        this(inputs, outputs, codes, scale, null, bias, activation, null);
    }

    /**
     * @param scale            the layer's scale, used when {@code scales} is null
     * @param scales           null, or one requantizer scale per output neuron (copied)
     * @param activationValues null (the hidden outputs take the network's level values), or the
     *                         values of this hidden layer's output codes (copied): rising strictly
     *                         in [-1, 1], either symmetric around 0 or unsigned (starting at 0)
     */
    public Layer(int inputs, int outputs, byte[] codes, double scale, double[] scales, double[] bias,
                 Activation activation, double[] activationValues) {
        if (codes.length != (long) inputs * outputs) throw new IllegalArgumentException("codes length " + codes.length + " != " + outputs + "x" + inputs);
        if (bias != null && bias.length != outputs) throw new IllegalArgumentException("bias length " + bias.length + " != " + outputs);
        if (scales != null && scales.length != outputs) throw new IllegalArgumentException("scales length " + scales.length + " != " + outputs);
        if (activationValues != null && activation != Activation.QUANTIZE)
            throw new IllegalArgumentException("an output grid is only for quantize layers");
        this.inputs = inputs;
        this.outputs = outputs;
        this.codes = codes.clone();
        this.scale = scales == null ? scale : 1.0;
        this.scales = scales == null ? null : scales.clone();
        this.bias = bias == null ? null : bias.clone();
        this.activation = activation;
        this.activationValues = activationValues == null ? null : activationValues.clone();
    }

    public int inputs() { return inputs; }
    public int outputs() { return outputs; }

    /**
     * The layer's scale. A layer with per-neuron scales has none: callers that handle such
     * layers use {@link #scale(int)}; this throws for them so that no caller silently uses one
     * scale for all neurons.
     */
    public double scale() {
        if (scales != null) throw new IllegalStateException("the layer has one scale per output neuron; use scale(o)");
        return scale;
    }

    /** The requantizer scale of output neuron {@code o}. */
    public double scale(int o) { return scales == null ? scale : scales[o]; }
    /** True when the layer has one scale per output neuron ({@code "scales"} in the file). */
    public boolean perNeuronScales() { return scales != null; }
    public double[] scalesOrNull() { return scales == null ? null : scales.clone(); }
    public Activation activation() { return activation; }
    public boolean hasBias() { return bias != null; }
    /** Bias of neuron {@code o}; 0 when the layer has none. */
    public double bias(int o) { return bias == null ? 0.0 : bias[o]; }
    public double[] biasOrNull() { return bias == null ? null : bias.clone(); }
    /** The values of this hidden layer's output codes, or null when they are the network's level values. */
    public double[] activationValuesOrNull() { return activationValues == null ? null : activationValues.clone(); }
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
                && Arrays.equals(scales, l.scales) && Arrays.equals(codes, l.codes) && Arrays.equals(bias, l.bias)
                && activation == l.activation && Arrays.equals(activationValues, l.activationValues);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codes) * 31 + outputs;
    }
}
