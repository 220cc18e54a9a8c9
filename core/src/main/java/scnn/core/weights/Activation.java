package scnn.core.weights;

/** What a layer does with its weighted sums. */
public enum Activation {
    /**
     * Hidden layer: {@code y = scale * (z + bias)} is requantized to one of the L level values by a
     * comparator ladder: the level code is the number of midpoints between adjacent level values
     * that {@code y} reaches ({@code y >= mid}); values beyond the ends clamp to the end levels.
     */
    QUANTIZE("quantize"),
    /**
     * Hidden layer of the analog (non-quantized) baseline: {@code y = scale * (z + bias)} sets, through a
     * DAC, the bias of the neuron's output s-MTJ, whose P(1) is a sigmoid of the bias: the neuron's
     * output is the probability {@code h = round(65536 sigmoid(y)) / 65536} (the hardware's 16-bit
     * probability threshold, {@link #smtjThreshold(double)}), in [0, 1]. {@code scale} is the gain of
     * the sigmoid.
     */
    SMTJ_SIGMOID("smtj-sigmoid"),
    /** Output layer: the scores are {@code z + bias}; the class is the first index of the maximum. */
    ARGMAX("argmax");

    private final String json;

    Activation(String json) {
        this.json = json;
    }

    /** True for the rules of hidden layers. */
    public boolean hidden() {
        return this != ARGMAX;
    }

    /**
     * The 16-bit probability threshold of an s-MTJ whose bias sets P(1) = sigmoid(y):
     * {@code round(65536 / (1 + exp(-y)))}, 0..65536. The analog hardware's DAC ROM and the reference
     * model both use this function.
     */
    public static int smtjThreshold(double y) {
        if (Double.isNaN(y)) throw new IllegalArgumentException("NaN pre-activation");
        return (int) Math.round(65536.0 / (1.0 + Math.exp(-y)));
    }

    /** The output of an {@link #SMTJ_SIGMOID} neuron: {@code smtjThreshold(y) / 65536}. */
    public static double smtjSigmoid(double y) {
        return smtjThreshold(y) / 65536.0;
    }

    public String json() {
        return json;
    }

    public static Activation fromJson(String s) {
        for (Activation a : values()) if (a.json.equals(s)) return a;
        return null;
    }
}
