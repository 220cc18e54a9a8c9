package scnn.generator.arch;

import scnn.core.model.Encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import scnn.core.weights.Activation;
import scnn.core.weights.Network;
import scnn.ir.Bits;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * A layer of the paper's quantized SC-ANN. Input sources: one s-MTJ per pixel or per hidden
 * neuron of the previous layer (biased by its level code at P(1) = |value| of the previous
 * layer's output grid). Per layer one shared bank of s-MTJs, one per random weight level
 * (magnitude in sign-magnitude; value in bipolar; levels of probability 0 or 1 are the constants 0
 * and 1; levels with a recorded trace replay it, {@link ReplayCell}). Per output neuron
 * {@code P = ceil(inputs / fold)} one-bit multipliers (AND, or XNOR for bipolar) whose weight
 * streams are selected from the bank by the weight codes in a ROM; the product's sign steers it into
 * the up or the down popcount ({@link Accumulator}). A hidden layer ends in a {@link Requantizer}.
 */
final class QuantizedLayer extends LayerBuilder {
    /** Ladder thresholds of this layer (a hidden layer), or none. */
    private long[][] thr = new long[0][];

    QuantizedLayer(BuildContext bx, int l1, ControlFsm.Control ctl) {
        super(bx, l1, ctl);
    }

    /**
     * One s-MTJ per hidden neuron, biased by its level code at P(1) = |value| of the previous
     * layer's output grid; the sign (sign-magnitude) only when the grid has negative values.
     */
    @Override
    Node[] hiddenSources(Node codes, LayerBuilder prev) {
        Tag T = Tag.STREAM;
        Network net = bx.net;
        double[] grid = net.hiddenValues(l1 - 2);
        int L = grid.length;
        int cw = codes.width();
        Bits[] tab = new Bits[L];
        for (int c = 0; c < L; c++) {
            double v = grid[c];
            double p = bx.cfg.encoding() == Encoding.BIPOLAR ? (v + 1) / 2 : Math.abs(v);
            tab[c] = Bits.of(17, SmtjModel.threshold(p));
        }
        Node p;
        if (bx.cfg.chip().ideal()) {
            Node ptab = d.constArray("in_ptab", T, 17, tab);
            p = op("in_p", T, Op.ARRAY_GET, 17, codes.count(), Ref.array(ptab), r(codes));
        } else {
            int[] nominal = new int[L];
            for (int c = 0; c < L; c++) nominal[c] = (int) tab[c].low();
            p = bx.cfg.chip().table(d, "in", flatName("in"), bx.nextDevice(), codes, nominal, bx.chipReport);
        }
        Node bits = smtjGroup("in", "hidden-neuron streams of layer " + (l1 - 1), codes.count(), p);
        Node neg = null;
        if (bx.cfg.encoding() == Encoding.SIGN_MAGNITUDE && !Network.unsignedGrid(grid))
            neg = op("in_neg", T, Op.LTU, 1, codes.count(), r(codes), r(k("in_zero_code", T, cw, Requantizer.gridZero(net, l1 - 2))));
        return new Node[] {bits, neg};
    }

    @Override
    Node multiplyAccumulate(Node xBits, Node xNegOrNull) {
        Network net = bx.net;
        ScConfig cfg = bx.cfg;
        int in = layer.inputs(), out = layer.outputs(), F = cfg.fold();
        int P = (in + F - 1) / F;
        boolean sm = cfg.encoding() == Encoding.SIGN_MAGNITUDE;
        int levels = net.levels(), zc = net.zeroCode();
        WeightSources mode = cfg.weightSources();
        if (mode == WeightSources.SYNAPSE && F != 1) throw new IllegalArgumentException(net.name() + ": --weight-sources synapse supports only --fold 1");
        if (mode == WeightSources.SYNAPSE && cfg.replay() != null)
            throw new IllegalArgumentException(net.name() + ": --weight-sources synapse has per-synapse s-MTJs, which --replay (recorded level streams) does not cover");

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
        Node[] neuronBanks = null;
        if (mode == WeightSources.NEURON && !randomIdx.isEmpty()) {
            // one bank per output neuron: group wb<j> has one device of level randomIdx[j] per neuron
            neuronBanks = new Node[randomIdx.size()];
            for (int j = 0; j < neuronBanks.length; j++) {
                int[] nominal = new int[out];
                java.util.Arrays.fill(nominal, thresholds.get(randomIdx.get(j)));
                Bits[] pt = new Bits[out];
                for (int o = 0; o < out; o++) pt[o] = Bits.of(17, nominal[o]);
                if (!cfg.chip().ideal()) pt = cfg.chip().constants(flatName("wb" + j), bx.nextDevice(), nominal, bx.chipReport);
                Node pc = d.constArray("wb" + j + "_p", Tag.STREAM, 17, pt);
                neuronBanks[j] = smtjGroup("wb" + j, "weight-level streams of layer " + l1 + ", level " + j + ", one per neuron", out, pc);
            }
        } else if (mode == WeightSources.LAYER && !randomIdx.isEmpty()) {
            Bits[] pt = new Bits[randomIdx.size()];
            for (int j = 0; j < pt.length; j++) pt[j] = Bits.of(17, thresholds.get(randomIdx.get(j)));
            if (!cfg.chip().ideal())
                pt = cfg.chip().constants(flatName("wb"), bx.nextDevice(), randomIdx.stream().mapToInt(thresholds::get).toArray(), bx.chipReport);
            Node pc = d.constArray("wb_p", Tag.STREAM, 17, pt);
            bankBits = smtjGroup("wb", "weight-level streams of layer " + l1, pt.length, pc);
        }
        if (!replayIdx.isEmpty()) replayBits = replayGroup(replayIdx.stream().mapToInt(b -> rp.traceFor(thresholds.get(b))).toArray());
        Ref[] bankParts = new Ref[B];
        for (int b = 0; b < B; b++) {
            int j = randomIdx.indexOf(b);
            int jr = replayIdx.indexOf(b);
            Ref part;
            if (j >= 0 && neuronBanks != null) part = r(neuronBanks[j]);
            else if (j >= 0 && bankBits != null) part = Ref.elem(bankBits, j);
            else if (j >= 0) part = null; // per-synapse devices: no bank
            else if (jr >= 0) part = Ref.elem(replayBits, jr);
            else part = r(k("bank_c" + b, Tag.STREAM, 1, thresholds.get(b) == 0 ? 0 : 1));
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
                    codeOf[o * F + f][q] = i < in ? bankOf[layer.code(o, i)] : (sm ? padCode : bankOf[padCode]);
                }
                if (sm) sgn[o * F + f] = Bits.fromBits(P, q -> q * F + ff < in && layer.code(oo, q * F + ff) < zc);
            }
        List<Node> maskRoms = new ArrayList<>();
        List<Integer> maskEntries = new ArrayList<>();
        for (int b = 0; b < B && mode != WeightSources.SYNAPSE; b++) {
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
            maskRoms.add(d.constArray("wmask" + b, Tag.MEMORY, P, m));
            maskEntries.add(b);
        }
        Node sgnRom = sm ? d.constArray("wsgn", Tag.MEMORY, P, sgn) : null;
        List<Node> maskRows = new ArrayList<>();
        Node sgnRow;
        Node xg, xnegG = null, valid = null;
        if (F == 1) {
            maskRows.addAll(maskRoms);
            sgnRow = sgnRom;
            xg = op("x", Tag.STREAM, Op.PACK, in, 1, Ref.array(xBits));
            if (xNegOrNull != null) xnegG = op("xneg", Tag.STREAM, Op.PACK, in, 1, Ref.array(xNegOrNull));
        } else {
            Node grp = group();
            int aw = ScBuilder.bitsFor((long) out * F - 1);
            Bits[] base = new Bits[out];
            for (int o = 0; o < out; o++) base[o] = Bits.of(aw, (long) o * F);
            Node addr = op("waddr", Tag.CONTROL, Op.ADD, aw, out, r(d.constArray("wbase", Tag.CONTROL, aw, base)),
                    r(zext("grp", Tag.CONTROL, grp, aw)));
            for (int j = 0; j < maskRoms.size(); j++)
                maskRows.add(op("wrow" + maskEntries.get(j), Tag.MEMORY, Op.ARRAY_GET, P, out, Ref.array(maskRoms.get(j)), r(addr)));
            sgnRow = sm ? op("wsgn_row", Tag.MEMORY, Op.ARRAY_GET, P, out, Ref.array(sgnRom), r(addr)) : null;
            // multiplier q takes inputs q*F + f (interleaved): with F a power of two the index is {q, f}
            int iw = ScBuilder.bitsFor((long) F * P);
            Bits[] qs = new Bits[P];
            for (int q = 0; q < P; q++) qs[q] = Bits.of(iw, (long) q * F);
            Node xidx = op("xidx", Tag.STREAM, Op.ADD, iw, P, r(d.constArray("q", Tag.STREAM, iw, qs)),
                    r(zext("grp_i", Tag.CONTROL, grp, iw)));
            Node xAll = op("xall", Tag.STREAM, Op.PACK, in, 1, Ref.array(xBits));
            xg = op("x", Tag.STREAM, Op.PACK, P, 1, Ref.array(op("xsel", Tag.STREAM, Op.INDEX, 1, P, r(xAll), r(xidx))));
            if (xNegOrNull != null) {
                Node nAll = op("xnegall", Tag.STREAM, Op.PACK, in, 1, Ref.array(xNegOrNull));
                xnegG = op("xneg", Tag.STREAM, Op.PACK, P, 1, Ref.array(op("xnegsel", Tag.STREAM, Op.INDEX, 1, P, r(nAll), r(xidx))));
            }
            if (!sm) valid = op("valid", Tag.STREAM, Op.PACK, P, 1, Ref.array(
                    op("xvalid", Tag.STREAM, Op.LTU, 1, P, r(xidx), r(k("inputs", Tag.STREAM, iw, in)))));
        }

        // --- multipliers ---------------------------------------------------------------------------
        Tag M = Tag.MULTIPLIER;
        Node ws = null;
        for (int j = 0; j < maskRows.size(); j++) {
            int b = maskEntries.get(j);
            Node term = thresholds.get(b) == 65536 ? maskRows.get(j)
                    : op("wterm" + b, Tag.STREAM, Op.AND, P, out, r(maskRows.get(j)), r(op("wbank" + b, Tag.STREAM, Op.SEXT, P,
                            bankParts[B - 1 - b].mode() == Ref.Mode.SAME ? out : 1, bankParts[B - 1 - b])));
            ws = ws == null ? term : op("wor" + b, Tag.STREAM, Op.OR, P, out, r(ws), r(term));
        }
        if (mode == WeightSources.SYNAPSE) ws = synapseStreams(thresholds, bankOf);
        if (ws == null) ws = d.constArray("wzero", Tag.STREAM, P, new Bits[] {Bits.zero(P)});
        ws = op("wstream", Tag.STREAM, Op.ZEXT, P, out, r(ws));
        Node up, dn;
        if (sm) {
            Node prod = op("prod", M, Op.AND, P, out, r(xg), r(ws));
            Node neg = xnegG == null ? sgnRow : op("neg", M, Op.XOR, P, out, r(sgnRow), r(xnegG));
            up = op("up", M, Op.AND, P, out, r(prod), r(op("pos", M, Op.NOT, P, out, r(neg))));
            dn = op("dn", M, Op.AND, P, out, r(prod), r(neg));
        } else {
            Node xn = op("prod", M, Op.XNOR, P, out, r(xg), r(ws));
            Node xf = op("prod_n", M, Op.NOT, P, out, r(xn));
            if (valid != null) {
                up = op("up", M, Op.AND, P, out, r(xn), r(valid));
                dn = op("dn", M, Op.AND, P, out, r(xf), r(valid));
            } else {
                up = xn;
                dn = xf;
            }
        }

        // --- accumulators ----------------------------------------------------------------------------
        long maxAbs = Accumulator.maxCount(this, in);
        if (layer.activation() == Activation.QUANTIZE) thr = Requantizer.thresholds(net, cfg.bits(), l1 - 1, layer);
        for (long[] tk : thr) for (long t : tk) maxAbs = Math.max(maxAbs, Math.abs(t));
        return Accumulator.build(this, up, dn, P, Accumulator.width(maxAbs));
    }

    /**
     * {@code --weight-sources synapse}: one s-MTJ per synapse biased at its level's probability
     * ({@link SynapseDevices}, the analog baseline's per-synapse devices with this layer's levels):
     * thresholds of D bits, the smallest D that expresses every level probability exactly, else (and
     * on a varied chip, whose per-synapse thresholds are the chip's) 16 bits, {@code round(p 2^16)}.
     * The chip's device index of synapse (o, i) is {@code first + o * inputs + i} (reserved whether or
     * not the chip varies, so that the other devices' seeds do not depend on the chip).
     */
    private Node synapseStreams(List<Integer> thresholds, int[] bankOf) {
        ScConfig cfg = bx.cfg;
        int in = layer.inputs(), out = layer.outputs();
        int D = 16;
        for (int dd = 1; dd <= 16 && cfg.chip().ideal(); dd++) {
            int ddd = dd;
            if (thresholds.stream().allMatch(t -> (t & ((1 << (16 - ddd)) - 1)) == 0)) {
                D = dd;
                break;
            }
        }
        long first = bx.reserveDevices((long) out * in);
        int[] nominal = new int[in];
        long[][] t = new long[out][in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) nominal[i] = thresholds.get(bankOf[layer.code(o, i)]);
            int[] tv = nominal;
            if (!cfg.chip().ideal()) {
                tv = new int[in];
                for (int i = 0; i < in; i++) tv[i] = cfg.chip().threshold(first + (long) o * in + i, nominal[i]);
            }
            for (int i = 0; i < in; i++) t[o][i] = tv[i] >> (16 - D);
        }
        if (!cfg.chip().ideal()) cfg.chip().report(flatName("syn"), first, (long) out * in, bx.chipReport);
        long devices = SynapseDevices.devices(t, D);
        bx.groups.add(new ScDesign.SourceGroup(flatName("syn"), "per-synapse weight s-MTJs of layer " + l1 + " (" + cfg.synapseRng().key() + " words)",
                (int) devices, l1, flatName("syn_state")));
        return SynapseDevices.streams(host(), "syn", "wa", "wr", t, D, cfg.synapseRng());
    }

    @Override
    Node hiddenOutput(Node acc) {
        return Requantizer.build(this, acc, thr);
    }
}
