package scnn.generator.verilog;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Instance;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;

/**
 * Popcounts of bitwise cones over constant masks, folded at emission time (the performance form of
 * the weight layers, {@code docs/verilog.md}).
 *
 * <p>A POPCOUNT whose operand is a cone of bitwise operations (AND, OR, XOR, XNOR, NOT, a ZEXT or
 * SEXT that keeps the width, a SEXT that spreads one bit over the width) over constants and at most
 * {@link #MAX_LEAVES} other signals (the leaves) is, per element j and bit position i, a Boolean
 * function of the leaves' bits at i (a broadcast leaf: its one bit): its truth table over the leaves
 * is known from the constants. Positions whose table is constant 0 count nothing, constant 1 count
 * one, and the others fall into a few classes of equal table (for a sign-magnitude layer: weight 1
 * with the stream {@code x}, weight 1/2 with {@code x & wb}). So the popcount of element j is
 * {@code ones_j + sum over classes t of popcount(V_t & M_t[j])} with {@code V_t} the class's
 * function of the whole leaf vectors and {@code M_t[j]} a constant mask: the same value, modulo
 * 2^width, with none of the cone's intermediate arrays. The cone nodes that nothing else reads are
 * not emitted.
 */
final class MaskedPopcounts {
    /** At most this many distinct non-constant leaves (truth tables of 2^4 entries). */
    static final int MAX_LEAVES = 4;
    /** Narrower popcounts are printed as they are. */
    static final int MIN_WIDTH = 32;

    /**
     * A non-constant leaf of a cone.
     *
     * @param node the leaf node
     * @param fixed the element read when it does not follow the popcount's element (-1: element j of the popcount)
     * @param broadcast bit 0 of the leaf spread over the whole width (a 1-bit SEXT)
     */
    record Leaf(Node node, int fixed, boolean broadcast) {}

    /**
     * One folded popcount.
     *
     * @param pop the POPCOUNT node
     * @param leaves its non-constant leaves, in the order of a depth-first walk of the operand
     * @param tables the classes' truth tables (bit a = the function's value when leaf l has bit l of a), ascending
     * @param masks per class, per element: the positions of the class
     * @param ones per element: the positions whose function is constant 1
     */
    record Spec(Node pop, List<Leaf> leaves, int[] tables, Bits[][] masks, int[] ones) {
        int width() {
            return pop.arg(0).width();
        }

        /** The leaves class {@code t}'s function depends on (bit l = leaf l). */
        int support(int t) {
            int tab = tables[t], k = leaves.size(), s = 0;
            for (int l = 0; l < k; l++)
                for (int a = 0; a < 1 << k; a++)
                    if (((tab >>> a) & 1) != ((tab >>> (a ^ (1 << l))) & 1)) s |= 1 << l;
            return s;
        }

        /** Positions of element j in class t, ascending. */
        int[] positions(int t, int j) {
            Bits m = masks[t][j];
            int n = 0;
            for (int i = 0; i < m.width(); i++) if (m.bit(i)) n++;
            int[] p = new int[n];
            n = 0;
            for (int i = 0; i < m.width(); i++) if (m.bit(i)) p[n++] = i;
            return p;
        }
    }

    /** The folded popcounts of a design, and the nodes only they read (not emitted). */
    record Result(Map<Node, Spec> specs, BitSet absorbed) {}

    private MaskedPopcounts() {}

