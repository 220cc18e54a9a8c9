package scnn.generator.arch;

import java.util.LinkedHashMap;
import java.util.Map;
import scnn.ir.Design;
import scnn.ir.Instance;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * The control FSM, module {@code <top>_ctrl} (instance {@code ctl}): layer by layer,
 * {@code N * fold} accumulate cycles and one requantize (or finish) cycle each, so
 * {@code cycles = layers * (N * fold + 1)} (with the analog baseline's DAC latency L, {@code L - 1}
 * more wait cycles after each hidden layer's activation cycle, {@link DacModel}); the inference counter k and the inference key
 * {@code K = fmix32(k ^ S)} of the random-stream rule, registered ({@link #KEY_LATENCY}). Input {@code start}; outputs (the top's
 * nodes {@code ctl_<port>}): {@code busy}, {@code done}, {@code start_ok} (an accepted start: the
 * reseed pulse), {@code first} (the first cycle of a layer: a fresh draw), {@code acc_phase},
 * {@code layer} (index of the running layer), {@code step} (a layer's last cycle; with hidden
 * layers), {@code finish}, {@code key}, and with fold > 1 {@code group} (the synapse group of the
 * cycle).
 */
final class ControlFsm extends ModuleBuilder {
    /** The instance name; node {@code x} of the FSM is {@code ctl_x} in the flat design. */
    static final String INSTANCE = "ctl";
    /** The inference counter register (k: starts since reset) in the module. */
    static final String COUNTER = "infer_count";

    /** The FSM's outputs as nodes of the parent design; {@code step} and {@code group} are null when absent. */
    record Control(Node busy, Node done, Node startOk, Node first, Node accPhase, Node layer, Node step, Node finish, Node key, Node group) {}

    private final BuildContext bx;

    ControlFsm(BuildContext bx) {
        super(bx.top + "_ctrl");
        this.bx = bx;
    }

    /** Builds the FSM, instantiates it in {@code parent} reading {@code start}, and returns its outputs there. */
    Control place(Design parent, Node start) {
        int nl = bx.net.layers().size(), nf = bx.cyclesPerLayer(), fold = bx.cfg.fold();
        Tag C = Tag.CONTROL;
        Node busy = d.reg("busy", C, 1, 0);
        Node startOk = op("start_ok", C, Op.AND, 1, 1, r(port("start", start)), r(op("idle", C, Op.NOT, 1, 1, r(busy))));
        int wait = bx.dacWaitCycles();
        Node first, accPhase, step, finish, layerReg;
        if (wait == 0) {
            int cyw = ScBuilder.bitsFor(nf);
            Node cyc = d.reg("cyc", C, cyw, 0);
            int lw = ScBuilder.bitsFor(nl - 1);
            layerReg = d.reg("layer", C, lw, 0);
            Node cycLast = op("cyc_last", C, Op.EQ, 1, 1, r(cyc), r(k("nf", C, cyw, nf)));
            first = op("first", C, Op.EQ, 1, 1, r(cyc), r(k("zero_cyc", C, cyw, 0)));
            accPhase = op("acc_phase", C, Op.AND, 1, 1, r(busy), r(op("not_last", C, Op.NOT, 1, 1, r(cycLast))));
            step = op("step", C, Op.AND, 1, 1, r(busy), r(cycLast));
            Node lastLayer = op("last_layer", C, Op.EQ, 1, 1, r(layerReg), r(k("nl1", C, lw, nl - 1)));
            finish = op("finish", C, Op.AND, 1, 1, r(step), r(lastLayer));
            d.connect(busy, r(op("busy_next", C, Op.OR, 1, 1, r(startOk),
                    r(op("busy_keep", C, Op.AND, 1, 1, r(busy), r(op("not_finish", C, Op.NOT, 1, 1, r(finish))))))), null);
            Node cycInc = op("cyc_inc", C, Op.ADD, cyw, 1, r(cyc), r(k("one_cyc", C, cyw, 1)));
            Node cycClear = op("cyc_clear", C, Op.OR, 1, 1, r(startOk), r(cycLast));
            d.connect(cyc, r(op("cyc_next", C, Op.MUX, cyw, 1, r(cycClear), r(cycInc), r(k("cyc_zero", C, cyw, 0)))),
                    r(op("cyc_en", C, Op.OR, 1, 1, r(startOk), r(busy))));
            Node layerInc = op("layer_inc", C, Op.ADD, lw, 1, r(layerReg), r(k("one_layer", C, lw, 1)));
            d.connect(layerReg, r(op("layer_next", C, Op.MUX, lw, 1, r(startOk), r(layerInc), r(k("layer_zero", C, lw, 0)))),
                    r(op("layer_en", C, Op.OR, 1, 1, r(startOk), r(step))));
        } else {
            // the analog baseline's DAC conversion latency: after a hidden layer's latch cycle (cyc = nf) the
            // control waits `wait` more cycles (cyc = nf + 1 .. nf + wait: nothing samples, nothing adds)
            // before the next layer's first cycle; the last layer ends at its latch cycle as before
            int cyw = ScBuilder.bitsFor(nf + wait);
            Node cyc = d.reg("cyc", C, cyw, 0);
            int lw = ScBuilder.bitsFor(nl - 1);
            layerReg = d.reg("layer", C, lw, 0);
            Node accEnd = op("cyc_acc_end", C, Op.EQ, 1, 1, r(cyc), r(k("nf", C, cyw, nf)));
            first = op("first", C, Op.EQ, 1, 1, r(cyc), r(k("zero_cyc", C, cyw, 0)));
            accPhase = op("acc_phase", C, Op.AND, 1, 1, r(busy), r(op("in_acc", C, Op.LTU, 1, 1, r(cyc), r(k("nf_acc", C, cyw, nf)))));
            step = op("step", C, Op.AND, 1, 1, r(busy), r(accEnd));
            Node lastLayer = op("last_layer", C, Op.EQ, 1, 1, r(layerReg), r(k("nl1", C, lw, nl - 1)));
            finish = op("finish", C, Op.AND, 1, 1, r(step), r(lastLayer));
            Node waitEnd = op("dac_wait_end", C, Op.AND, 1, 1, r(busy),
                    r(op("cyc_wait_last", C, Op.EQ, 1, 1, r(cyc), r(k("nf_wait", C, cyw, nf + wait)))));
            d.connect(busy, r(op("busy_next", C, Op.OR, 1, 1, r(startOk),
                    r(op("busy_keep", C, Op.AND, 1, 1, r(busy), r(op("not_finish", C, Op.NOT, 1, 1, r(finish))))))), null);
            Node cycInc = op("cyc_inc", C, Op.ADD, cyw, 1, r(cyc), r(k("one_cyc", C, cyw, 1)));
            Node cycClear = op("cyc_clear", C, Op.OR, 1, 1, r(startOk), r(op("cyc_wrap", C, Op.OR, 1, 1, r(finish), r(waitEnd))));
            d.connect(cyc, r(op("cyc_next", C, Op.MUX, cyw, 1, r(cycClear), r(cycInc), r(k("cyc_zero", C, cyw, 0)))),
                    r(op("cyc_en", C, Op.OR, 1, 1, r(startOk), r(busy))));
            Node layerInc = op("layer_inc", C, Op.ADD, lw, 1, r(layerReg), r(k("one_layer", C, lw, 1)));
            d.connect(layerReg, r(op("layer_next", C, Op.MUX, lw, 1, r(startOk), r(layerInc), r(k("layer_zero", C, lw, 0)))),
                    r(op("layer_en", C, Op.OR, 1, 1, r(startOk), r(waitEnd))));
        }
        Node done = d.reg("done", C, 1, 0);
        d.connect(done, r(finish), null);
        Node kreg = d.reg(COUNTER, C, 32, 0);
        d.connect(kreg, r(op("infer_next", C, Op.ADD, 32, 1, r(kreg), r(k("one32", C, 32, 1)))), r(startOk));
        Node grp = null;
        if (fold > 1) {
            int gw = ScBuilder.bitsFor(fold - 1);
            grp = d.reg("grp", C, gw, 0);
            Node grpLast = op("grp_last", C, Op.EQ, 1, 1, r(grp), r(k("grp_max", C, gw, fold - 1)));
            Node grpInc = op("grp_inc", C, Op.ADD, gw, 1, r(grp), r(k("one_grp", C, gw, 1)));
            Node grpClear = op("grp_clear", C, Op.OR, 1, 1, r(startOk), r(grpLast));
            d.connect(grp, r(op("grp_next", C, Op.MUX, gw, 1, r(grpClear), r(grpInc), r(k("grp_zero", C, gw, 0)))),
                    r(op("grp_en", C, Op.OR, 1, 1, r(startOk), r(accPhase))));
        }
        Node key = inferenceKey(kreg);

        Map<String, Node> outs = new LinkedHashMap<>();
        outs.put("busy", busy);
        outs.put("done", done);
        outs.put("start_ok", startOk);
        outs.put("first", first);
        outs.put("acc_phase", accPhase);
        outs.put("layer", layerReg);
        if (nl > 1) outs.put("step", step);
        outs.put("finish", finish);
        outs.put("key", key);
        if (grp != null) outs.put("group", grp);
        for (Map.Entry<String, Node> e : outs.entrySet()) d.output(e.getKey(), e.getValue());
        Instance inst = instantiate(parent, INSTANCE);
        return new Control(inst.out("busy"), inst.out("done"), inst.out("start_ok"), inst.out("first"), inst.out("acc_phase"), inst.out("layer"),
                nl > 1 ? inst.out("step") : null, inst.out("finish"), inst.out("key"), grp != null ? inst.out("group") : null);
    }

    /**
     * Clock edges from a change of the inference counter until the key registers hold its key
     * ({@link #inferenceKey}): the key is registered in two stages (one 32 x 32 multiplication
     * each), recomputed from the counter every cycle. Two accepted starts are at least
     * {@code cycles + 1 >= 3} edges apart (a start is accepted only when the FSM is idle), so the
     * key the devices read at a start is always K(k) of the counter k at that start: the same value
     * as a combinational hash of the counter, bit for bit. A simulator that pokes the counter
     * directly clocks this many idle cycles (start = 0) before the start.
     */
    static final int KEY_LATENCY = 2;
    /** The key registers in the module, in pipeline order (the last is the key). */
    static final java.util.List<String> KEY_REGISTERS = java.util.List.of("key_st1", "key_reg");

    /**
     * K = fmix32(k ^ S), the per-inference key mixed into every device's seed, as a two-stage
     * pipeline of the counter (registers {@code key_st1}: the hash up to its first multiplication,
     * {@code key_reg}: K), so that the key's fan-out into every device starts at a flip-flop and
     * no path carries both multiplications (on the full nets the combinational hash was the
     * critical path). The reset values are the stages' values for k = 0, so that a start right
     * after reset reads K(0).
     */
    private Node inferenceKey(Node kreg) {
        Tag C = Tag.CONTROL;
        long s = ScBuilder.splitmix(bx.cfg.seed() ^ 0x5eed5eedL) & 0xffffffffL;
        Node st1 = d.reg(KEY_REGISTERS.get(0), C, 32, keyStage1(0, s));
        Node key = d.reg(KEY_REGISTERS.get(1), C, 32, keyStage2(keyStage1(0, s)));
        Node h = op("key_h0", C, Op.XOR, 32, 1, r(kreg), r(k("key_s", C, 32, s)));
        h = op("key_h1", C, Op.XOR, 32, 1, r(h), r(opP("key_h0s", C, Op.SHR, 32, 1, 16, r(h))));
        h = op("key_h2", C, Op.MUL, 32, 1, r(h), r(k("key_m1", C, 32, M1)));
        d.connect(st1, r(h), null);
        h = op("key_h3", C, Op.XOR, 32, 1, r(st1), r(opP("key_h2s", C, Op.SHR, 32, 1, 13, r(st1))));
        h = op("key_h4", C, Op.MUL, 32, 1, r(h), r(k("key_m2", C, 32, M2)));
        d.connect(key, r(op("key_k", C, Op.XOR, 32, 1, r(h), r(opP("key_h4s", C, Op.SHR, 32, 1, 16, r(h))))), null);
        return key;
    }

    private static final long M1 = 0x85ebca6bL, M2 = 0xc2b2ae35L;

    /** The first stage of the key for counter value k: ((k ^ S) ^ ((k ^ S) >>> 16)) * M1 mod 2^32. */
    static long keyStage1(long k, long s) {
        long h = (k ^ s) & 0xffffffffL;
        h ^= h >>> 16;
        return (h * M1) & 0xffffffffL;
    }

    /** The second stage: K from the first stage's value. */
    static long keyStage2(long h) {
        h ^= h >>> 13;
        h = (h * M2) & 0xffffffffL;
        return h ^ (h >>> 16);
    }
}
