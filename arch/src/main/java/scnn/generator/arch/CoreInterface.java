package scnn.generator.arch;

import java.util.List;
import scnn.core.weights.Network;

/**
 * The interface facts of a generated core, in one place: its port names, directions and widths,
 * the pixel count and the class count, and the handshake timing. The builder makes the ports from
 * it; the testbench writer, the RTL runner, the simulator's inference runner, the Chisel wrapper and
 * any wrapper of the core (e.g. an AXI4-Stream top) read it from {@link ScDesign#coreInterface()}
 * instead of keeping their own copies.
 *
 * <p>The protocol: write every pixel p (0..{@code inputs-1}) as {@code pix_data} at
 * {@code pix_addr = p} with {@code pix_we = 1} (one per clock edge); pulse {@code start} for one
 * cycle while {@code busy} is 0; {@code done} rises {@link #cyclesPerInference} edges after the edge
 * that sampled {@code start} and stays 1 for one cycle; {@code class_out} is valid from then until
 * the next start; {@code score} shows the output accumulator of class {@code score_sel}
 * (combinational, signed). {@code clk} and {@code rst} (synchronous, active high) come first.
 *
 * @param inputs             pixels per image (the network's inputs; 784 for MNIST)
 * @param classes            output classes
 * @param pixAddrWidth       bits of {@code pix_addr}: {@code ceil(log2 inputs)} (at least 1)
 * @param classWidth         bits of {@code class_out} and {@code score_sel}: at least 4
 * @param scoreWidth         bits of {@code score} (two's complement)
 * @param cyclesPerInference clock edges from the edge that samples {@code start} to the edge that raises {@code done}
 */
public record CoreInterface(int inputs, int classes, int pixAddrWidth, int classWidth, int scoreWidth, int cyclesPerInference) {
    public static final String CLK = "clk", RST = "rst";
    public static final String PIX_WE = "pix_we", PIX_ADDR = "pix_addr", PIX_DATA = "pix_data", START = "start", SCORE_SEL = "score_sel";
    public static final String BUSY = "busy", DONE = "done", CLASS_OUT = "class_out", SCORE = "score";
    /** Bits of {@code pix_data}: one unsigned 8-bit pixel (0..255). */
    public static final int PIX_DATA_WIDTH = 8;

    /**
     * One port.
     *
     * @param name   port name
     * @param input  direction
     * @param width  bits
     * @param signed two's complement ({@code score} only)
     */
    public record Port(String name, boolean input, int width, boolean signed) {}

    /** The interface of a core for {@code net}, its output accumulators {@code scoreWidth} bits wide. */
    static CoreInterface of(Network net, int scoreWidth, int cyclesPerInference) {
        return new CoreInterface(net.inputSize(), net.outputSize(), ScBuilder.bitsFor(net.inputSize() - 1),
                ScBuilder.classWidth(net.outputSize()), scoreWidth, cyclesPerInference);
    }

    /** The data ports (without {@code clk} and {@code rst}) in port order: the inputs, then the outputs. */
    public List<Port> ports() {
        return List.of(
                new Port(PIX_WE, true, 1, false),
                new Port(PIX_ADDR, true, pixAddrWidth, false),
                new Port(PIX_DATA, true, PIX_DATA_WIDTH, false),
                new Port(START, true, 1, false),
                new Port(SCORE_SEL, true, classWidth, false),
                new Port(BUSY, false, 1, false),
                new Port(DONE, false, 1, false),
                new Port(CLASS_OUT, false, classWidth, false),
                new Port(SCORE, false, scoreWidth, true));
    }

    /** The port named {@code name}. */
    public Port port(String name) {
        for (Port p : ports()) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("the core has no port " + name);
    }
}
