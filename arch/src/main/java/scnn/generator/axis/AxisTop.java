package scnn.generator.axis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import scnn.generator.arch.CoreInterface;
import scnn.generator.arch.ScDesign;
import scnn.ir.Bits;
import scnn.ir.Derive;
import scnn.ir.Design;
import scnn.ir.Flatten;
import scnn.ir.Instance;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * The AXI4-Stream top {@code <top>_axis}: the network as a streaming accelerator, built in the IR
 * around the core (an IR instance), so that the Verilog emitter prints it, the Java simulator runs
 * it and the co-simulation compares the two.
 *
 * <h2>Ports</h2>
 * {@code aclk}, {@code aresetn} (synchronous, active low); {@code s_axis_tdata} (8P bits: pixel j of
 * the beat in {@code [8j+7:8j]}, row-major), {@code s_axis_tvalid}, {@code s_axis_tready},
 * {@code s_axis_tlast}; {@code m_axis_tdata} (the class in the low bits, zero above; a multiple of 8
 * bits), {@code m_axis_tvalid}, {@code m_axis_tready}, {@code m_axis_tlast} (1 on every result beat);
 * {@code frame_error} (sticky until reset).
 *
 * <h2>Structure</h2>
 * <ul>
 *   <li><b>Core</b> {@code <top>_axis_core}, instance {@code core}: the core design of the network,
 *       derived from the built {@code <top>} ({@link Derive}) with its pixel memory turned into an
 *       array input {@code pix} (one 8-bit pixel per network input) and the score read-out left out.
 *       Everything else is the core's top module node for node, instantiating the very modules the
 *       core instantiates (control, layers, the {@code <top>_smtj} cell); its {@code start},
 *       {@code busy}, {@code done} and {@code class_out} are the core's ({@link CoreInterface}).</li>
 *   <li><b>Load buffer</b> {@code ld} (one 8-bit register per pixel): an accepted beat writes its P
 *       lanes into the pixels of beat number {@code in_beat}; unused lanes of the last beat are
 *       ignored.</li>
 *   <li><b>Image buffer</b> {@code cur}: the pixels the core reads. The edge that starts the core
 *       copies {@code ld} into {@code cur} at once, so the next image loads into {@code ld} while the
 *       current one infers.</li>
 *   <li><b>Framing</b>: an image ends on the beat where the beat count reaches
 *       {@code ceil(inputs / P)} or {@code tlast} is high; when the two disagree the image is dropped
 *       (no inference, no result), {@code frame_error} is set, and the next beat starts a new image.
 *       A complete image sets {@code ld_full}; while it waits for the core, {@code s_axis_tready} is
 *       low (except in the cycle that starts the core).</li>
 *   <li><b>Start</b>: when {@code ld_full}, the core is idle and the output FIFO has room for the
 *       result (results in the FIFO plus the one being pushed at most 1 of 2).</li>
 *   <li><b>Output FIFO</b> of two results: the core's {@code done} pushes {@code class_out};
 *       {@code m_axis_tvalid} is "not empty"; a transfer pops. No result is lost or duplicated,
 *       however long {@code m_axis_tready} stays low (the core then waits).</li>
 * </ul>
 *
 * <h2>Ordering rule</h2>
 * The core's inference counter counts its accepted starts, and the wrapper starts the core once per
 * complete, well-framed image: dropped images never reach it. So the n-th result after reset is
 * inference n of the core, with the random streams of inference n (its key is derived from n), and
 * a stream of test images 0..K-1 gives exactly the classes of {@code ./scnn simulate --images K}.
 *
 * <h2>Timing</h2>
 * With C the core's cycles per inference and B the beats per image: the first beat of an image that
 * reaches an idle wrapper is accepted at edge F, its last at F+B-1, the core starts at F+B, raises
 * done after F+B+C, and the result is valid after edge F+B+C+1: latency {@code B + C + 1} cycles.
 * When neither stream stalls, results follow each other every {@code max(B, C + 1)} cycles (loading
 * overlaps inference; the start edge itself also accepts a beat).
 */
public final class AxisTop {
    /** Default pixels per beat ({@code generate --axis-pixels}). */
    public static final int DEFAULT_PIXELS_PER_BEAT = 8;

