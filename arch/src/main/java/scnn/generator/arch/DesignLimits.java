package scnn.generator.arch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import scnn.core.io.UsageException;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;

/**
 * What a generated design may be, checked with exact arithmetic before anything is built, so
 * that no count, width or size overflows silently into wrong RTL (an {@code int} product of
 * {@code --bits} and {@code --fold} once wrapped to "2 cycles per inference") and no option makes
 * the builder allocate without bound.
 *
 * <ul>
 *   <li>{@code --fold} is at most {@link #maxFold}: the widest layer's input count rounded up to a
 *       power of two (1024 for a 784-input net). A layer narrower than the fold has one
 *       multiply-accumulate per neuron and simply spends {@code fold} cycles on each bit.
 *   <li>Cycles per inference, {@code layers x (N x fold + 1)}, at most {@link #MAX_CYCLES}.
 *   <li>Every accumulator, {@code N x inputs} products, within {@link #MAX_COUNTER_BITS} bits.
 * </ul>
 */
public final class DesignLimits {
    private DesignLimits() {}

    /** The most cycles one inference may take (the simulator and testbenches count them in an int). */
    public static final long MAX_CYCLES = Integer.MAX_VALUE;

    /** The widest counter the IR holds with its sign (words of at most 64 bits). */
    public static final int MAX_COUNTER_BITS = 62;

    /** The largest fold for {@code net}: its widest layer's inputs, rounded up to a power of two. */
    public static int maxFold(Network net) {
        int widest = 1;
        for (Layer l : net.layers()) widest = Math.max(widest, l.inputs());
        return Integer.highestOneBit(widest) == widest ? widest : Integer.highestOneBit(widest) << 1;
    }

    /** Cycles per inference of a design of {@code net} with {@code cfg} (exact). */
    public static long cycles(Network net, ScConfig cfg) {
        long perLayer = Math.addExact(Math.multiplyExact((long) cfg.bits(), (long) cfg.fold()), 1);
        long c = Math.multiplyExact(net.layers().size(), perLayer);
        if (cfg.dac().waitCycles() > 0 && net.layers().size() > 1 && Arch.of(net) == Arch.ANALOG && cfg.arch() != Arch.QUANTIZED)
            c = Math.addExact(c, Math.multiplyExact((long) net.layers().size() - 1, (long) cfg.dac().waitCycles()));
        return c;
    }

    /** Throws one {@link UsageException} line naming the options when {@code cfg} is out of bounds for {@code net}. */
    public static void check(Network net, ScConfig cfg) {
        List<String> problems = new ArrayList<>();
        int mf = maxFold(net);
        if (cfg.fold() > mf)
            throw new UsageException(String.format(Locale.ROOT, "--fold %d is larger than the widest layer of %s (%d inputs): at most %d",
                    cfg.fold(), net.name(), widest(net), mf));
        long cycles;
        try {
            cycles = cycles(net, cfg);
        } catch (ArithmeticException e) {
            cycles = Long.MAX_VALUE;
        }
        if (cycles > MAX_CYCLES)
            throw new UsageException(String.format(Locale.ROOT,
                    "--bits %d --fold %d: %d layers x (N x fold + 1) = %s cycles per inference, more than the %d a design may take",
                    cfg.bits(), cfg.fold(), net.layers().size(), cycles == Long.MAX_VALUE ? "over 2^63" : Long.toString(cycles), MAX_CYCLES));
        for (Layer l : net.layers()) {
            long products = Math.multiplyExact((long) cfg.bits(), (long) l.inputs());
            int bits = 64 - Long.numberOfLeadingZeros(products) + 1;
            if (bits > MAX_COUNTER_BITS)
                problems.add("--bits " + cfg.bits() + ": a neuron of a " + l.inputs() + "-input layer counts " + products
                        + " products, wider than " + MAX_COUNTER_BITS + " bits");
        }
        if (!problems.isEmpty()) throw new UsageException(problems.get(0));
    }

    private static int widest(Network net) {
        int w = 1;
        for (Layer l : net.layers()) w = Math.max(w, l.inputs());
        return w;
    }
}
