package scnn.generator.verilog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;

/**
 * Reads at an index that depends on only a few signal bits: an {@link Op#ARRAY_GET} of a constant
 * array or an {@link Op#INDEX}, whose index is, per element, arithmetic over constants and at most
 * {@link #MAX_LEAF_BITS} bits of scalar signals (the folded layers' weight-mask rows
 * {@code wmask[wbase[j] + group]} and input selects {@code xall[q[i] + group]}). For each value of
 * those bits the index of every element is a constant, so Yosys can be given, per element, a
 * {@code case} over the leaf bits with one constant (a ROM word, or a fixed bit of the vector) per
 * value instead of a memory or a shifter read at a computed address: it sees per-phase constant
 * multiplexers, which ABC minimises (a memory of 1,024 words read at 256 computed addresses made
 * Yosys' {@code memory_map} give up: "Design is likely too large").
 */
final class NarrowIndexReads {
    /** At most this many leaf bits (2^8 cases per element). */
    static final int MAX_LEAF_BITS = 8;
    /** At most this many bits of case constants per read node (elements x cases x width). */
    static final long MAX_TABLE_BITS = 1L << 24;

    /**
     * One enumerated read.
     *
     * @param node the ARRAY_GET or INDEX
     * @param leaves the scalar signals its index depends on, most significant first (as the case selector {leaves...})
     * @param bits their total width
     * @param index per element g, per value v of the leaf bits: the index ({@code index[g][v]}, below 2^62)
     */
    record Read(Node node, List<Node> leaves, int bits, long[][] index) {}

    private NarrowIndexReads() {}

    /** The enumerable reads of a design, in node order. */
    static Map<Node, Read> analyze(Design d) {
        Map<Node, Read> out = new LinkedHashMap<>();
        for (Node n : d.nodes()) {
            boolean get = n.op() == Op.ARRAY_GET && n.arg(0).node().op() == Op.CONST;
            if (!get && n.op() != Op.INDEX) continue;
            Ref ix = n.arg(1);
            if (ix.node().op() == Op.CONST || ix.width() > 62) continue;
            List<Node> leaves = new ArrayList<>();
            if (!cone(ix.node(), leaves, new HashMap<>())) continue;
            int bits = 0;
            for (Node l : leaves) bits += l.width();
            if (bits == 0 || bits > MAX_LEAF_BITS) continue;
            if ((long) n.count() * (1L << bits) * n.width() > MAX_TABLE_BITS) continue;
            long[][] index = new long[n.count()][1 << bits];
            for (int v = 0; v < 1 << bits; v++) {
                Map<Node, Long> leafValue = new HashMap<>();
                int lo = bits;
                for (Node l : leaves) {
                    lo -= l.width();
                    leafValue.put(l, (long) (v >>> lo) & mask(l.width()));
                }
                for (int g = 0; g < n.count(); g++) index[g][v] = eval(ix, g, leafValue);
            }
            out.put(n, new Read(n, List.copyOf(leaves), bits, index));
        }
        return out;
    }

    private static long mask(int w) {
        return w >= 64 ? -1L : (1L << w) - 1;
    }

    /** Whether the index cone of {@code n} is enumerable; collects its non-constant leaves (scalars) in first-visit order. */
    private static boolean cone(Node n, List<Node> leaves, Map<Node, Boolean> seen) {
        Boolean s = seen.get(n);
        if (s != null) return s;
        boolean ok;
        if (n.width() > 62) ok = false;
        else if (n.op() == Op.CONST) ok = true;
        else if (arithmetic(n.op())) {
            ok = true;
            for (Ref r : n.args()) ok &= r.mode() != Ref.Mode.ARRAY && cone(r.node(), leaves, seen);
        } else if (n.count() == 1 && n.op() != Op.CONST) {
            leaves.add(n);
            ok = true;
        } else ok = false;
        seen.put(n, ok);
        return ok;
    }

    private static boolean arithmetic(Op op) {
        return switch (op) {
            case ADD, SUB, MUL, AND, OR, XOR, XNOR, NOT, SHL, SHR, ZEXT, SEXT, SLICE, CONCAT -> true;
            default -> false;
        };
    }

    /** Element g of {@code r} (width at most 62) with the leaves at the given values. */
    private static long eval(Ref r, int g, Map<Node, Long> leaf) {
        Node n = r.node();
        int e = n.count() == 1 ? 0 : r.element(g);
        Long lv = leaf.get(n);
        if (lv != null) return lv;
        int w = n.width();
        long m = mask(w);
        if (n.op() == Op.CONST) return n.data(e).low() & m;
        long a = eval(n.arg(0), e, leaf);
        return switch (n.op()) {
            case ADD -> (a + eval(n.arg(1), e, leaf)) & m;
            case SUB -> (a - eval(n.arg(1), e, leaf)) & m;
            case MUL -> (a * eval(n.arg(1), e, leaf)) & m;
            case AND -> a & eval(n.arg(1), e, leaf);
            case OR -> a | eval(n.arg(1), e, leaf);
            case XOR -> a ^ eval(n.arg(1), e, leaf);
            case XNOR -> ~(a ^ eval(n.arg(1), e, leaf)) & m;
            case NOT -> ~a & m;
            case SHL -> n.param(0) >= w ? 0 : (a << n.param(0)) & m;
            case SHR -> n.param(0) >= w ? 0 : a >>> n.param(0);
            case ZEXT -> a & m;
            case SEXT -> {
                int aw = n.arg(0).width();
                long s = aw > 0 && (a >>> (aw - 1) & 1) != 0 ? a | ~mask(aw) : a;
                yield s & m;
            }
            case SLICE -> (a >>> n.param(0)) & m;
            case CONCAT -> {
                long v = 0;
                for (Ref x : n.args()) v = (v << x.width()) | eval(x, e, leaf);
                yield v & m;
            }
            default -> throw new IllegalStateException(n.op() + " in an index cone");
        };
    }
}