    static Result analyze(Design d) {
        Map<Node, Spec> specs = new LinkedHashMap<>();
        Map<Node, Set<Node>> cones = new HashMap<>();
        for (Node n : d.nodes()) {
            if (n.op() != Op.POPCOUNT || n.arg(0).width() < MIN_WIDTH) continue;
            Walk w = new Walk(n.arg(0).width());
            if (!w.visit(n.arg(0), -1) || w.leaves.isEmpty() || w.leaves.size() > MAX_LEAVES || !w.anyConst) continue;
            Spec s = fold(n, w);
            if (s.tables().length == 0) continue; // a constant count: printed as it is
            specs.put(n, s);
            cones.put(n, w.cone);
        }
        // nodes of the cones that nothing but folded popcounts and other such nodes read
        BitSet cand = new BitSet();
        for (Set<Node> c : cones.values()) for (Node x : c) cand.set(x.id());
        for (Ref r : d.outputs().values()) cand.clear(r.node().id());
        for (Instance i : d.instances()) for (Ref r : i.inputs().values()) cand.clear(r.node().id());
        for (Design.Probe p : d.probes()) cand.clear(p.signal().id());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Node u : d.nodes()) {
                if (specs.containsKey(u) || cand.get(u.id())) continue;
                for (Ref r : u.args())
                    if (cand.get(r.node().id())) {
                        cand.clear(r.node().id());
                        changed = true;
                    }
            }
        }
        // every reader of a node left in cand is in cand or a folded popcount
        return new Result(specs, cand);
    }

    /** The structural walk of a popcount operand: its leaves and cone. */
    private static final class Walk {
        final int w;
        final List<Leaf> leaves = new ArrayList<>();
        final Set<Node> cone = new java.util.LinkedHashSet<>();
        boolean anyConst;

        Walk(int w) {
            this.w = w;
        }

        /** fixed: the element of the node's user that the node is read at (-1: the popcount's element). */
        boolean visit(Ref r, int fixed) {
            Node n = r.node();
            int f = switch (r.mode()) {
                case SAME -> fixed;
                case SCALAR -> 0;
                case ELEM -> r.elem();
                case ARRAY -> Integer.MIN_VALUE;
            };
            if (f == Integer.MIN_VALUE) return false;
            if (n.count() == 1) f = 0;
            if (n.width() != w) return false;
            switch (n.op()) {
                case CONST -> {
                    cone.add(n);
                    anyConst = true;
                    return true;
                }
                case AND, OR, XOR, XNOR -> {
                    cone.add(n);
                    return visit(n.arg(0), f) && visit(n.arg(1), f);
                }
                case NOT -> {
                    cone.add(n);
                    return visit(n.arg(0), f);
                }
                case ZEXT, SEXT -> {
                    Ref a = n.arg(0);
                    if (a.width() == w) {
                        cone.add(n);
                        return visit(a, f);
                    }
                    if (n.op() == Op.SEXT && a.width() == 1) {
                        cone.add(n);
                        int fa = switch (a.mode()) {
                            case SAME -> f;
                            case SCALAR -> 0;
                            case ELEM -> a.elem();
                            case ARRAY -> Integer.MIN_VALUE;
                        };
                        if (fa == Integer.MIN_VALUE) return false;
                        if (a.node().count() == 1) fa = 0;
                        if (a.node().op() == Op.CONST) {
                            cone.add(a.node());
                            return true;
                        }
                        leaf(new Leaf(a.node(), fa, true));
                        return true;
                    }
                    leaf(new Leaf(n, f, false));
                    return true;
                }
                default -> {
                    leaf(new Leaf(n, f, false));
                    return true;
                }
            }
        }

        void leaf(Leaf l) {
            if (!leaves.contains(l)) leaves.add(l);
        }
    }

    /** Evaluates the cone per element and assignment of the leaves, and sorts the positions into classes. */
    private static Spec fold(Node pop, Walk walk) {
        int w = pop.arg(0).width(), c = pop.count(), k = walk.leaves.size();
        int nw = (w + 63) >>> 6;
        long top = (w & 63) == 0 ? -1L : (1L << (w & 63)) - 1;
        int full = (int) ((1L << (1 << k)) - 1);
        TreeMap<Integer, BitSet[]> classes = new TreeMap<>();
        int[] ones = new int[c];
        Map<Long, long[]> constCache = new HashMap<>();
        for (int j = 0; j < c; j++) {
            long[][] val = new long[1 << k][];
            for (int a = 0; a < 1 << k; a++)
                val[a] = new Eval(walk, j, a, nw, top, constCache).ref(pop.arg(0), -1);
            for (int i = 0; i < w; i++) {
                int tab = 0;
                for (int a = 0; a < 1 << k; a++) if (((val[a][i >>> 6] >>> (i & 63)) & 1) != 0) tab |= 1 << a;
                if (tab == 0) continue;
                if (tab == full) {
                    ones[j]++;
                    continue;
                }
                BitSet[] per = classes.computeIfAbsent(tab, t -> new BitSet[c]);
                if (per[j] == null) per[j] = new BitSet(w);
                per[j].set(i);
            }
        }
        int[] tables = new int[classes.size()];
        Bits[][] masks = new Bits[classes.size()][c];
        int t = 0;
        for (Map.Entry<Integer, BitSet[]> e : classes.entrySet()) {
            tables[t] = e.getKey();
            for (int j = 0; j < c; j++) {
                BitSet b = e.getValue()[j];
                masks[t][j] = b == null ? Bits.zero(w) : Bits.fromBits(w, b::get);
            }
            t++;
        }
        return new Spec(pop, List.copyOf(walk.leaves), tables, masks, ones);
    }

    /** The cone's value at one element and one assignment of the leaves (all-ones or all-zeros vectors). */
    private static final class Eval {
        final Walk walk;
        final int j, a, nw;
        final long top;
        final Map<Long, long[]> constCache;
        final Map<Long, long[]> memo = new HashMap<>();

        Eval(Walk walk, int j, int a, int nw, long top, Map<Long, long[]> constCache) {
            this.walk = walk;
            this.j = j;
            this.a = a;
            this.nw = nw;
            this.top = top;
            this.constCache = constCache;
        }

        long[] ref(Ref r, int fixed) {
            Node n = r.node();
            int f = switch (r.mode()) {
                case SAME -> fixed;
                case SCALAR -> 0;
                case ELEM -> r.elem();
                case ARRAY -> throw new IllegalStateException("array operand in a cone");
            };
            if (n.count() == 1) f = 0;
            return node(n, f);
        }

        long[] leafValue(Leaf l) {
            int li = walk.leaves.indexOf(l);
            long[] v = new long[nw];
            if (((a >>> li) & 1) != 0) {
                java.util.Arrays.fill(v, -1L);
                v[nw - 1] &= top;
            }
            return v;
        }

        long[] node(Node n, int f) {
            long key = ((long) n.id() << 32) | (f + 1L);
            long[] m = memo.get(key);
            if (m != null) return m;
            long[] v;
            switch (n.op()) {
                case CONST -> v = constant(n, f < 0 ? j : f);
                case AND, OR, XOR, XNOR -> {
                    long[] x = ref(n.arg(0), f), y = ref(n.arg(1), f);
                    v = new long[nw];
                    for (int i = 0; i < nw; i++)
                        v[i] = switch (n.op()) {
                            case AND -> x[i] & y[i];
                            case OR -> x[i] | y[i];
                            case XOR -> x[i] ^ y[i];
                            default -> ~(x[i] ^ y[i]);
                        };
                    v[nw - 1] &= top;
                }
                case NOT -> {
                    long[] x = ref(n.arg(0), f);
                    v = new long[nw];
                    for (int i = 0; i < nw; i++) v[i] = ~x[i];
                    v[nw - 1] &= top;
                }
                default -> {
                    Leaf self = new Leaf(n, f, false);
                    if (walk.leaves.contains(self)) {
                        v = leafValue(self);
                        break;
                    }
                    // a width-keeping ZEXT/SEXT, or a 1-bit SEXT
                    Ref r = n.arg(0);
                    if (r.width() != n.width()) {
                        int fa = switch (r.mode()) {
                            case SAME -> f;
                            case SCALAR -> 0;
                            case ELEM -> r.elem();
                            case ARRAY -> throw new IllegalStateException("array operand in a cone");
                        };
                        if (r.node().count() == 1) fa = 0;
                        boolean bit;
                        if (r.node().op() == Op.CONST) bit = r.node().data(r.node().uniformData() ? 0 : fa < 0 ? j : fa).bit(0);
                        else bit = leafValue(new Leaf(r.node(), fa, true))[0] != 0;
                        v = new long[nw];
                        if (bit) {
                            java.util.Arrays.fill(v, -1L);
                            v[nw - 1] &= top;
                        }
                    } else v = ref(r, f);
                }
            }
            memo.put(key, v);
            return v;
        }

        long[] constant(Node n, int e) {
            int g = n.uniformData() ? 0 : e;
            long key = ((long) n.id() << 32) | g;
            long[] v = constCache.get(key);
            if (v != null) return v;
            Bits b = n.data(g);
            v = new long[nw];
            for (int i = 0; i < nw; i++) v[i] = b.field(64 * i, Math.min(64, b.width() - 64 * i));
            constCache.put(key, v);
            return v;
        }
    }
}
