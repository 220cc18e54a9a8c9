package scnn.generator.arch;

import scnn.core.model.Encoding;

import java.util.Map;
import scnn.core.weights.Layer;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Instance;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * One layer of the network as an IR module, {@code <top>_layer<l>} (instance {@code l<l>}, so node
 * {@code x} of layer l is {@code l<l>_x} in the flat design): its input sources (s-MTJ cells), its
 * multiply-accumulate array and accumulators ({@link Accumulator}), and its requantizer (a hidden
 * layer: output {@code h_out}, one code or count per neuron) or argmax (the last layer: outputs
 * {@code acc_out}, the accumulators, and {@code class_out}). The input of layer 1 is the pixel memory
 * ({@code pix}), of layer l > 1 the previous layer's {@code h_out} ({@code x_in}). Control signals are
 * ports of the FSM's outputs ({@link ControlFsm}), made on first use.
 *
 * <p>A layer kind is a subclass registered in {@link #KINDS} by its {@link Arch}: it builds its
 * hidden-layer input sources, its multiply-accumulate array and its hidden output; the base class
 * builds the pixel sources, the activity signal, the argmax and the module's ports.
 */
abstract class LayerBuilder extends ModuleBuilder {
    /** The layer kinds, by architecture. */
    static final Map<Arch, Kind> KINDS = Map.of(Arch.QUANTIZED, QuantizedLayer::new, Arch.ANALOG, AnalogLayer::new);

    /** Makes the builder of layer {@code l1} (1-based). */
    interface Kind {
        LayerBuilder create(BuildContext bx, int l1, ControlFsm.Control ctl);
    }

    /** The instance name of layer {@code l1}. */
    static String instanceName(int l1) {
        return "l" + l1;
    }

    final BuildContext bx;
    final int l1;
    final Layer layer;
    final boolean last;
    private final ControlFsm.Control ctl;
    private Node active;

    LayerBuilder(BuildContext bx, int l1, ControlFsm.Control ctl) {
        super(bx.top + "_layer" + l1);
        this.bx = bx;
        this.l1 = l1;
        this.layer = bx.net.layers().get(l1 - 1);
        this.last = l1 == bx.net.layers().size();
        this.ctl = ctl;
    }

    // ---- control ports ------------------------------------------------------------------------

    final Node startOk() {
        return port("start_ok", ctl.startOk());
    }

    final Node first() {
        return port("first", ctl.first());
    }

    final Node key() {
        return port("key", ctl.key());
    }

    final Node layerIndex() {
        return port("layer", ctl.layer());
    }

    final Node step() {
        return port("step", ctl.step());
    }

    final Node group() {
        return port("group", ctl.group());
    }

    /** 1 in the accumulate cycles of this layer: its sources sample, its accumulators add. */
    final Node active() {
        if (active == null) {
            Tag C = Tag.CONTROL;
            Node accPhase = port("acc_phase", ctl.accPhase());
            Node li = layerIndex();
            active = op("active", C, Op.AND, 1, 1, r(accPhase), r(op("is_layer", C, Op.EQ, 1, 1, r(li), r(k("index", C, li.width(), l1 - 1)))));
        }
        return active;
    }

    // ---- the layer ----------------------------------------------------------------------------

    /**
     * Builds the layer on {@code input} (the parent's pixel memory for layer 1, else the previous
     * layer's {@code h} output; {@code prev} is that layer's builder) and instantiates it in
     * {@code parent}.
     */
    final Instance place(Design parent, Node input, LayerBuilder prev) {
        Node x, neg = null;
        if (l1 == 1) {
            Node p = pixelBias(port("pix", input));
            active();
            x = smtjGroup("in", "pixel streams", bx.net.inputSize(), p);
        } else {
            active();
            Node[] s = hiddenSources(port("x_in", input), prev);
            x = s[0];
            neg = s[1];
        }
        Node acc = multiplyAccumulate(x, neg);
        if (!last) {
            d.output("h_out", hiddenOutput(acc));
        } else {
            d.output("acc_out", acc);
            d.output("class_out", argmax(acc));
        }
        return instantiate(parent, instanceName(l1));
    }

    /**
     * Input sources of a hidden layer from the previous layer's output {@code x}: {bits, neg}, one
     * stream bit per previous neuron and its sign (null when the streams carry no sign).
     */
    abstract Node[] hiddenSources(Node x, LayerBuilder prev);

    /** The multiply-accumulate array on the input streams {@code x} (signs {@code neg} or null); returns the accumulators. */
    abstract Node multiplyAccumulate(Node x, Node neg);

    /** The output of a hidden layer, loaded in the layer's last cycle. */
    abstract Node hiddenOutput(Node acc);

    /** Layer-1 input sources' bias: one s-MTJ per pixel with p = pixel / 255 (or (x+1)/2 for bipolar). */
    private Node pixelBias(Node pixMem) {
        Tag T = Tag.STREAM;
        int n = bx.net.inputSize(), aw = ScBuilder.bitsFor(n - 1);
        Bits[] idx = new Bits[n];
        for (int i = 0; i < n; i++) idx[i] = Bits.of(aw, i);
        Node idxC = d.constArray("in_addr", T, aw, idx);
        Node pix = op("in_pix", T, Op.ARRAY_GET, 8, n, Ref.array(pixMem), r(idxC));
        if (!bx.cfg.chip().ideal()) {
            // a varied chip: each device's threshold from a table [offset class][pixel] (ChipVariation)
            int[] nominal = new int[256];
            for (int x = 0; x < 256; x++) {
                nominal[x] = x * 257 + (x >> 7);
                if (bx.cfg.encoding() == Encoding.BIPOLAR) nominal[x] = (nominal[x] + 65536) >> 1;
            }
            return bx.cfg.chip().table(d, "in", flatName("in"), bx.nextDevice(), pix, nominal, bx.chipReport);
        }
        // round(pix * 65536 / 255) = pix * 257 + pix[7] for every pix in 0..255
        Node pp = zext("in_pp", T, op("in_pix2", T, Op.CONCAT, 16, n, r(pix), r(pix)), 17);
        Node msb = zext("in_msb", T, opP("in_pix7", T, Op.SLICE, 1, n, 7, r(pix)), 17);
        Node p = op("in_p", T, Op.ADD, 17, n, r(pp), r(msb));
        if (bx.cfg.encoding() == Encoding.BIPOLAR) {
            Node s = op("in_pb_sum", T, Op.ADD, 18, n, r(zext("in_p18", T, p, 18)), r(k("in_half", T, 18, 65536)));
            p = opP("in_pb", T, Op.SLICE, 17, n, 1, r(s));
        }
        return p;
    }

    /**
     * Argmax over the accumulators (first maximum wins), into the class register: a tournament of
     * ceil(log2 n) levels, each pair's later element winning only when it is strictly greater, so
     * every subtree's winner is its first maximum (the chain of n - 1 comparisons it replaces was the
     * 3h net's critical path: 95 cells).
     */
    private Node argmax(Node acc) {
        Tag R = Tag.REQUANTIZER;
        int aw = acc.width(), outs = acc.count();
        int clw = ScBuilder.classWidth(outs);
        Ref[] v = new Ref[outs], ix = new Ref[outs];
        for (int c = 0; c < outs; c++) {
            v[c] = Ref.elem(acc, c);
            ix[c] = r(k("am_c" + c, R, clw, c));
        }
        for (int n = outs, level = 0; n > 1; n = (n + 1) / 2, level++) {
            for (int j = 0; j < n / 2; j++) {
                String s = level + "_" + j;
                Node later = op("am_gt" + s, R, Op.LTS, 1, 1, v[2 * j], v[2 * j + 1]);
                Ref vj = n == 2 ? null : r(op("am_v" + s, R, Op.MUX, aw, 1, r(later), v[2 * j], v[2 * j + 1]));
                ix[j] = r(op("am_i" + s, R, Op.MUX, clw, 1, r(later), ix[2 * j], ix[2 * j + 1]));
                v[j] = vj;
            }
            if (n % 2 == 1) {
                v[n / 2] = v[n - 1];
                ix[n / 2] = ix[n - 1];
            }
        }
        Ref bestI = ix[0];
        Node cls = d.reg("am_class", R, clw, 0);
        Node startOk = startOk();
        d.connect(cls, r(op("am_class_next", R, Op.MUX, clw, 1, r(startOk), bestI, r(k("am_class_clear", R, clw, 0)))),
                r(op("am_class_en", R, Op.OR, 1, 1, r(startOk), r(port("finish", ctl.finish())))));
        return cls;
    }

    // ---- random sources -----------------------------------------------------------------------

    /** This layer as the host of per-synapse devices ({@link SynapseDevices}). */
    final SynapseDevices.Host host() {
        return new SynapseDevices.Host() {
            @Override public scnn.ir.Design design() {
                return d;
            }

            @Override public Node startOk() {
                return LayerBuilder.this.startOk();
            }

            @Override public Node key() {
                return LayerBuilder.this.key();
            }

            @Override public Node active() {
                return LayerBuilder.this.active();
            }

            @Override public Bits[] deviceSeeds(int count) {
                return bx.deviceSeeds(count);
            }
        };
    }

    /** The flat-design name of instance {@code name} of this layer (its instance path, joined by {@code _}). */
    final String flatName(String name) {
        return instanceName(l1) + "_" + name;
    }

    /**
     * A group of {@code count} s-MTJ devices, instances of the {@link SmtjCell}; {@code p17} gives
     * each device's threshold round(p 2^16) (17 bits, element-wise or scalar); they sample while
     * the layer is active. Returns the group's sampled states, one element per device.
     */
    final Node smtjGroup(String name, String role, int count, Node p17) {
        Instance inst = bx.smtj.place(d, name, count, p17, bx.deviceSeeds(count), active(), startOk(), key(), first());
        bx.groups.add(new ScDesign.SourceGroup(flatName(name), role, count, l1, flatName(name) + "_state"));
        return inst.out("bits");
    }

    /** Weight streams replayed from recorded bitstreams ({@link ReplayCell}): one bit per trace in {@code traces}. */
    final Node replayGroup(int[] traces) {
        Replay rp = bx.cfg.replay();
        Instance inst = ReplayCell.place(d, bx.top, l1, rp, traces, bx.cfg.seed(), active(), startOk(), key());
        bx.groups.add(new ScDesign.SourceGroup(flatName(inst.name()), "replayed weight-level streams of layer " + l1 + " (" + rp.name() + ")",
                traces.length, l1, flatName(inst.name()) + "_state"));
        return inst.out("bits");
    }

    /** The accumulators' start values: round(N x bias) per output neuron. */
    final long[] biasCounts() {
        long[] b = new long[layer.outputs()];
        for (int o = 0; o < b.length; o++) b[o] = Math.round(bx.cfg.bits() * layer.bias(o));
        return b;
    }

}
