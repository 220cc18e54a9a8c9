package scnn.generator.arch;

import java.util.List;
import scnn.core.weights.Network;
import scnn.ir.Design;
import scnn.ir.Flatten;
import scnn.ir.Instance;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * Builds the SC hardware of a network as netlist IR.
 *
 * <h2>Architecture</h2>
 * <ul>
 *   <li><b>Pixel memory</b> {@code pix_mem}: one 8-bit pixel per network input (784 for MNIST) written
 *       through {@code pix_we/pix_addr/pix_data}; {@code pix_addr} has {@code ceil(log2 inputs)} bits.</li>
 *   <li><b>Random sources</b>: one behavioural s-MTJ per layer input (a pixel, or a hidden neuron's
 *       requantized output), and per layer one shared bank of s-MTJs, one per random weight level
 *       (magnitude in sign-magnitude; value in bipolar); levels of probability 0 or 1 are the
 *       constants 0 and 1. Each s-MTJ: xorshift32 state, redraw comparator and state comparator
 *       ({@link SmtjModel}). A stream bit is the device's freshly sampled state.</li>
 *   <li><b>Multiply-accumulate</b>: per output neuron, {@code P = ceil(inputs / fold)} one-bit
 *       multipliers (AND, or XNOR for bipolar) whose weight streams are selected from the bank by the
 *       weight codes in a ROM; the product's sign steers it into the up or the down popcount; an
 *       accumulator adds {@code up - down} every cycle. It starts at {@code round(N * bias)}.</li>
 *   <li><b>Requantizer</b> (hidden layers): the comparator ladder {@code acc >= T_k} with
 *       {@code T_k = ceil(N * mid_k / scale)} ({@code mid_k} between the values of the layer's output
 *       grid; one threshold per neuron and k when the layer has per-neuron scales); the count of passed
 *       thresholds is the level code, held in a register that biases the next layer's input s-MTJs
 *       at P(1) = |value| (an unsigned grid, e.g. a quantized ReLU's, needs no sign). <b>Argmax</b> over the output
 *       accumulators (first maximum wins).</li>
 *   <li><b>Control</b>: layer by layer, {@code N * fold} accumulate cycles and one requantize (or
 *       finish) cycle each: {@code cycles = layers * (N * fold + 1)}; the analog baseline with a DAC
 *       latency of L cycles ({@link DacModel}) waits L - 1 more cycles after each hidden layer.</li>
 * </ul>
 *
 * <h2>Hierarchy</h2>
 * The top {@code <top>} holds the ports, the pixel memory and the {@code score} multiplexer, and
 * instantiates the control FSM {@code <top>_ctrl} as {@code ctl} ({@link ControlFsm}) and every
 * layer {@code <top>_layer<l>} as {@code l<l>} ({@link LayerBuilder}: {@link QuantizedLayer} or
 * {@link AnalogLayer}, by {@link Arch}); a layer instantiates its s-MTJ cells {@code <top>_smtj}
 * ({@link SmtjCell}: {@code in} for its input sources, {@code wb} for its weight bank) and replay
 * cell ({@link ReplayCell}: {@code rp}), and holds its {@link Accumulator}s and its
 * {@link Requantizer} or argmax. Node {@code x} of layer l is {@code l<l>_x} in the flat design
 * ({@link Flatten}), node {@code x} of the FSM {@code ctl_x}.
 *
 * <h2>Random-stream rule</h2>
 * At every accepted {@code start} every device's xorshift32 state is reloaded with
 * {@code (C_i ^ K) | 1}, where {@code C_i} is a per-device constant derived from SEED and the
 * device's index, and {@code K = fmix32(k ^ S)} with k the number of starts since reset (the
 * inference counter) and S from SEED. The first sample of each layer is always a fresh draw. So the
 * streams of inference k depend only on SEED and k, never on idle cycles. The same start edge also
 * clears the device states, the hidden codes and {@code class_out} and loads the accumulators with
 * their bias, so after it no register carries anything from an earlier inference: results and
 * switching events (counted from the edge after the start edge up to the edge that raises
 * {@code done}) are functions of SEED, k and the image only.
 */
public final class ScBuilder {
    private ScBuilder() {}

    /** The pixel RAM of the top: one {@link CoreInterface#PIX_DATA_WIDTH}-bit word per input. */
    static final String PIXEL_MEMORY = "pix_mem";

    /**
     * The smallest D in 1..16 for which every weight magnitude is a multiple of 2^-D (so that a D-bit
     * threshold expresses it exactly), else 16 (thresholds round(|v| 2^16)).
     */
    public static int synapseBits(Network net) {
        for (int dd = 1; dd <= 16; dd++) {
            boolean exact = true;
            for (int c = 0; c < net.levels() && exact; c++) {
                double x = Math.abs(net.levelValue(c)) * (1 << dd);
                exact = x == Math.rint(x);
            }
            if (exact) return dd;
        }
        return 16;
    }

    /** Builds the design; {@code top} is the Verilog module name. */
    public static ScDesign build(Network net, ScConfig cfg, String top) {
        DesignLimits.check(net, cfg);
        if (Integer.bitCount(cfg.fold()) != 1) throw new IllegalArgumentException("fold must be a power of two, got " + cfg.fold());
        if (cfg.arch().resolve(net) == Arch.ANALOG && !Network.FORMAT.equals(net.format()))
            throw new IllegalArgumentException(net.name() + ": the analog architecture does not implement per-neuron scales or hidden output grids (" + Network.FORMAT_2 + ")");
        return run(new BuildContext(net, cfg, top));
    }

