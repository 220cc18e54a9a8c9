package scnn.ir;

/** What a node is for; energy is accounted per tag. */
public enum Tag {
    /** s-MTJ device state and its behavioural random source (PRNG, comparators). */
    SMTJ("smtj"),
    /** Stream generation: thresholds and the selection of level streams. */
    STREAM("stream"),
    /** The one-bit multipliers (AND / XNOR) and sign steering. */
    MULTIPLIER("multiplier"),
    /** Popcounts and the up/down accumulators. */
    ACCUMULATOR("accumulator"),
    /** Comparator ladders, requantized codes and the argmax. */
    REQUANTIZER("requantizer"),
    /** Control FSM, counters, handshakes. */
    CONTROL("control"),
    /** Read-only and read-write memories (weights, thresholds, pixels). */
    MEMORY("memory"),
    /** Top-level ports. */
    IO("io");

    private final String key;

    Tag(String key) {
        this.key = key;
    }

    /** The name used in reports and JSON. */
    public String key() {
        return key;
    }
}
