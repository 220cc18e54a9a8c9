package scnn.generator.arch;

import scnn.core.model.Encoding;

import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.ir.Bits;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * A layer of the analog baseline: one s-MTJ per synapse biased to its weight (behavioural model:
 * per-input random words, {@link SynapseRng}, compared over bit planes), and per hidden neuron a
 * DAC input register loaded with the accumulated count; the next layer's input s-MTJs are biased by
 * a DAC from that count (the s-MTJ sigmoid is the activation).
 */
final class AnalogLayer extends LayerBuilder {
    /** The largest accumulator magnitude of this layer (the next layer's DAC table covers it). */
    private long maxAbs;

    AnalogLayer(BuildContext bx, int l1, ControlFsm.Control ctl) {
        super(bx, l1, ctl);
        ScConfig cfg = bx.cfg;
        Network net = bx.net;
        if (cfg.encoding() != Encoding.SIGN_MAGNITUDE) throw new IllegalArgumentException(net.name() + ": the analog architecture supports only the sign-magnitude encoding");
        if (cfg.fold() != 1) throw new IllegalArgumentException(net.name() + ": the analog architecture supports only --fold 1");
        if (cfg.replay() != null) throw new IllegalArgumentException(net.name() + ": the analog architecture has per-synapse s-MTJs, which --replay (recorded level streams) does not cover");
    }

    /**
     * The multiply-accumulate array. Synapse (o, i) has its own s-MTJ, biased to
     * P(1) = t_oi / 2^D with t_oi = |v(code_oi)| 2^D: each cycle it fires when its uniform D-bit word
     * s_oi reaches {@code T_oi = 2^D - t_oi}. The words come from per-input generators ({@link SynapseRng}).
     * The comparison runs over bit planes for all synapses at once: with c_0 = 1,
     * {@code c_(k+1) = maj(s_k, ~T_k, c_k)} is {@code s >= T} on bits 0..k, written as
     * {@code (s_k & ~T_k) | (c_k & (s_k | ~T_k))}, which folds to one gate per bit once T is constant.
     * Product: AND with the input stream; the weight's sign steers it to the up or down count, as in
     * the quantized design.
     */
    @Override
    Node multiplyAccumulate(Node xBits, Node neg) {
        Network net = bx.net;
        ScConfig cfg = bx.cfg;
        Layer L = layer;
        int in = L.inputs(), out = L.outputs(), D = ScBuilder.synapseBits(net);
        long full = 1L << D;
        long[][] t = new long[out][in];
        long devices = 0;
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++) {
                t[o][i] = Math.round(Math.abs(net.levelValue(L.code(o, i))) * full);
                if (t[o][i] > 0 && t[o][i] < full) devices++;
            }
        ChipVariation chip = cfg.chip();
        if (!chip.ideal()) {
            // a varied chip: every synapse device (0 < t < 2^D) gets its own threshold round(p_i 2^16) (16-bit
            // planes); its chip index is first + k for the k-th device in (neuron, input) order, from indices of
            // their own (the running indices, and so every seed, are the ideal chip's); zero and unit weights
            // have no device and stay constant
            long first = bx.reserveChipOnlyDevices(devices);
            long kth = 0;
            for (int o = 0; o < out; o++)
                for (int i = 0; i < in; i++) {
                    long x = t[o][i];
                    if (x > 0 && x < full) t[o][i] = chip.threshold(first + kth++, SmtjModel.threshold(Math.abs(net.levelValue(L.code(o, i)))));
                    else t[o][i] = x == 0 ? 0 : 65536;
                }
            chip.report(flatName("syn"), first, devices, bx.chipReport);
            D = 16;
            full = 1L << D;
            devices = SynapseDevices.devices(t, D);
        }
        bx.synapseDevices += devices;
        Tag T = Tag.STREAM;
        Node w = SynapseDevices.streams(host(), "syn", "wa", "wb", t, D, cfg.synapseRng());
        bx.groups.add(new ScDesign.SourceGroup(flatName("syn"), "per-synapse weight s-MTJs of layer " + l1 + " (" + cfg.synapseRng().key() + " words)",
                (int) devices, l1, flatName("syn_state")));

