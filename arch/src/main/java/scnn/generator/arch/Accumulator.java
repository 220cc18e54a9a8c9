package scnn.generator.arch;

import scnn.ir.Bits;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Tag;

/**
 * The accumulators of a layer: per output neuron the popcounts of the up and the down products,
 * and a signed register that adds {@code up - down} every active cycle and starts (at every
 * accepted start) at {@code round(N * bias)}.
 */
final class Accumulator {
    private Accumulator() {}

    /** The accumulator width for counts up to {@code maxAbs} in magnitude: {@code bitsFor(maxAbs) + 1} (with the sign). */
    static int width(long maxAbs) {
        return ScBuilder.bitsFor(maxAbs) + 1;
    }

    /**
     * The accumulator registers (nodes {@code acc}, {@code pc_up}, ... of {@code m}) over the
     * products {@code up} and {@code dn} ({@code products} bits per neuron), {@code aw} bits wide.
     */
    static Node build(LayerBuilder m, Node up, Node dn, int products, int aw) {
        Tag A = Tag.ACCUMULATOR;
        int out = up.count();
        long[] binit = m.biasCounts();
        int pcw = ScBuilder.bitsFor(products);
        Node pcu = m.op("pc_up", A, Op.POPCOUNT, pcw, out, ModuleBuilder.r(up));
        Node pcd = m.op("pc_dn", A, Op.POPCOUNT, pcw, out, ModuleBuilder.r(dn));
        Node delta = m.op("delta", A, Op.SUB, aw, out, ModuleBuilder.r(m.zext("pc_up_x", A, pcu, aw)), ModuleBuilder.r(m.zext("pc_dn_x", A, pcd, aw)));
        Bits[] bi = new Bits[out];
        for (int o = 0; o < out; o++) bi[o] = Bits.of(aw, binit[o]);
        Node acc = m.d.reg("acc", A, aw, out, Bits.of(aw, 0));
        Node binitC = m.d.constArray("acc_init", A, aw, bi);
        Node sum = m.op("acc_sum", A, Op.ADD, aw, out, ModuleBuilder.r(acc), ModuleBuilder.r(delta));
        Node startOk = m.startOk();
        m.d.connect(acc, ModuleBuilder.r(m.op("acc_next", A, Op.MUX, aw, out, ModuleBuilder.r(startOk), ModuleBuilder.r(sum), ModuleBuilder.r(binitC))),
                ModuleBuilder.r(m.op("acc_en", A, Op.OR, 1, 1, ModuleBuilder.r(startOk), ModuleBuilder.r(m.active()))));
        return acc;
    }

    /** The largest count magnitude: N x products per neuron plus the largest bias. */
    static long maxCount(LayerBuilder m, int inputs) {
        long maxBias = 0;
        for (long b : m.biasCounts()) maxBias = Math.max(maxBias, Math.abs(b));
        return (long) m.bx.cfg.bits() * inputs + maxBias;
    }
}
