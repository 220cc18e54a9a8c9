package scnn.generator.arch;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.ir.Bits;
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
 *       finish) cycle each: {@code cycles = layers * (N * fold + 1)}.</li>
 * </ul>
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
    private final Network net;
    private final ScConfig cfg;
    private final Design d;
    private final List<ScDesign.SourceGroup> groups = new ArrayList<>();
    private long nextDeviceIndex;

    private Node startOk, first, keyK, accPhase, layerReg, grp;
    private final int nf;
    /** The analog baseline (per-synapse s-MTJs, s-MTJ sigmoid activations) instead of the quantized design. */
    private final boolean analog;
    /** Analog: bits D of the per-synapse probability thresholds (weight magnitude = t / 2^D). */
    private final int synBits;

    private ScBuilder(Network net, ScConfig cfg, String top) {
        this.net = net;
        this.cfg = cfg;
        this.d = new Design(top);
        this.nf = cfg.bits() * cfg.fold();
        this.analog = cfg.arch().resolve(net) == Arch.ANALOG;
        if (analog) {
            if (cfg.encoding() != Encoding.SIGN_MAGNITUDE) throw new IllegalArgumentException(net.name() + ": the analog architecture supports only the sign-magnitude encoding");
            if (cfg.fold() != 1) throw new IllegalArgumentException(net.name() + ": the analog architecture supports only --fold 1");
            if (cfg.replay() != null) throw new IllegalArgumentException(net.name() + ": the analog architecture has per-synapse s-MTJs, which --replay (recorded level streams) does not cover");
            if (!cfg.chip().ideal()) throw new IllegalArgumentException(net.name() + ": device variation and stuck-at faults (--variation, --stuck-rate) are built for the quantized design only, not yet for the analog baseline");
        }
        this.synBits = analog ? synapseBits(net) : 0;
        this.smtj = new SmtjCell(top, cfg.device());
    }

    /** The s-MTJ cell of this design (one module, instantiated per source group). */
    private final SmtjCell smtj;

    /** The devices that the chip's variation and faults affect (filled as the groups are built). */
    private final ChipVariation.Report chipReport = new ChipVariation.Report();

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

    /** The accumulators' start values: round(N x bias) per output neuron. */
    private static long[] biasCounts(Layer L, int N) {
        long[] b = new long[L.outputs()];
        for (int o = 0; o < b.length; o++) b[o] = Math.round(N * L.bias(o));
        return b;
    }

    /** Builds the design; {@code top} is the Verilog module name. */
    public static ScDesign build(Network net, ScConfig cfg, String top) {
        DesignLimits.check(net, cfg);
        if (Integer.bitCount(cfg.fold()) != 1) throw new IllegalArgumentException("fold must be a power of two, got " + cfg.fold());
        if (cfg.arch().resolve(net) == Arch.ANALOG && !Network.FORMAT.equals(net.format()))
            throw new IllegalArgumentException(net.name() + ": the analog architecture does not implement per-neuron scales or hidden output grids (" + Network.FORMAT_2 + ")");
        return new ScBuilder(net, cfg, top).run();
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

    // ---- small node helpers -------------------------------------------------------------------

    private Node k(String n, Tag t, int w, long v) {
        return d.constant(n, t, w, v);
    }

    private Node op(String n, Tag t, Op op, int w, int count, Ref... a) {
        return d.op(n, t, op, w, count, new int[0], a);
    }

    private Node opP(String n, Tag t, Op op, int w, int count, int param, Ref... a) {
        return d.op(n, t, op, w, count, new int[] {param}, a);
    }

    private static Ref r(Node n) {
        return Ref.of(n);
    }

    private Node zext(String n, Tag t, Node x, int w) {
        return op(n, t, Op.ZEXT, w, x.count(), r(x));
    }

    // ---- the design ---------------------------------------------------------------------------

    private ScDesign run() {
        List<Layer> layers = net.layers();
        int nl = layers.size();
        int outs = net.outputSize();
        int clw = Math.max(4, bitsFor(outs - 1));

        Node pixWe = d.input("pix_we", 1);
        int inputs = net.inputSize();
        Node pixAddr = d.input("pix_addr", bitsFor(inputs - 1));
        Node pixData = d.input("pix_data", 8);
        Node start = d.input("start", 1);
        Node scoreSel = d.input("score_sel", clw);
        Node pixMem = d.ram("pix_mem", Tag.MEMORY, 8, inputs, Ref.scalar(pixWe), Ref.scalar(pixAddr), Ref.scalar(pixData));

        // control
        Tag C = Tag.CONTROL;
        Node busy = d.reg("ctl_busy", C, 1, 0);
        startOk = op("ctl_start_ok", C, Op.AND, 1, 1, r(start), r(op("ctl_idle", C, Op.NOT, 1, 1, r(busy))));
        int cyw = bitsFor(nf);
        Node cyc = d.reg("ctl_cyc", C, cyw, 0);
        int lw = bitsFor(nl - 1);
        layerReg = d.reg("ctl_layer", C, lw, 0);
        Node cycLast = op("ctl_cyc_last", C, Op.EQ, 1, 1, r(cyc), r(k("ctl_nf", C, cyw, nf)));
        first = op("ctl_first", C, Op.EQ, 1, 1, r(cyc), r(k("ctl_zero_cyc", C, cyw, 0)));
        accPhase = op("ctl_acc_phase", C, Op.AND, 1, 1, r(busy), r(op("ctl_not_last", C, Op.NOT, 1, 1, r(cycLast))));
        Node step = op("ctl_step", C, Op.AND, 1, 1, r(busy), r(cycLast));
        Node lastLayer = op("ctl_last_layer", C, Op.EQ, 1, 1, r(layerReg), r(k("ctl_nl1", C, lw, nl - 1)));
        Node finish = op("ctl_finish", C, Op.AND, 1, 1, r(step), r(lastLayer));
        d.connect(busy, r(op("ctl_busy_next", C, Op.OR, 1, 1, r(startOk),
                r(op("ctl_busy_keep", C, Op.AND, 1, 1, r(busy), r(op("ctl_not_finish", C, Op.NOT, 1, 1, r(finish))))))), null);
        Node cycInc = op("ctl_cyc_inc", C, Op.ADD, cyw, 1, r(cyc), r(k("ctl_one_cyc", C, cyw, 1)));
        Node cycClear = op("ctl_cyc_clear", C, Op.OR, 1, 1, r(startOk), r(cycLast));
        d.connect(cyc, r(op("ctl_cyc_next", C, Op.MUX, cyw, 1, r(cycClear), r(cycInc), r(k("ctl_cyc_zero", C, cyw, 0)))),
                r(op("ctl_cyc_en", C, Op.OR, 1, 1, r(startOk), r(busy))));
        Node layerInc = op("ctl_layer_inc", C, Op.ADD, lw, 1, r(layerReg), r(k("ctl_one_layer", C, lw, 1)));
        d.connect(layerReg, r(op("ctl_layer_next", C, Op.MUX, lw, 1, r(startOk), r(layerInc), r(k("ctl_layer_zero", C, lw, 0)))),
                r(op("ctl_layer_en", C, Op.OR, 1, 1, r(startOk), r(step))));
        Node done = d.reg("ctl_done", C, 1, 0);
        d.connect(done, r(finish), null);
        Node kreg = d.reg("ctl_infer_count", C, 32, 0);
        d.connect(kreg, r(op("ctl_infer_next", C, Op.ADD, 32, 1, r(kreg), r(k("ctl_one32", C, 32, 1)))), r(startOk));
        if (cfg.fold() > 1) {
            int gw = bitsFor(cfg.fold() - 1);
            grp = d.reg("ctl_grp", C, gw, 0);
            Node grpLast = op("ctl_grp_last", C, Op.EQ, 1, 1, r(grp), r(k("ctl_grp_max", C, gw, cfg.fold() - 1)));
            Node grpInc = op("ctl_grp_inc", C, Op.ADD, gw, 1, r(grp), r(k("ctl_one_grp", C, gw, 1)));
            Node grpClear = op("ctl_grp_clear", C, Op.OR, 1, 1, r(startOk), r(grpLast));
            d.connect(grp, r(op("ctl_grp_next", C, Op.MUX, gw, 1, r(grpClear), r(grpInc), r(k("ctl_grp_zero", C, gw, 0)))),
                    r(op("ctl_grp_en", C, Op.OR, 1, 1, r(startOk), r(accPhase))));
        }
        keyK = inferenceKey(kreg);

        // layers
        Node pixP = pixelBias(pixMem);
        Node[] srcBits = null;
        Node srcNeg = null;
        Node accOut = null;
        for (int li = 0; li < nl; li++) {
            Layer L = layers.get(li);
            int l1 = li + 1;
            Node act = op("l" + l1 + "_active", C, Op.AND, 1, 1, r(accPhase),
                    r(op("l" + l1 + "_is_layer", C, Op.EQ, 1, 1, r(layerReg), r(k("l" + l1 + "_index", C, lw, li)))));
            if (li > 0) {
                // input sources of this layer: one s-MTJ per hidden neuron of the previous layer
                Node[] hs = analog ? dacSources(l1, layers.get(li - 1), srcBits[0], act) : hiddenSources(l1, srcBits[0], act);
                srcBits = new Node[] {hs[0]};
                srcNeg = hs[1];
            } else {
                srcBits = new Node[] {smtjGroup("in1", "pixel streams", net.inputSize(), 1, pixP, act)[0]};
            }
            Node acc = analog ? analogLayer(l1, L, srcBits[0], act) : layer(l1, L, srcBits[0], srcNeg, act);
            if (li < nl - 1) {
                Node h = analog ? dacLatch(l1, acc, step) : requantize(l1, L, acc, step);
                srcBits = new Node[] {h};
            } else {
                accOut = acc;
            }
        }

        // argmax over the output accumulators (first maximum wins)
        Tag R = Tag.REQUANTIZER;
        int aw = accOut.width();
        Node bestV = op("am_v0", R, Op.ZEXT, aw, 1, Ref.elem(accOut, 0));
        Node bestI = k("am_i0", R, clw, 0);
        for (int c = 1; c < outs; c++) {
            Node gt = op("am_gt" + c, R, Op.LTS, 1, 1, r(bestV), Ref.elem(accOut, c));
            bestV = op("am_v" + c, R, Op.MUX, aw, 1, r(gt), r(bestV), Ref.elem(accOut, c));
            bestI = op("am_i" + c, R, Op.MUX, clw, 1, r(gt), r(bestI), r(k("am_c" + c, R, clw, c)));
        }
        Node cls = d.reg("am_class", R, clw, 0);
        d.connect(cls, r(op("am_class_next", R, Op.MUX, clw, 1, r(startOk), r(bestI), r(k("am_class_clear", R, clw, 0)))),
                r(op("am_class_en", R, Op.OR, 1, 1, r(startOk), r(finish))));
        Node score = op("score_mux", Tag.IO, Op.ARRAY_GET, aw, 1, Ref.array(accOut), r(scoreSel));

        d.output("busy", busy);
        d.output("done", done);
        d.output("class_out", cls);
        d.output("score", score);
        d.params().put("bits", cfg.bits());
        d.params().put("encoding", cfg.encoding().key());
        d.params().put("fold", cfg.fold());
        d.params().put("seed", cfg.seed());
        d.params().put("clock_ns", cfg.device().clockNs());
        d.params().put("smtj_tau_corr_ns", cfg.device().tauCorrNs());
        d.params().put("smtj_lag1", cfg.device().lag1());
        if (cfg.device().physics() != null) d.params().put("smtj_device", cfg.device().physics().toString());
        d.params().put("arch", analog ? Arch.ANALOG.key() : Arch.QUANTIZED.key());
        // cycles from the edge that ends a hidden layer's accumulation to the edge after which the next
        // layer's first input bit is valid: the requantize (quantized) or DAC-latch (analog) cycle; the
        // first sample of the next layer is a fresh draw of its input s-MTJs at their new bias
        d.params().put("activation_latency_cycles", nl > 1 ? 1 : 0);
        if (analog) {
            d.params().put("synapse_rng", cfg.synapseRng().key());
            d.params().put("synapse_threshold_bits", synBits);
            d.params().put("synapse_smtj_devices", synapseDevices);
            d.params().put("dac_conversions_per_inference", dacConversions);
        }
        if (!cfg.chip().ideal()) {
            d.params().put("chip_seed", cfg.chip().chipSeed());
            d.params().put("chip_variation", cfg.chip().variation());
            d.params().put("chip_stuck_rate", cfg.chip().stuckRate());
            d.params().put("chip_stuck_devices", chipReport.stuckDevices());
        }
        if (cfg.replay() != null) d.params().put("replay", cfg.replay().name() + " (" + cfg.replay().traces().length + " traces of " + cfg.replay().length() + " samples)");
        d.validate();
        int cycles = nl * (nf + 1);
        return new ScDesign(d, net, cfg, cycles, aw, List.copyOf(groups), pixMem.name(), kreg.name(), Flatten.flatten(d),
                cfg.chip().ideal() ? null : chipReport);
    }

    /** K = fmix32(k ^ S): the per-inference key mixed into every device's seed. */
    private Node inferenceKey(Node kreg) {
        Tag C = Tag.CONTROL;
        long s = splitmix(cfg.seed() ^ 0x5eed5eedL) & 0xffffffffL;
        Node h = op("key_h0", C, Op.XOR, 32, 1, r(kreg), r(k("key_s", C, 32, s)));
        h = op("key_h1", C, Op.XOR, 32, 1, r(h), r(opP("key_h0s", C, Op.SHR, 32, 1, 16, r(h))));
        h = op("key_h2", C, Op.MUL, 32, 1, r(h), r(k("key_m1", C, 32, 0x85ebca6bL)));
        h = op("key_h3", C, Op.XOR, 32, 1, r(h), r(opP("key_h2s", C, Op.SHR, 32, 1, 13, r(h))));
        h = op("key_h4", C, Op.MUL, 32, 1, r(h), r(k("key_m2", C, 32, 0xc2b2ae35L)));
        return op("key_k", C, Op.XOR, 32, 1, r(h), r(opP("key_h4s", C, Op.SHR, 32, 1, 16, r(h))));
    }

    static long splitmix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * {@code count} xorshift32 generators with per-generator seed constants C_i (from SEED and the
     * running device index): returns {state register, next state, reseed value}. The reseed value is
     * {@code (C_i ^ K) | 1}, or {@code (C_i + K) | 1} with {@code addKey}, K the inference key; the
     * caller connects the register.
     */
    private Node[] xorshift32(String name, int count, boolean addKey) {
        Tag S = Tag.SMTJ;
        Bits[] seeds = deviceSeeds(count);
        Bits[] inits = new Bits[count];
        for (int i = 0; i < count; i++) inits[i] = Bits.of(32, seeds[i].low() | 1);
        Node seedC = d.constArray(name + "_seed", S, 32, seeds);
        Node rng = d.reg(name + "_rng", S, 32, count, inits);
        Node mixed = op(name + "_seed_k", S, addKey ? Op.ADD : Op.XOR, 32, count, r(seedC), r(keyK));
        Node seedV = op(name + "_reseed", S, Op.OR, 32, count, r(mixed), r(k(name + "_one", S, 32, 1)));
        Node x1 = op(name + "_xs1", S, Op.XOR, 32, count, r(rng), r(opP(name + "_sl13", S, Op.SHL, 32, count, 13, r(rng))));
        Node x2 = op(name + "_xs2", S, Op.XOR, 32, count, r(x1), r(opP(name + "_sr17", S, Op.SHR, 32, count, 17, r(x1))));
        Node x3 = op(name + "_xs3", S, Op.XOR, 32, count, r(x2), r(opP(name + "_sl5", S, Op.SHL, 32, count, 5, r(x2))));
        return new Node[] {rng, x3, seedV};
    }

    /** The seed constants C_i of the next {@code count} devices (from SEED and the running device index). */
    private Bits[] deviceSeeds(int count) {
        Bits[] seeds = new Bits[count];
        for (int i = 0; i < count; i++)
            seeds[i] = Bits.of(32, splitmix(cfg.seed() * 0x9E3779B97F4A7C15L + nextDeviceIndex++) & 0xffffffffL);
        return seeds;
    }

    /**
     * A group of {@code count} s-MTJ devices, instances of the {@link SmtjCell}; {@code p17} gives
     * each device's threshold round(p 2^16) (17 bits, element-wise or scalar); they sample while
     * {@code active}. Returns {bit}: the group's sampled states, one element per device.
     */
    private Node[] smtjGroup(String name, String role, int count, int layer, Node p17, Node active) {
        Instance inst = smtj.place(d, name, count, p17, deviceSeeds(count), active, startOk, keyK, first);
        groups.add(new ScDesign.SourceGroup(name, role, count, layer, Flatten.flatName(name, "state")));
        return new Node[] {inst.out("bits")};
    }

    /**
     * Weight streams replayed from recorded bitstreams: a D-word memory (one bit per replayed trace)
     * read at a pointer loaded from the inference key at start and advanced every active cycle; the
     * replayed bits are latched in a state register so that their flips count like a device's.
     */
    private Node replayGroup(int l1, int[] traces, Node active) {
        Replay rp = cfg.replay();
        Instance inst = ReplayCell.place(d, d.name(), l1, rp, traces, cfg.seed(), active, startOk, keyK);
        groups.add(new ScDesign.SourceGroup("rp" + l1, "replayed weight-level streams of layer " + l1 + " (" + rp.name() + ")", traces.length, l1,
                Flatten.flatName("rp" + l1, "state")));
        return inst.out("bits");
    }

    /** Layer-1 input sources' bias: one s-MTJ per pixel with p = pixel / 255 (or (x+1)/2 for bipolar). */
    private Node pixelBias(Node pixMem) {
        Tag T = Tag.STREAM;
        int n = net.inputSize(), aw = bitsFor(n - 1);
        Bits[] idx = new Bits[n];
        for (int i = 0; i < n; i++) idx[i] = Bits.of(aw, i);
        Node idxC = d.constArray("in1_addr", T, aw, idx);
        Node pix = op("in1_pix", T, Op.ARRAY_GET, 8, n, Ref.array(pixMem), r(idxC));
        if (!cfg.chip().ideal()) {
            // a varied chip: each device's threshold from a table [offset class][pixel] (ChipVariation)
            int[] nominal = new int[256];
            for (int x = 0; x < 256; x++) {
                nominal[x] = x * 257 + (x >> 7);
                if (cfg.encoding() == Encoding.BIPOLAR) nominal[x] = (nominal[x] + 65536) >> 1;
            }
            return cfg.chip().table(d, "in1", nextDeviceIndex, pix, nominal, chipReport);
        }
        // round(pix * 65536 / 255) = pix * 257 + pix[7] for every pix in 0..255
        Node pp = zext("in1_pp", T, op("in1_pix2", T, Op.CONCAT, 16, n, r(pix), r(pix)), 17);
        Node msb = zext("in1_msb", T, opP("in1_pix7", T, Op.SLICE, 1, n, 7, r(pix)), 17);
        Node p = op("in1_p", T, Op.ADD, 17, n, r(pp), r(msb));
        if (cfg.encoding() == Encoding.BIPOLAR) {
            Node s = op("in1_pb_sum", T, Op.ADD, 18, n, r(zext("in1_p18", T, p, 18)), r(k("in1_half", T, 18, 65536)));
            p = opP("in1_pb", T, Op.SLICE, 17, n, 1, r(s));
        }
        return p;
    }

    /** The code of the value 0 in hidden layer {@code li}'s output grid: the middle of a symmetric grid, 0 of an unsigned one. */
    private int gridZero(int li) {
        double[] g = net.hiddenValues(li);
        return Network.unsignedGrid(g) ? 0 : (g.length - 1) / 2;
    }

    /**
     * Input sources of layer {@code l1} (>= 2): one s-MTJ per hidden neuron, biased by its level code
     * at P(1) = |value| of the previous layer's output grid; the sign (sign-magnitude) only when the
     * grid has negative values.
     */
    private Node[] hiddenSources(int l1, Node codes, Node active) {
        Tag T = Tag.STREAM;
        double[] grid = net.hiddenValues(l1 - 2);
        int L = grid.length;
        int cw = codes.width();
        Bits[] tab = new Bits[L];
        for (int c = 0; c < L; c++) {
            double v = grid[c];
            double p = cfg.encoding() == Encoding.BIPOLAR ? (v + 1) / 2 : Math.abs(v);
            tab[c] = Bits.of(17, SmtjModel.threshold(p));
        }
        Node p;
        if (cfg.chip().ideal()) {
            Node ptab = d.constArray("in" + l1 + "_ptab", T, 17, tab);
            p = op("in" + l1 + "_p", T, Op.ARRAY_GET, 17, codes.count(), Ref.array(ptab), r(codes));
        } else {
            int[] nominal = new int[L];
            for (int c = 0; c < L; c++) nominal[c] = (int) tab[c].low();
            p = cfg.chip().table(d, "in" + l1, nextDeviceIndex, codes, nominal, chipReport);
        }
        Node[] g = smtjGroup("in" + l1, "hidden-neuron streams of layer " + (l1 - 1), codes.count(), l1, p, active);
        Node neg = null;
        if (cfg.encoding() == Encoding.SIGN_MAGNITUDE && !Network.unsignedGrid(grid))
            neg = op("in" + l1 + "_neg", T, Op.LTU, 1, codes.count(), r(codes), r(k("in" + l1 + "_zero_code", T, cw, gridZero(l1 - 2))));
        return new Node[] {g[0], neg};
    }

    /** The multiply-accumulate array of one layer; returns the accumulator register array. */
    private Node layer(int l1, Layer L, Node xBits, Node xNegOrNull, Node act) {
        String n = "l" + l1;
        int in = L.inputs(), out = L.outputs(), F = cfg.fold(), N = cfg.bits();
        int P = (in + F - 1) / F;
        boolean sm = cfg.encoding() == Encoding.SIGN_MAGNITUDE;
        int levels = net.levels(), zc = net.zeroCode();

        // --- the weight-stream bank: bank bit b is the stream of magnitude (or level) b -------------
        int[] bankOf = new int[levels];     // code -> bank index
        List<Integer> thresholds = new ArrayList<>();
        if (sm) {
            TreeSet<Integer> mags = new TreeSet<>();
            for (int c = 0; c < levels; c++) mags.add(SmtjModel.threshold(cfg.encoding().probability(net.levelValue(c))));
            thresholds.addAll(mags);
            for (int c = 0; c < levels; c++) bankOf[c] = thresholds.indexOf(SmtjModel.threshold(cfg.encoding().probability(net.levelValue(c))));
        } else {
            for (int c = 0; c < levels; c++) {
                thresholds.add(SmtjModel.threshold(cfg.encoding().probability(net.levelValue(c))));
                bankOf[c] = c;
            }
        }
        int B = thresholds.size();
        List<Integer> randomIdx = new ArrayList<>();
        for (int b = 0; b < B; b++) if (thresholds.get(b) > 0 && thresholds.get(b) < 65536) randomIdx.add(b);
        // levels with a recorded trace replay it; the others use the behavioural model
        List<Integer> replayIdx = new ArrayList<>();
        Replay rp = cfg.replay();
        if (rp != null)
            for (int b : new ArrayList<>(randomIdx))
                if (rp.traceFor(thresholds.get(b)) >= 0) {
                    replayIdx.add(b);
                    randomIdx.remove(Integer.valueOf(b));
                }
        Node bankBits = null, replayBits = null;
        if (!randomIdx.isEmpty()) {
            Bits[] pt = new Bits[randomIdx.size()];
            for (int j = 0; j < pt.length; j++) pt[j] = Bits.of(17, thresholds.get(randomIdx.get(j)));
            if (!cfg.chip().ideal())
                pt = cfg.chip().constants("wb" + l1, nextDeviceIndex, randomIdx.stream().mapToInt(thresholds::get).toArray(), chipReport);
            Node pc = d.constArray("wb" + l1 + "_p", Tag.STREAM, 17, pt);
            bankBits = smtjGroup("wb" + l1, "weight-level streams of layer " + l1, pt.length, l1, pc, act)[0];
        }
        if (!replayIdx.isEmpty()) replayBits = replayGroup(l1, replayIdx.stream().mapToInt(b -> rp.traceFor(thresholds.get(b))).toArray(), act);
        Ref[] bankParts = new Ref[B];
        for (int b = 0; b < B; b++) {
            int j = randomIdx.indexOf(b);
            int jr = replayIdx.indexOf(b);
            Ref part;
            if (j >= 0) part = Ref.elem(bankBits, j);
            else if (jr >= 0) part = Ref.elem(replayBits, jr);
            else part = r(k(n + "_bank_c" + b, Tag.STREAM, 1, thresholds.get(b) == 0 ? 0 : 1));
            bankParts[B - 1 - b] = part;
        }
        int padCode = sm ? bankOf[zc] : zc;

        // --- weight ROMs: word (o * F + f) of mask b marks neuron o's multipliers in group f whose
        // weight level is bank entry b; a weight stream is the OR over b of (mask_b AND stream_b) ------
        int[][] codeOf = new int[out * F][P];
        Bits[] sgn = sm ? new Bits[out * F] : null;
        for (int o = 0; o < out; o++)
            for (int f = 0; f < F; f++) {
                int oo = o, ff = f;
                for (int q = 0; q < P; q++) {
                    int i = q * F + f;
                    codeOf[o * F + f][q] = i < in ? bankOf[L.code(o, i)] : (sm ? padCode : bankOf[padCode]);
                }
                if (sm) sgn[o * F + f] = Bits.fromBits(P, q -> q * F + ff < in && L.code(oo, q * F + ff) < zc);
            }
        List<Node> maskRoms = new ArrayList<>();
        List<Integer> maskEntries = new ArrayList<>();
        for (int b = 0; b < B; b++) {
            if (thresholds.get(b) == 0) continue; // a constant-0 stream contributes nothing
            int bb = b;
            Bits[] m = new Bits[out * F];
            boolean any = false;
            for (int w = 0; w < out * F; w++) {
                int[] cw = codeOf[w];
                m[w] = Bits.fromBits(P, q -> cw[q] == bb);
                any |= !m[w].isZero();
            }
            if (!any) continue;
            maskRoms.add(d.constArray(n + "_wmask" + b, Tag.MEMORY, P, m));
            maskEntries.add(b);
        }
        Node sgnRom = sm ? d.constArray(n + "_wsgn", Tag.MEMORY, P, sgn) : null;
        List<Node> maskRows = new ArrayList<>();
        Node sgnRow;
        Node xg, xnegG = null, valid = null;
        if (F == 1) {
            maskRows.addAll(maskRoms);
            sgnRow = sgnRom;
            xg = op(n + "_x", Tag.STREAM, Op.PACK, in, 1, Ref.array(xBits));
            if (xNegOrNull != null) xnegG = op(n + "_xneg", Tag.STREAM, Op.PACK, in, 1, Ref.array(xNegOrNull));
        } else {
            int aw = bitsFor((long) out * F - 1);
            Bits[] base = new Bits[out];
            for (int o = 0; o < out; o++) base[o] = Bits.of(aw, (long) o * F);
            Node addr = op(n + "_waddr", Tag.CONTROL, Op.ADD, aw, out, r(d.constArray(n + "_wbase", Tag.CONTROL, aw, base)),
                    r(zext(n + "_grp", Tag.CONTROL, grp, aw)));
            for (int j = 0; j < maskRoms.size(); j++)
                maskRows.add(op(n + "_wrow" + maskEntries.get(j), Tag.MEMORY, Op.ARRAY_GET, P, out, Ref.array(maskRoms.get(j)), r(addr)));
            sgnRow = sm ? op(n + "_wsgn_row", Tag.MEMORY, Op.ARRAY_GET, P, out, Ref.array(sgnRom), r(addr)) : null;
            // multiplier q takes inputs q*F + f (interleaved): with F a power of two the index is {q, f}
            int iw = bitsFor((long) F * P);
            Bits[] qs = new Bits[P];
            for (int q = 0; q < P; q++) qs[q] = Bits.of(iw, (long) q * F);
            Node xidx = op(n + "_xidx", Tag.STREAM, Op.ADD, iw, P, r(d.constArray(n + "_q", Tag.STREAM, iw, qs)),
                    r(zext(n + "_grp_i", Tag.CONTROL, grp, iw)));
            Node xAll = op(n + "_xall", Tag.STREAM, Op.PACK, in, 1, Ref.array(xBits));
            xg = op(n + "_x", Tag.STREAM, Op.PACK, P, 1, Ref.array(op(n + "_xsel", Tag.STREAM, Op.INDEX, 1, P, r(xAll), r(xidx))));
            if (xNegOrNull != null) {
                Node nAll = op(n + "_xnegall", Tag.STREAM, Op.PACK, in, 1, Ref.array(xNegOrNull));
                xnegG = op(n + "_xneg", Tag.STREAM, Op.PACK, P, 1, Ref.array(op(n + "_xnegsel", Tag.STREAM, Op.INDEX, 1, P, r(nAll), r(xidx))));
            }
            if (!sm) valid = op(n + "_valid", Tag.STREAM, Op.PACK, P, 1, Ref.array(
                    op(n + "_xvalid", Tag.STREAM, Op.LTU, 1, P, r(xidx), r(k(n + "_inputs", Tag.STREAM, iw, in)))));
        }

        // --- multipliers ---------------------------------------------------------------------------
        Tag M = Tag.MULTIPLIER;
        Node ws = null;
        for (int j = 0; j < maskRows.size(); j++) {
            int b = maskEntries.get(j);
            Node term = thresholds.get(b) == 65536 ? maskRows.get(j)
                    : op(n + "_wterm" + b, Tag.STREAM, Op.AND, P, out, r(maskRows.get(j)), r(op(n + "_wbank" + b, Tag.STREAM, Op.SEXT, P, 1, bankParts[B - 1 - b])));
            ws = ws == null ? term : op(n + "_wor" + b, Tag.STREAM, Op.OR, P, out, r(ws), r(term));
        }
        if (ws == null) ws = d.constArray(n + "_wzero", Tag.STREAM, P, new Bits[] {Bits.zero(P)});
        ws = op(n + "_wstream", Tag.STREAM, Op.ZEXT, P, out, r(ws));
        Node up, dn;
        if (sm) {
            Node prod = op(n + "_prod", M, Op.AND, P, out, r(xg), r(ws));
            Node neg = xnegG == null ? sgnRow : op(n + "_neg", M, Op.XOR, P, out, r(sgnRow), r(xnegG));
            up = op(n + "_up", M, Op.AND, P, out, r(prod), r(op(n + "_pos", M, Op.NOT, P, out, r(neg))));
            dn = op(n + "_dn", M, Op.AND, P, out, r(prod), r(neg));
        } else {
            Node xn = op(n + "_prod", M, Op.XNOR, P, out, r(xg), r(ws));
            Node xf = op(n + "_prod_n", M, Op.NOT, P, out, r(xn));
            if (valid != null) {
                up = op(n + "_up", M, Op.AND, P, out, r(xn), r(valid));
                dn = op(n + "_dn", M, Op.AND, P, out, r(xf), r(valid));
            } else {
                up = xn;
                dn = xf;
            }
        }

        // --- accumulators ----------------------------------------------------------------------------
        Tag A = Tag.ACCUMULATOR;
        long[] binit = biasCounts(L, N);
        long maxBias = 0;
        for (long b : binit) maxBias = Math.max(maxBias, Math.abs(b));
        long maxAbs = (long) N * in + maxBias;
        long[][] thr = L.activation() == scnn.core.weights.Activation.QUANTIZE ? thresholds(l1 - 1, L) : new long[0][];
        for (long[] tk : thr) for (long t : tk) maxAbs = Math.max(maxAbs, Math.abs(t));
        int aw = bitsFor(maxAbs) + 1;
        int pcw = bitsFor(P);
        Node pcu = op(n + "_pc_up", A, Op.POPCOUNT, pcw, out, r(up));
        Node pcd = op(n + "_pc_dn", A, Op.POPCOUNT, pcw, out, r(dn));
        Node delta = op(n + "_delta", A, Op.SUB, aw, out, r(zext(n + "_pc_up_x", A, pcu, aw)), r(zext(n + "_pc_dn_x", A, pcd, aw)));
        Bits[] bi = new Bits[out];
        for (int o = 0; o < out; o++) bi[o] = Bits.of(aw, binit[o]);
        Node acc = d.reg(n + "_acc", A, aw, out, Bits.of(aw, 0));
        Node binitC = d.constArray(n + "_acc_init", A, aw, bi);
        Node sum = op(n + "_acc_sum", A, Op.ADD, aw, out, r(acc), r(delta));
        d.connect(acc, r(op(n + "_acc_next", A, Op.MUX, aw, out, r(startOk), r(sum), r(binitC))),
                r(op(n + "_acc_en", A, Op.OR, 1, 1, r(startOk), r(act))));
        accThresholds.put(l1, thr);
        return acc;
    }

    private final java.util.Map<Integer, long[][]> accThresholds = new java.util.HashMap<>();

    /**
     * Ladder thresholds of hidden layer {@code li} in accumulator units, {@code [k][o]}:
     * {@code T_k = ceil(N * mid_k / scale_o)}, {@code mid_k} between the values k and k+1 of the
     * layer's output grid; one entry per k ({@code [k][0]}) when the layer has one scale.
     */
    private long[][] thresholds(int li, Layer L) {
        double[] g = net.hiddenValues(li);
        int per = L.perNeuronScales() ? L.outputs() : 1;
        long[][] t = new long[g.length - 1][per];
        for (int kk = 0; kk < g.length - 1; kk++) {
            double mid = (g[kk] + g[kk + 1]) / 2;
            for (int o = 0; o < per; o++) t[kk][o] = (long) Math.ceil(cfg.bits() * mid / L.scale(o) - 1e-9);
        }
        return t;
    }

    /** Comparator ladder of a hidden layer and its level-code register. */
    private Node requantize(int l1, Layer L, Node acc, Node step) {
        Tag R = Tag.REQUANTIZER;
        String n = "l" + l1;
        long[][] thr = accThresholds.get(l1);
        int levels = thr.length + 1, zero = gridZero(l1 - 1);
        int aw = acc.width(), out = acc.count();
        Ref[] ge = new Ref[levels - 1];
        for (int kk = 0; kk < levels - 1; kk++) {
            Node tk;
            if (thr[kk].length == 1) {
                tk = k(n + "_t" + kk, R, aw, thr[kk][0]);
            } else {
                Bits[] tb = new Bits[out];
                for (int o = 0; o < out; o++) tb[o] = Bits.of(aw, thr[kk][o]);
                tk = d.constArray(n + "_t" + kk, R, aw, tb);
            }
            Node lt = op(n + "_lt" + kk, R, Op.LTS, 1, out, r(acc), r(tk));
            ge[levels - 2 - kk] = r(op(n + "_ge" + kk, R, Op.NOT, 1, out, r(lt)));
        }
        int cw = bitsFor(levels - 1);
        Node ladder = levels - 1 == 1 ? op(n + "_ladder", R, Op.ZEXT, 1, out, ge[0]) : op(n + "_ladder", R, Op.CONCAT, levels - 1, out, ge);
        Node code = op(n + "_code", R, Op.POPCOUNT, cw, out, r(ladder));
        Node h = d.reg(n + "_h", R, cw, out, Bits.of(cw, zero));
        Node en = op(n + "_h_en", R, Op.AND, 1, 1, r(step), r(op(n + "_is_req", R, Op.EQ, 1, 1, r(layerReg), r(k(n + "_req_index", R, layerReg.width(), l1 - 1)))));
        d.connect(h, r(op(n + "_h_next", R, Op.MUX, cw, out, r(startOk), r(code), r(k(n + "_h_clear", R, cw, zero)))),
                r(op(n + "_h_load", R, Op.OR, 1, 1, r(startOk), r(en))));
        return h;
    }

    // ---- the analog baseline --------------------------------------------------------------------

    private long synapseDevices;
    private long dacConversions;

    /**
     * Per-layer random words of the analog synapses: {@code count} xorshift32 generators (reseeded at
     * start like the s-MTJ generators, advanced every active cycle); the word of a cycle is the top
     * {@code width} bits of the generator's next state.
     */
    private Node prngWords(String name, int count, int width, Node active, boolean addKey) {
        Tag S = Tag.SMTJ;
        // xorshift32 is linear over GF(2): the XOR of two generators' states is a generator started from
        // the XOR of their seeds, in which a common key K mixed in by XOR cancels (C_i ^ K ^ C_j ^ K). The
        // row generators of the xor scheme, whose words are XORed with the column words and with each
        // other's, add the key instead (C_j + K, mod 2^32): the carries make every XOR of two seeds
        // depend on K, so the relation between two synapses' words changes from one inference to the next
        Node[] gen = xorshift32(name, count, addKey);
        Node rng = gen[0], x3 = gen[1], seedV = gen[2];
        d.connect(rng, r(op(name + "_rng_next", S, Op.MUX, 32, count, r(startOk), r(x3), r(seedV))),
                r(op(name + "_rng_en", S, Op.OR, 1, 1, r(startOk), r(active))));
        return opP(name + "_word", S, Op.SLICE, width, count, 32 - width, r(x3));
    }

    /**
     * The multiply-accumulate array of an analog layer. Synapse (o, i) has its own s-MTJ, biased to
     * P(1) = t_oi / 2^D with t_oi = |v(code_oi)| 2^D: each cycle it fires when its uniform D-bit word
     * s_oi reaches {@code T_oi = 2^D - t_oi}. The words come from per-input generators ({@link SynapseRng}).
     * The comparison runs over bit planes for all synapses at once: with c_0 = 1,
     * {@code c_(k+1) = maj(s_k, ~T_k, c_k)} is {@code s >= T} on bits 0..k, written as
     * {@code (s_k & ~T_k) | (c_k & (s_k | ~T_k))}, which folds to one gate per bit once T is constant.
     * Product: AND with the input stream; the weight's sign steers it to the up or down count, as in
     * the quantized design.
     */
    private Node analogLayer(int l1, Layer L, Node xBits, Node act) {
        String n = "l" + l1;
        int in = L.inputs(), out = L.outputs(), N = cfg.bits(), D = synBits;
        long full = 1L << D;
        long[][] t = new long[out][in];
        long devices = 0;
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++) {
                t[o][i] = Math.round(Math.abs(net.levelValue(L.code(o, i))) * full);
                if (t[o][i] > 0 && t[o][i] < full) devices++;
            }
        synapseDevices += devices;
        Tag S = Tag.SMTJ, T = Tag.STREAM;
        Node words = prngWords("wa" + l1, in, D, act, false);
        Node rowWords = cfg.synapseRng() == SynapseRng.XOR ? prngWords("wb" + l1, out, D, act, true) : null;
        Node codes = null;
        if (cfg.synapseRng() == SynapseRng.ROTATE) {
            int cw = bitsFor(Math.max(1, in - 1));
            Bits[] cd = new Bits[out];
            for (int o = 0; o < out; o++) {
                int[] c = new int[in];
                for (int i = 0; i < in; i++) c[i] = (i + o) % in;
                cd[o] = Bits.packed(cw, c);
            }
            codes = d.constArray(n + "_syn_word_of", S, in * cw, cd);
        }
        Node c = k(n + "_syn_c0", S, in, -1L);
        for (int b = 0; b < D; b++) {
            int bb = b;
            Node plane = op(n + "_syn_a" + b, S, Op.PACK, in, 1, Ref.array(opP(n + "_syn_abit" + b, S, Op.SLICE, 1, in, b, r(words))));
            Node sk;
            if (codes != null) {
                sk = opP(n + "_syn_s" + b, S, Op.BITSEL, in, out, bitsFor(Math.max(1, in - 1)), r(plane), r(codes));
            } else {
                Node bRep = op(n + "_syn_b" + b, S, Op.SEXT, in, out, r(opP(n + "_syn_bbit" + b, S, Op.SLICE, 1, out, b, r(rowWords))));
                sk = op(n + "_syn_s" + b, S, Op.XOR, in, out, r(plane), r(bRep));
            }
            Bits[] nt = new Bits[out];
            for (int o = 0; o < out; o++) {
                long[] to = t[o];
                nt[o] = Bits.fromBits(in, i -> ((((full - to[i]) & (full - 1)) >>> bb) & 1) == 0);
            }
            Node ntk = d.constArray(n + "_syn_nt" + b, S, in, nt);
            Node t1 = op(n + "_syn_g" + b, S, Op.AND, in, out, r(sk), r(ntk));
            Node t2 = op(n + "_syn_p" + b, S, Op.OR, in, out, r(sk), r(ntk));
            Node t3 = op(n + "_syn_k" + b, S, Op.AND, in, out, r(c), r(t2));
            c = op(n + "_syn_c" + (b + 1), S, Op.OR, in, out, r(t1), r(t3));
        }
        // a zero weight has no device: its stream is the constant 0 (folds away)
        Bits[] nz = new Bits[out];
        for (int o = 0; o < out; o++) {
            long[] to = t[o];
            nz[o] = Bits.fromBits(in, i -> to[i] > 0);
        }
        Node w = op(n + "_syn_w", S, Op.AND, in, out, r(c), r(d.constArray(n + "_syn_nz", S, in, nz)));
        // the devices' states (their toggles are the flips), cleared at start like every s-MTJ state
        Node st = d.reg(n + "_syn_state", S, in, out, Bits.zero(in));
        d.connect(st, r(op(n + "_syn_state_next", S, Op.MUX, in, out, r(startOk), r(w), r(k(n + "_syn_state_zero", S, in, 0)))),
                r(op(n + "_syn_state_en", S, Op.OR, 1, 1, r(startOk), r(act))));
        groups.add(new ScDesign.SourceGroup(n + "_syn", "per-synapse weight s-MTJs of layer " + l1 + " (" + cfg.synapseRng().key() + " words)",
                (int) devices, l1, st.name()));
        // the per-synapse devices do not fit the one-device cell (their comparison runs over bit planes of
        // all synapses at once): their samples are counted from the layer's activity
        if (devices > 0) d.probe("smtj_samples", act, devices);

        Bits[] pos = new Bits[out], neg = new Bits[out];
        int zc = net.zeroCode();
        for (int o = 0; o < out; o++) {
            int oo = o;
            pos[o] = Bits.fromBits(in, i -> t[oo][i] > 0 && L.code(oo, i) > zc);
            neg[o] = Bits.fromBits(in, i -> t[oo][i] > 0 && L.code(oo, i) < zc);
        }
        Tag M = Tag.MULTIPLIER;
        Node xg = op(n + "_x", T, Op.PACK, in, 1, Ref.array(xBits));
        Node prod = op(n + "_prod", M, Op.AND, in, out, r(xg), r(w));
        Node up = op(n + "_up", M, Op.AND, in, out, r(prod), r(d.constArray(n + "_wpos", Tag.MEMORY, in, pos)));
        Node dn = op(n + "_dn", M, Op.AND, in, out, r(prod), r(d.constArray(n + "_wneg", Tag.MEMORY, in, neg)));

        Tag A = Tag.ACCUMULATOR;
        long[] binit = biasCounts(L, N);
        long maxBias = 0;
        for (long b : binit) maxBias = Math.max(maxBias, Math.abs(b));
        long maxAbs = (long) N * in + maxBias;
        int aw = bitsFor(maxAbs) + 1;
        int pcw = bitsFor(in);
        Node pcu = op(n + "_pc_up", A, Op.POPCOUNT, pcw, out, r(up));
        Node pcd = op(n + "_pc_dn", A, Op.POPCOUNT, pcw, out, r(dn));
        Node delta = op(n + "_delta", A, Op.SUB, aw, out, r(zext(n + "_pc_up_x", A, pcu, aw)), r(zext(n + "_pc_dn_x", A, pcd, aw)));
        Bits[] bi = new Bits[out];
        for (int o = 0; o < out; o++) bi[o] = Bits.of(aw, binit[o]);
        Node acc = d.reg(n + "_acc", A, aw, out, Bits.of(aw, 0));
        Node sum = op(n + "_acc_sum", A, Op.ADD, aw, out, r(acc), r(delta));
        d.connect(acc, r(op(n + "_acc_next", A, Op.MUX, aw, out, r(startOk), r(sum), r(d.constArray(n + "_acc_init", A, aw, bi)))),
                r(op(n + "_acc_en", A, Op.OR, 1, 1, r(startOk), r(act))));
        accMax.put(l1, maxAbs);
        return acc;
    }

    private final java.util.Map<Integer, Long> accMax = new java.util.HashMap<>();

    /** Analog: the DAC input register of a hidden layer, loaded with the accumulators when the layer ends. */
    private Node dacLatch(int l1, Node acc, Node step) {
        Tag R = Tag.REQUANTIZER;
        String n = "l" + l1;
        int aw = acc.width(), out = acc.count();
        Node h = d.reg(n + "_dac_in", R, aw, out, Bits.of(aw, 0));
        Node en = op(n + "_dac_en", R, Op.AND, 1, 1, r(step), r(op(n + "_is_dac", R, Op.EQ, 1, 1, r(layerReg), r(k(n + "_dac_index", R, layerReg.width(), l1 - 1)))));
        d.connect(h, r(op(n + "_dac_next", R, Op.MUX, aw, out, r(startOk), r(acc), r(k(n + "_dac_clear", R, aw, 0)))),
                r(op(n + "_dac_load", R, Op.OR, 1, 1, r(startOk), r(en))));
        dacConversions += out;
        d.probe("dac_conversions", en, out);
        return h;
    }

    /**
     * Analog: input sources of layer {@code l1} (>= 2): one output s-MTJ per neuron of the previous
     * layer, biased by a DAC from the latched count. The DAC is a ROM from count to probability
     * threshold, {@code round(65536 sigmoid(scale * acc / N))} ({@link Activation#smtjThreshold}), over the
     * counts where the threshold is neither 0 nor 65536; counts outside clamp to its ends.
     */
    private Node[] dacSources(int l1, Layer prev, Node dac, Node active) {
        Tag T = Tag.STREAM;
        String n = "in" + l1;
        int N = cfg.bits(), aw = dac.width();
        double g = prev.scale();
        long maxAbs = accMax.get(l1 - 1);
        long lo = Math.max(-maxAbs, (long) Math.floor(-12.0 * N / g));
        long hi = Math.min(maxAbs, (long) Math.ceil(12.0 * N / g));
        while (lo < hi && Activation.smtjThreshold(g * (lo + 1) / N) == 0) lo++;
        while (hi > lo && Activation.smtjThreshold(g * (hi - 1) / N) == 65536) hi--;
        long size = hi - lo + 1;
        if (size > 1 << 22) throw new IllegalArgumentException(net.name() + ": the DAC table of layer " + (l1 - 1) + " would have " + size + " entries (scale " + g + " too small for N = " + N + ")");
        Bits[] rom = new Bits[(int) size];
        for (int j = 0; j < size; j++) rom[j] = Bits.of(17, Activation.smtjThreshold(g * (lo + j) / N));
        Node romC = d.constArray(n + "_dac_rom", Tag.MEMORY, 17, rom);
        int dw = aw + 1, iw = bitsFor(Math.max(1, size - 1));
        int out = dac.count();
        Node diff = op(n + "_dac_off", T, Op.SUB, dw, out, r(op(n + "_dac_x", T, Op.SEXT, dw, out, r(dac))), r(k(n + "_dac_lo", T, dw, lo)));
        Node below = op(n + "_dac_below", T, Op.LTS, 1, out, r(diff), r(k(n + "_dac_zero", T, dw, 0)));
        Node above = op(n + "_dac_above", T, Op.LTS, 1, out, r(k(n + "_dac_top", T, dw, size - 1)), r(diff));
        Node c1 = op(n + "_dac_clamp_hi", T, Op.MUX, dw, out, r(above), r(diff), r(k(n + "_dac_topv", T, dw, size - 1)));
        Node c2 = op(n + "_dac_clamp", T, Op.MUX, dw, out, r(below), r(c1), r(k(n + "_dac_zerov", T, dw, 0)));
        Node idx = opP(n + "_dac_idx", T, Op.SLICE, iw, out, 0, r(c2));
        Node p = op(n + "_p", T, Op.ARRAY_GET, 17, out, Ref.array(romC), r(idx));
        Node[] gsrc = smtjGroup(n, "hidden-neuron output s-MTJs of layer " + (l1 - 1) + " (DAC-biased, sigmoid)", out, l1, p, active);
        return new Node[] {gsrc[0], null};
    }
}