        Bits[] pos = new Bits[out], negs = new Bits[out];
        int zc = net.zeroCode();
        for (int o = 0; o < out; o++) {
            int oo = o;
            pos[o] = Bits.fromBits(in, i -> t[oo][i] > 0 && L.code(oo, i) > zc);
            negs[o] = Bits.fromBits(in, i -> t[oo][i] > 0 && L.code(oo, i) < zc);
        }
        Tag M = Tag.MULTIPLIER;
        Node xg = op("x", T, Op.PACK, in, 1, Ref.array(xBits));
        Node prod = op("prod", M, Op.AND, in, out, r(xg), r(w));
        Node up = op("up", M, Op.AND, in, out, r(prod), r(d.constArray("wpos", Tag.MEMORY, in, pos)));
        Node dn = op("dn", M, Op.AND, in, out, r(prod), r(d.constArray("wneg", Tag.MEMORY, in, negs)));
        maxAbs = Accumulator.maxCount(this, in);
        return Accumulator.build(this, up, dn, in, Accumulator.width(maxAbs));
    }

    /** The DAC input register of a hidden layer, loaded with the accumulators when the layer ends. */
    @Override
    Node hiddenOutput(Node acc) {
        Tag R = Tag.REQUANTIZER;
        int aw = acc.width(), out = acc.count();
        Node h = d.reg("dac_in", R, aw, out, Bits.of(aw, 0));
        Node li = layerIndex();
        Node en = op("dac_en", R, Op.AND, 1, 1, r(step()), r(op("is_dac", R, Op.EQ, 1, 1, r(li), r(k("dac_index", R, li.width(), l1 - 1)))));
        Node startOk = startOk();
        d.connect(h, r(op("dac_next", R, Op.MUX, aw, out, r(startOk), r(acc), r(k("dac_clear", R, aw, 0)))),
                r(op("dac_load", R, Op.OR, 1, 1, r(startOk), r(en))));
        bx.dacConversions += out;
        d.probe("dac_conversions", en, out);
        return h;
    }

    /**
     * Input sources of layer {@code l1} (>= 2): one output s-MTJ per neuron of the previous
     * layer, biased by a DAC from the latched count. The DAC is a ROM from count to probability
     * threshold, {@code round(65536 sigmoid(scale * acc / N))} ({@link Activation#smtjThreshold}), over the
     * counts where the threshold is neither 0 nor 65536; counts outside clamp to its ends.
     */
    @Override
    Node[] hiddenSources(Node dac, LayerBuilder prevBuilder) {
        Tag T = Tag.STREAM;
        String n = "in";
        Layer prev = prevBuilder.layer;
        int N = bx.cfg.bits(), aw = dac.width();
        double g = prev.scale();
        long maxAbs = ((AnalogLayer) prevBuilder).maxAbs;
        int out = dac.count();
        // a varied chip: device j's offset delta_j, quantized to one DAC count (g / N sigmoid widths), is the count
        // shift s_j = round(sigma z_j N / g): it reads the table at acc + s_j, p_j = sigmoid(g (acc + s_j) / N)
        ChipVariation chip = bx.cfg.chip();
        long first = bx.nextDevice();
        long[] shift = new long[out];
        int[] stuck = new int[out];
        long sMin = 0, sMax = 0;
        for (int j = 0; j < out; j++) {
            stuck[j] = chip.stuck(first + j);
            shift[j] = chip.ideal() || stuck[j] >= 0 ? 0 : Math.round(chip.variation() * chip.normal(first + j) * N / g);
            sMin = Math.min(sMin, shift[j]);
            sMax = Math.max(sMax, shift[j]);
        }
        long lo = Math.max(-maxAbs + sMin, (long) Math.floor(-12.0 * N / g));
        long hi = Math.min(maxAbs + sMax, (long) Math.ceil(12.0 * N / g));
        while (lo < hi && Activation.smtjThreshold(g * (lo + 1) / N) == 0) lo++;
        while (hi > lo && Activation.smtjThreshold(g * (hi - 1) / N) == 65536) hi--;
        long size = hi - lo + 1;
        if (size > 1 << 22) throw new IllegalArgumentException(bx.net.name() + ": the DAC table of layer " + (l1 - 1) + " would have " + size + " entries (scale " + g + " too small for N = " + N + ")");
        Bits[] rom = new Bits[(int) size];
        for (int j = 0; j < size; j++) rom[j] = Bits.of(17, Activation.smtjThreshold(g * (lo + j) / N));
        Node romC = d.constArray(n + "_dac_rom", Tag.MEMORY, 17, rom);
        int dw = aw + 1, iw = ScBuilder.bitsFor(Math.max(1, size - 1));
        Node diff;
        if (chip.ideal()) {
            diff = op(n + "_dac_off", T, Op.SUB, dw, out, r(op(n + "_dac_x", T, Op.SEXT, dw, out, r(dac))), r(k(n + "_dac_lo", T, dw, lo)));
        } else {
            // per device: acc - (lo - s_j), wide enough for both terms
            long far = 0;
            for (long x : shift) far = Math.max(far, Math.abs(lo - x));
            dw = Math.max(dw, ScBuilder.bitsFor(maxAbs + far) + 1);
            Bits[] base = new Bits[out];
            for (int j = 0; j < out; j++) base[j] = Bits.of(dw, lo - shift[j]);
            diff = op(n + "_dac_off", T, Op.SUB, dw, out, r(op(n + "_dac_x", T, Op.SEXT, dw, out, r(dac))), r(d.constArray(n + "_dac_lo", T, dw, base)));
        }
        Node below = op(n + "_dac_below", T, Op.LTS, 1, out, r(diff), r(k(n + "_dac_zero", T, dw, 0)));
        Node above = op(n + "_dac_above", T, Op.LTS, 1, out, r(k(n + "_dac_top", T, dw, size - 1)), r(diff));
        Node c1 = op(n + "_dac_clamp_hi", T, Op.MUX, dw, out, r(above), r(diff), r(k(n + "_dac_topv", T, dw, size - 1)));
        Node c2 = op(n + "_dac_clamp", T, Op.MUX, dw, out, r(below), r(c1), r(k(n + "_dac_zerov", T, dw, 0)));
        Node idx = opP(n + "_dac_idx", T, Op.SLICE, iw, out, 0, r(c2));
        Node p = op(n + "_p", T, Op.ARRAY_GET, 17, out, Ref.array(romC), r(idx));
        if (!chip.ideal()) {
            // stuck devices: P(1) forced to 0 or 1 (per-device constants), whatever the DAC sets
            boolean anyStuck = false;
            Bits[] keep = new Bits[out], force = new Bits[out];
            double[] offsets = new double[out];
            for (int j = 0; j < out; j++) {
                anyStuck |= stuck[j] >= 0;
                keep[j] = Bits.of(17, stuck[j] >= 0 ? 0 : 0x1ffff);
                force[j] = Bits.of(17, stuck[j] == 1 ? 65536 : 0);
                offsets[j] = shift[j] * g / N;
            }
            if (anyStuck)
                p = op(n + "_chip_p", T, Op.OR, 17, out, r(op(n + "_chip_keep", T, Op.AND, 17, out, r(p), r(d.constArray(n + "_chip_live", T, 17, keep)))),
                        r(d.constArray(n + "_chip_force", T, 17, force)));
            chip.report(flatName(n), first, offsets, bx.chipReport);
        }
        Node bits = smtjGroup(n, "hidden-neuron output s-MTJs of layer " + (l1 - 1) + " (DAC-biased, sigmoid)", out, p);
        return new Node[] {bits, null};
    }
}