    /** The wrapper's ports, in the order of the module declaration. */
    public static final List<String> PORTS = List.of("aclk", "aresetn", "s_axis_tdata", "s_axis_tvalid", "s_axis_tready", "s_axis_tlast",
            "m_axis_tdata", "m_axis_tvalid", "m_axis_tready", "m_axis_tlast", "frame_error");

    /** Name of the core instance in the wrapper (prefix of the core's nodes in the flat design). */
    public static final String CORE_INSTANCE = "core";

    /** The core's array input that replaces its pixel memory. */
    public static final String CORE_PIXELS = "pix";

    /** Core ports the wrapper drives or reads ({@link CoreInterface}: the one place of the core's interface facts). */
    static final String START = CoreInterface.START, BUSY = CoreInterface.BUSY, DONE = CoreInterface.DONE, CLASS = CoreInterface.CLASS_OUT,
            SCORE = CoreInterface.SCORE;

    /** Results the output FIFO holds. */
    static final int FIFO_DEPTH = 2;

    private AxisTop() {}

    /**
     * The AXI4-Stream top of a built core.
     *
     * @param design         the wrapper {@code <top>_axis}
     * @param core           the core module it instantiates, {@code <top>_axis_core}
     * @param sd             the built core design
     * @param pixelsPerBeat  P
     * @param beatsPerImage  B = ceil(inputs / P)
     * @param intervalCycles cycles between results when neither stream stalls: max(B, C + 1)
     * @param latencyCycles  edges from the one that accepts an image's first beat to the one after
     *                       which its result is valid, for an image that finds the wrapper idle: B + C + 1
     * @param flat           the wrapper with its hierarchy inlined (what the simulator executes)
     */
    public record Axis(Design design, Design core, ScDesign sd, int pixelsPerBeat, int beatsPerImage, long intervalCycles,
                       long latencyCycles, Flatten.Flat flat) {
        /** Width of {@code s_axis_tdata}. */
        public int inputDataWidth() {
            return 8 * pixelsPerBeat;
        }

        /** Width of {@code m_axis_tdata}. */
        public int outputDataWidth() {
            return design.outputs().get("m_axis_tdata").node().width();
        }

        /** Inferences per second at the clock period {@code clockNs} when neither stream stalls. */
        public double inferencesPerSecond(double clockNs) {
            return 1e9 / (intervalCycles * clockNs);
        }

        /** The manifest entries of the AXI top (issue keys). */
        public Map<String, Object> manifestFacts() {
            Map<String, Object> m = new java.util.TreeMap<>();
            m.put("axis_top", design.name());
            m.put("axis_pixels_per_beat", pixelsPerBeat);
            m.put("axis_beats_per_image", beatsPerImage);
            m.put("axis_interval_cycles", intervalCycles);
            m.put("axis_latency_cycles", latencyCycles);
            return m;
        }
    }

    /** The wrapper's module name for a core named {@code top}. */
    public static String name(String top) {
        return top + "_axis";
    }

