package scnn.core.weights;

/** What a layer does with its weighted sums. */
public enum Activation {
    /**
     * Hidden layer: {@code y = scale * (z + bias)} is requantized to one of the L level values by a
     * comparator ladder: the level code is the number of midpoints between adjacent level values
     * that {@code y} reaches ({@code y >= mid}); values beyond the ends clamp to the end levels.
     */
    QUANTIZE("quantize"),
    /** Output layer: the scores are {@code z + bias}; the class is the first index of the maximum. */
    ARGMAX("argmax");

    private final String json;

    Activation(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    public static Activation fromJson(String s) {
        for (Activation a : values()) if (a.json.equals(s)) return a;
        return null;
    }
}
