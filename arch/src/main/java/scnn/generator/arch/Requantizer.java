package scnn.generator.arch;

import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.ir.Bits;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * The requantizer of a hidden layer of the quantized design: the comparator ladder
 * {@code acc >= T_k} with {@code T_k = ceil(N * mid_k / scale)} ({@code mid_k} between the values
 * of the layer's output grid; one threshold per neuron and k when the layer has per-neuron
 * scales); the count of passed thresholds is the level code, held in a register ({@code h}) that
 * biases the next layer's input s-MTJs.
 */
final class Requantizer {
    private Requantizer() {}

    /**
     * Ladder thresholds of hidden layer {@code li} (0-based) in accumulator units, {@code [k][o]}:
     * {@code T_k = ceil(N * mid_k / scale_o)}, {@code mid_k} between the values k and k+1 of the
     * layer's output grid; one entry per k ({@code [k][0]}) when the layer has one scale.
     */
    static long[][] thresholds(Network net, int bits, int li, Layer L) {
        double[] g = net.hiddenValues(li);
        int per = L.perNeuronScales() ? L.outputs() : 1;
        long[][] t = new long[g.length - 1][per];
        for (int kk = 0; kk < g.length - 1; kk++) {
            double mid = (g[kk] + g[kk + 1]) / 2;
            for (int o = 0; o < per; o++) t[kk][o] = (long) Math.ceil(bits * mid / L.scale(o) - 1e-9);
        }
        return t;
    }

    /** The code of the value 0 in hidden layer {@code li}'s output grid: the middle of a symmetric grid, 0 of an unsigned one. */
    static int gridZero(Network net, int li) {
        double[] g = net.hiddenValues(li);
        return Network.unsignedGrid(g) ? 0 : (g.length - 1) / 2;
    }

    /** The ladder on {@code acc} with thresholds {@code thr} and the code register {@code h}, loaded in the layer's last cycle. */
    static Node build(LayerBuilder m, Node acc, long[][] thr) {
        Tag R = Tag.REQUANTIZER;
        int levels = thr.length + 1, zero = gridZero(m.bx.net, m.l1 - 1);
        int aw = acc.width(), out = acc.count();
        Ref[] ge = new Ref[levels - 1];
        for (int kk = 0; kk < levels - 1; kk++) {
            Node tk;
            if (thr[kk].length == 1) {
                tk = m.k("t" + kk, R, aw, thr[kk][0]);
            } else {
                Bits[] tb = new Bits[out];
                for (int o = 0; o < out; o++) tb[o] = Bits.of(aw, thr[kk][o]);
                tk = m.d.constArray("t" + kk, R, aw, tb);
            }
            Node lt = m.op("lt" + kk, R, Op.LTS, 1, out, Ref.of(acc), Ref.of(tk));
            ge[levels - 2 - kk] = Ref.of(m.op("ge" + kk, R, Op.NOT, 1, out, Ref.of(lt)));
        }
        int cw = ScBuilder.bitsFor(levels - 1);
        Node ladder = levels - 1 == 1 ? m.op("ladder", R, Op.ZEXT, 1, out, ge[0]) : m.op("ladder", R, Op.CONCAT, levels - 1, out, ge);
        Node code = m.op("code", R, Op.POPCOUNT, cw, out, Ref.of(ladder));
        Node h = m.d.reg("h", R, cw, out, Bits.of(cw, zero));
        Node li = m.layerIndex();
        Node en = m.op("h_en", R, Op.AND, 1, 1, Ref.of(m.step()), Ref.of(m.op("is_req", R, Op.EQ, 1, 1, Ref.of(li), Ref.of(m.k("req_index", R, li.width(), m.l1 - 1)))));
        Node startOk = m.startOk();
        m.d.connect(h, Ref.of(m.op("h_next", R, Op.MUX, cw, out, Ref.of(startOk), Ref.of(code), Ref.of(m.k("h_clear", R, cw, zero)))),
                Ref.of(m.op("h_load", R, Op.OR, 1, 1, Ref.of(startOk), Ref.of(en))));
        return h;
    }
}