    /**
     * Builds {@code <top>_axis} around the core {@code sd} with {@code pixelsPerBeat} pixels a beat
     * (1 .. the network's input count).
     */
    public static Axis build(ScDesign sd, int pixelsPerBeat) {
        Design coreTop = sd.design();
        CoreInterface io = sd.coreInterface();
        Node pixMem = coreTop.node(sd.pixelMemory());
        int inputs = io.inputs();
        if (pixMem == null || pixMem.op() != Op.RAM || pixMem.count() != inputs || pixMem.width() != CoreInterface.PIX_DATA_WIDTH)
            throw new IllegalArgumentException(coreTop.name() + ": no pixel memory " + sd.pixelMemory() + " of " + inputs + " pixels in the core's top module");
        if (pixelsPerBeat < 1 || pixelsPerBeat > inputs)
            throw new IllegalArgumentException("pixels per beat must be in 1.." + inputs + " (the network's inputs), got " + pixelsPerBeat);
        Design core = Derive.derive(coreTop, coreTop.name() + "_axis_core", Map.of(pixMem.name(), CORE_PIXELS), Set.of(SCORE));
        if (!new java.util.HashSet<>(core.inputs().stream().map(Node::name).toList()).equals(Set.of(START, CORE_PIXELS)))
            throw new IllegalStateException(core.name() + ": the derived core has the inputs " + core.inputs() + ", expected " + START + " and " + CORE_PIXELS);
        int classWidth = io.classWidth();
        if (core.outputs().get(CLASS).node().width() != classWidth) throw new IllegalStateException(core.name() + ": class_out width");
        long cycles = io.cyclesPerInference();

        int P = pixelsPerBeat, B = (inputs + P - 1) / P;
        int bw = bitsFor(B - 1);
        int ow = 8 * ((classWidth + 7) / 8);
        Tag C = Tag.CONTROL, IO = Tag.IO, M = Tag.MEMORY;
        Design d = new Design(name(coreTop.name()));
        d.clocking("aclk", "aresetn", true);
        Node tdata = d.input("s_axis_tdata", 8 * P);
        Node tvalid = d.input("s_axis_tvalid", 1);
        Node tlast = d.input("s_axis_tlast", 1);
        Node mready = d.input("m_axis_tready", 1);

        // ---- state ----
        Node inBeat = d.reg("in_beat", C, bw, 0);
        Node ldFull = d.reg("ld_full", C, 1, 0);
        Node frameErr = d.reg("frame_err", C, 1, 0);
        Node ld = d.reg("ld", M, 8, inputs, Bits.of(8, 0));
        Node cur = d.reg("cur", M, 8, inputs, Bits.of(8, 0));
        Node q = d.reg("q", C, classWidth, FIFO_DEPTH, Bits.of(classWidth, 0));
        Node qWr = d.reg("q_wr", C, 1, 0);
        Node qRd = d.reg("q_rd", C, 1, 0);
        Node qN = d.reg("q_n", C, 2, 0);

        // ---- the core ----
        // start request: a complete image waits and the output FIFO is empty (so that the result of
        // the previous inference, pushed at this edge at the latest, and this one's fit in two
        // entries). The core takes it when it is idle (its start is ignored while busy).
        Node qEmpty = op(d, "q_empty", C, Op.EQ, 1, r(qN), r(d.constant("q_n_zero", C, 2, 0)));
        Node startReq = op(d, "start_req", C, Op.AND, 1, r(ldFull), r(qEmpty));
        Map<String, Ref> conn = new HashMap<>();
        conn.put(START, r(startReq));
        conn.put(CORE_PIXELS, Ref.array(cur));
        Instance ci = d.instance(CORE_INSTANCE, core, 1, conn);
        Node busy = ci.out(BUSY), done = ci.out(DONE), cls = ci.out(CLASS);
        // the core's start edge (its ctl_start_ok): cur takes the waiting image, ld is free again
        Node go = op(d, "start_go", C, Op.AND, 1, r(startReq), r(op(d, "core_idle", C, Op.NOT, 1, r(busy))));

        // ---- input stream and framing ----
        Node tready = op(d, "s_ready", IO, Op.OR, 1, r(op(d, "ld_free", C, Op.NOT, 1, r(ldFull))), r(go));
        Node accept = op(d, "s_accept", C, Op.AND, 1, r(tvalid), r(tready));
        Node atLast = op(d, "in_at_last", C, Op.EQ, 1, r(inBeat), r(d.constant("in_last_beat", C, bw, B - 1)));
        Node ends = op(d, "in_ends", C, Op.AND, 1, r(accept), r(op(d, "in_end", C, Op.OR, 1, r(atLast), r(tlast))));
        Node good = op(d, "in_good", C, Op.AND, 1, r(ends), r(op(d, "in_framed", C, Op.AND, 1, r(atLast), r(tlast))));
        Node bad = op(d, "in_bad", C, Op.AND, 1, r(ends), r(op(d, "in_misframed", C, Op.XOR, 1, r(atLast), r(tlast))));
        Node beatInc = op(d, "in_beat_inc", C, Op.ADD, bw, r(inBeat), r(d.constant("in_one", C, bw, 1)));
        d.connect(inBeat, r(op(d, "in_beat_next", C, Op.MUX, bw, r(ends), r(beatInc), r(d.constant("in_beat_zero", C, bw, 0)))), r(accept));
        // ld_full: set by a well-framed last beat, cleared by the start edge (both at once: a one-beat image)
        d.connect(ldFull, r(op(d, "ld_full_next", C, Op.OR, 1, r(good), r(op(d, "ld_keep", C, Op.AND, 1, r(ldFull),
                r(op(d, "not_go", C, Op.NOT, 1, r(go))))))), null);
        d.connect(frameErr, r(d.constant("frame_err_set", C, 1, 1)), r(bad));
        // the load buffer: pixel i is lane i mod P of beat i / P; bit b of it is bit 8 (i mod P) + b of tdata
        Bits[] beatOf = new Bits[inputs], beats = new Bits[B];
        int iw = bitsFor(8L * P - 1);
        for (int i = 0; i < inputs; i++) beatOf[i] = Bits.of(bw, i / P);
        for (int b = 0; b < B; b++) beats[b] = Bits.of(bw, b);
        Node beatDec = d.op("ld_beat_sel", C, Op.EQ, 1, B, new int[0], r(inBeat), r(d.constArray("ld_beats", C, bw, beats)));
        Node pixBeat = d.op("ld_pix_sel", C, Op.ARRAY_GET, 1, inputs, new int[0], Ref.array(beatDec), r(d.constArray("ld_beat_of", C, bw, beatOf)));
        Node ldEn = d.op("ld_en", C, Op.AND, 1, inputs, new int[0], r(accept), r(pixBeat));
        Ref[] laneBits = new Ref[8];
        for (int b = 0; b < 8; b++) {
            Bits[] idx = new Bits[inputs];
            for (int i = 0; i < inputs; i++) idx[i] = Bits.of(iw, 8L * (i % P) + b);
            laneBits[7 - b] = r(d.op("ld_lane_b" + b, M, Op.INDEX, 1, inputs, new int[0], r(tdata), r(d.constArray("ld_lane_idx" + b, C, iw, idx))));
        }
        Node lane = d.op("ld_lane", M, Op.CONCAT, 8, inputs, new int[0], laneBits);
        d.connect(ld, r(lane), r(ldEn));
        d.connect(cur, r(ld), r(go));

        // ---- output FIFO ----
        Bits[] slots = new Bits[FIFO_DEPTH];
        for (int e = 0; e < FIFO_DEPTH; e++) slots[e] = Bits.of(1, e);
        Node qSel = d.op("q_sel", C, Op.EQ, 1, FIFO_DEPTH, new int[0], r(qWr), r(d.constArray("q_slots", C, 1, slots)));
        d.connect(q, r(cls), r(d.op("q_we", C, Op.AND, 1, FIFO_DEPTH, new int[0], r(done), r(qSel))));
        Node one1 = d.constant("q_one", C, 1, 1);
        d.connect(qWr, r(op(d, "q_wr_next", C, Op.ADD, 1, r(qWr), r(one1))), r(done));
        Node mvalid = op(d, "m_valid", IO, Op.NOT, 1, r(qEmpty));
        Node pop = op(d, "m_pop", C, Op.AND, 1, r(mvalid), r(mready));
        d.connect(qRd, r(op(d, "q_rd_next", C, Op.ADD, 1, r(qRd), r(one1))), r(pop));
        Node qInc = op(d, "q_n_inc", C, Op.ADD, 2, r(qN), r(d.constant("q_n_one", C, 2, 1)));
        Node qDec = op(d, "q_n_dec", C, Op.SUB, 2, r(qN), r(d.constant("q_n_one_d", C, 2, 1)));
        Node qNext = op(d, "q_n_next", C, Op.MUX, 2, r(done), r(qDec), r(qInc)); // push and pop at once: the enable is off
        d.connect(qN, r(qNext), r(op(d, "q_n_en", C, Op.XOR, 1, r(done), r(pop))));
        Node head = d.op("m_head", C, Op.ARRAY_GET, classWidth, 1, new int[0], Ref.array(q), r(qRd));
        Node mdata = op(d, "m_data", IO, Op.ZEXT, ow, r(head));

        d.output("s_axis_tready", tready);
        d.output("m_axis_tdata", mdata);
        d.output("m_axis_tvalid", mvalid);
        d.output("m_axis_tlast", d.constant("m_last", IO, 1, 1));
        d.output("frame_error", frameErr);
        d.portOrder(PORTS);
        d.params().put("axis_pixels_per_beat", P);
        d.params().put("axis_beats_per_image", B);
        d.validate();
        long interval = Math.max(B, cycles + 1), latency = B + cycles + 1;
        return new Axis(d, core, sd, P, B, interval, latency, Flatten.flatten(d));
    }

    private static Node op(Design d, String n, Tag t, Op op, int w, Ref... a) {
        return d.op(n, t, op, w, 1, new int[0], a);
    }

    static int bitsFor(long max) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(max));
    }

    private static Ref r(Node n) {
        return Ref.of(n);
    }
}