    /** A legal, non-reserved Verilog module name from a network name. */
    public static String topName(String networkName) {
        String s = networkName.replaceAll("[^A-Za-z0-9_]", "_");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) s = "n_" + s;
        s = "scnn_" + s;
        return Design.legalName(s) ? s : "scnn_net";
    }

    static int bitsFor(long max) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(max));
    }

    /** Width of {@code class_out} and {@code score_sel} for {@code classes} classes: at least 4 bits. */
    static int classWidth(int classes) {
        return Math.max(4, bitsFor(classes - 1));
    }

    static long splitmix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- the top ------------------------------------------------------------------------------

    private static ScDesign run(BuildContext bx) {
        Network net = bx.net;
        ScConfig cfg = bx.cfg;
        Arch arch = cfg.arch().resolve(net);
        LayerBuilder.Kind kind = LayerBuilder.KINDS.get(arch);
        Design d = new Design(bx.top);
        int nl = net.layers().size();
        // the input ports, as the interface description has them (its output widths are known at the end)
        CoreInterface io = CoreInterface.of(net, 1, 1);
        Node pixWe = d.input(CoreInterface.PIX_WE, 1);
        Node pixAddr = d.input(CoreInterface.PIX_ADDR, io.pixAddrWidth());
        Node pixData = d.input(CoreInterface.PIX_DATA, CoreInterface.PIX_DATA_WIDTH);
        Node start = d.input(CoreInterface.START, 1);
        Node scoreSel = d.input(CoreInterface.SCORE_SEL, io.classWidth());
        Node pixMem = d.ram(PIXEL_MEMORY, Tag.MEMORY, CoreInterface.PIX_DATA_WIDTH, io.inputs(), Ref.scalar(pixWe), Ref.scalar(pixAddr), Ref.scalar(pixData));

        ControlFsm.Control ctl = new ControlFsm(bx).place(d, start);

        // the layers, each on the previous one's output
        Node input = pixMem;
        LayerBuilder prev = null;
        Instance lastInst = null;
        for (int l1 = 1; l1 <= nl; l1++) {
            LayerBuilder lb = kind.create(bx, l1, ctl);
            lastInst = lb.place(d, input, prev);
            if (l1 < nl) input = lastInst.out("h_out");
            prev = lb;
        }
        Node accOut = lastInst.out("acc_out");
        int aw = accOut.width();
        Node score = d.op("score_mux", Tag.IO, Op.ARRAY_GET, aw, 1, new int[0], Ref.array(accOut), Ref.of(scoreSel));

        d.output(CoreInterface.BUSY, ctl.busy());
        d.output(CoreInterface.DONE, ctl.done());
        d.output(CoreInterface.CLASS_OUT, lastInst.out("class_out"));
        d.output(CoreInterface.SCORE, score);
        d.params().put("bits", cfg.bits());
        d.params().put("encoding", cfg.encoding().key());
        d.params().put("fold", cfg.fold());
        d.params().put("seed", cfg.seed());
        d.params().put("clock_ns", cfg.device().clockNs());
        d.params().put("smtj_tau_corr_ns", cfg.device().tauCorrNs());
        d.params().put("smtj_lag1", cfg.device().lag1());
        if (cfg.device().physics() != null) d.params().put("smtj_device", cfg.device().physics().toString());
        d.params().put("arch", arch.key());
        // cycles from the edge that ends a hidden layer's accumulation to the edge after which the next
        // layer's first input bit is valid: the requantize (quantized) or DAC-latch (analog) cycle; the
        // first sample of the next layer is a fresh draw of its input s-MTJs at their new bias
        // (the analog baseline's DAC: its conversion latency, DacModel; 1 by default, as the quantized design's ladder)
        d.params().put("activation_latency_cycles", nl > 1 ? 1 + bx.dacWaitCycles() : 0);
        if (arch == Arch.ANALOG) {
            d.params().put("synapse_rng", cfg.synapseRng().key());
            d.params().put("synapse_threshold_bits", synapseBits(net));
            d.params().put("synapse_smtj_devices", bx.synapseDevices);
            d.params().put("dac_conversions_per_inference", bx.dacConversions);
            if (cfg.dac().latencyCycles() != DacModel.DEFAULT.latencyCycles()) d.params().put("dac_latency_cycles", cfg.dac().latencyCycles());
            if (cfg.dac().conversionPj() != null) d.params().put("dac_conversion_pj", cfg.dac().conversionPj());
        }
        if (!cfg.chip().ideal()) {
            d.params().put("chip_seed", cfg.chip().chipSeed());
            d.params().put("chip_variation", cfg.chip().variation());
            d.params().put("chip_stuck_rate", cfg.chip().stuckRate());
            d.params().put("chip_stuck_devices", bx.chipReport.stuckDevices());
        }
        if (arch == Arch.QUANTIZED && cfg.weightSources() != WeightSources.LAYER) {
            d.params().put("weight_sources", cfg.weightSources().key());
            if (cfg.weightSources() == WeightSources.SYNAPSE) d.params().put("synapse_rng", cfg.synapseRng().key());
        }
        if (cfg.replay() != null) d.params().put("replay", cfg.replay().name() + " (" + cfg.replay().traces().length + " traces of " + cfg.replay().length() + " samples)");
        d.validate();
        int cycles = nl * (bx.cyclesPerLayer() + 1) + (nl - 1) * bx.dacWaitCycles();
        return new ScDesign(d, net, cfg, cycles, aw, List.copyOf(bx.groups), pixMem.name(),
                Flatten.flatName(ControlFsm.INSTANCE, ControlFsm.COUNTER), Flatten.flatten(d), cfg.chip().ideal() ? null : bx.chipReport);
    }
}
