package scnn.sim.engine;

import static scnn.sim.engine.Program.C0;
import static scnn.sim.engine.Program.C1;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;

/**
 * The bit-blasting pass: every word-level IR operation as bit-level gates (ripple adders,
 * comparator carry chains, full-adder popcount trees, mux trees for dynamic indices; slices,
 * concatenations and extensions are wiring), built through {@link Gates} (folding, then sharing);
 * wide popcounts and large ROM reads go to {@link Kernels}.
 */
final class BitBlaster {
    private final Signals sg;
    private final Gates g;
    private final Kernels kernels;

    BitBlaster(Signals sg, Gates g, Kernels kernels) {
        this.sg = sg;
        this.g = g;
        this.kernels = kernels;
    }

    /** A fresh copy of {@code a} (never shared). */
    int copy(int a) {
        return g.copy(a);
    }

    /**
     * The signals of a combinational node's bits (element-major). Its elements are built one after
     * another: when {@code elements} is given (length count + 1), entry e is where element e's
     * instructions start in the raw code (read from {@code position}), the last entry where they end.
     */
    int[] node(Node n, int[] elements, java.util.function.IntSupplier position) {
        int w = n.width(), cnt = n.count();
        int[] out = new int[w * cnt];
        for (int e = 0; e < cnt; e++) {
            if (elements != null) elements[e] = position.getAsInt();
            System.arraycopy(element(n, e), 0, out, e * w, w);
        }
        if (elements != null) elements[cnt] = position.getAsInt();
        return out;
    }

    private int[] operand(Ref r, int e) {
        return sg.operand(r, e);
    }

    private int[] element(Node n, int e) {
        int w = n.width();
        Op op = n.op();
        switch (op) {
            case NOT: {
                int[] a = operand(n.arg(0), e);
                int[] o = new int[w];
                for (int i = 0; i < w; i++) o[i] = g.not(a[i]);
                return o;
            }
            case AND: case OR: case XOR: case XNOR: {
                int[] a = operand(n.arg(0), e), b = operand(n.arg(1), e);
                int[] o = new int[w];
                for (int i = 0; i < w; i++)
                    o[i] = switch (op) {
                        case AND -> g.and(a[i], b[i]);
                        case OR -> g.or(a[i], b[i]);
                        case XOR -> g.xor(a[i], b[i]);
                        default -> g.not(g.xor(a[i], b[i]));
                    };
                return o;
            }
            case ADD:
                return add(operand(n.arg(0), e), operand(n.arg(1), e), C0, w);
            case SUB: {
                int[] b = operand(n.arg(1), e);
                int[] nb = new int[w];
                for (int i = 0; i < w; i++) nb[i] = g.not(b[i]);
                return add(operand(n.arg(0), e), nb, C1, w);
            }
            case MUL: {
                int[] a = operand(n.arg(0), e), b = operand(n.arg(1), e);
                int[] acc = new int[w];
                Arrays.fill(acc, C0);
                for (int j = 0; j < w; j++) {
                    if (b[j] == C0) continue;
                    int[] pp = new int[w];
                    for (int i = 0; i < w; i++) pp[i] = i < j ? C0 : g.and(a[i - j], b[j]);
                    acc = add(acc, pp, C0, w);
                }
                return acc;
            }
            case SHL: case SHR: case ASHR: {
                int[] a = operand(n.arg(0), e);
                int s = n.param(0);
                int[] o = new int[w];
                for (int i = 0; i < w; i++) {
                    int src = op == Op.SHL ? i - s : i + s;
                    o[i] = src >= 0 && src < w ? a[src] : (op == Op.ASHR ? a[w - 1] : C0);
                }
                return o;
            }
            case EQ: case NE: {
                int[] a = operand(n.arg(0), e), b = operand(n.arg(1), e);
                int r = C1;
                for (int i = 0; i < a.length; i++) r = g.and(r, g.not(g.xor(a[i], b[i])));
                return new int[] {op == Op.EQ ? r : g.not(r)};
            }
            case LTU: case LTS: {
                int[] a = operand(n.arg(0), e), b = operand(n.arg(1), e);
                int m = a.length;
                if (op == Op.LTS) {
                    a = a.clone();
                    b = b.clone();
                    a[m - 1] = g.not(a[m - 1]);
                    b[m - 1] = g.not(b[m - 1]);
                }
                // carry of a + ~b + 1 is (a >= b)
                int c = C1;
                for (int i = 0; i < m; i++) c = g.majn(a[i], b[i], c);
                return new int[] {g.not(c)};
            }
            case MUX: {
                int s = operand(n.arg(0), e)[0];
                int[] a = operand(n.arg(1), e), b = operand(n.arg(2), e);
                int[] o = new int[w];
                for (int i = 0; i < w; i++) o[i] = g.mux(s, a[i], b[i]);
                return o;
            }
            case CONCAT: {
                int[] o = new int[w];
                int pos = w;
                for (Ref r : n.args()) {
                    int[] a = operand(r, e);
                    pos -= a.length;
                    System.arraycopy(a, 0, o, pos, a.length);
                }
                return o;
            }
            case SLICE: {
                int[] a = operand(n.arg(0), e);
                return Arrays.copyOfRange(a, n.param(0), n.param(0) + w);
            }
            case ZEXT: case SEXT: {
                int[] a = operand(n.arg(0), e);
                int[] o = new int[w];
                for (int i = 0; i < w; i++) o[i] = i < a.length ? a[i] : (op == Op.SEXT ? a[a.length - 1] : C0);
                return o;
            }
            case RED_OR: case RED_AND: case RED_XOR: {
                int[] a = operand(n.arg(0), e);
                int r = op == Op.RED_AND ? C1 : C0;
                for (int x : a) r = op == Op.RED_OR ? g.or(r, x) : op == Op.RED_AND ? g.and(r, x) : g.xor(r, x);
                return new int[] {r};
            }
            case POPCOUNT: {
                int[] in = operand(n.arg(0), e);
                int[] k = kernels.popcount(in, w);
                return k != null ? k : popcountTree(in, w);
            }
            case PACK:
                return sg.sig[n.arg(0).node().id()].clone();
            case INDEX: {
                int[] v = operand(n.arg(0), e), idx = operand(n.arg(1), e);
                return new int[] {select(v, 1, idx, 0, v.length)};
            }
            case BITSEL: {
                int[] bank = operand(n.arg(0), e), codes = operand(n.arg(1), e);
                int cw = n.param(0);
                int[] o = new int[w];
                for (int j = 0; j < w; j++) o[j] = select(bank, 1, Arrays.copyOfRange(codes, j * cw, j * cw + cw), 0, bank.length);
                return o;
            }
            case ARRAY_GET: {
                Node arr = n.arg(0).node();
                int[] all = sg.sig[arr.id()];
                int[] idx = operand(n.arg(1), e);
                if (Kernels.lookupWorthIt(n, idx)) return kernels.lookup(arr, idx, w);
                int[] o = new int[w];
                for (int b = 0; b < w; b++) o[b] = select(all, w, idx, b, arr.count());
                return o;
            }
            default:
                throw new IllegalStateException("not combinational: " + n);
        }
    }

    /**
     * Next value of a register: {@code result[0]} is the signal of its scalar enable (C1 when the
     * enable is folded into the next value, as a mux per bit), {@code result[1..]} the next-value bits.
     */
    int[] regNext(Node n) {
        int w = n.width();
        int[] cur = sg.sig[n.id()];
        int[] out = new int[1 + cur.length];
        Ref en0 = n.enable();
        if (en0 != null && en0.mode() != Ref.Mode.SAME) {
            // one enable for the whole array: the commit tests its word once instead of a mux per bit
            out[0] = operand(en0, 0)[0];
            for (int e = 0; e < n.count(); e++) System.arraycopy(operand(n.next(), e), 0, out, 1 + e * w, w);
            return out;
        }
        out[0] = C1;
        for (int e = 0; e < n.count(); e++) {
            int[] nx = operand(n.next(), e);
            int en = n.enable() == null ? C1 : operand(n.enable(), e)[0];
            for (int i = 0; i < w; i++) out[1 + e * w + i] = g.mux(en, cur[e * w + i], nx[i]);
        }
        return out;
    }

    /** Next value of a memory, in the layout of {@link #regNext} (always enabled: the write decoder is per element). */
    int[] ramNext(Node n) {
        int w = n.width();
        int[] cur = sg.sig[n.id()];
        int[] out = new int[1 + cur.length];
        out[0] = C1;
        int we = operand(n.arg(0), 0)[0];
        int[] addr = operand(n.arg(1), 0), data = operand(n.arg(2), 0);
        for (int e = 0; e < n.count(); e++) {
            int hit = we;
            for (int i = 0; i < addr.length; i++) hit = g.and(hit, ((e >>> i) & 1) != 0 ? addr[i] : g.not(addr[i]));
            if (e >= 1 << Math.min(addr.length, 30)) hit = C0;
            for (int i = 0; i < w; i++) out[1 + e * w + i] = g.mux(hit, cur[e * w + i], data[i]);
        }
        return out;
    }

    /** Mux tree: entry {@code idx} of {@code count} entries of width {@code stride} (bit {@code bit}); 0 when out of range. */
    private int select(int[] entries, int stride, int[] idx, int bit, int count) {
        return selectRec(entries, stride, idx, bit, count, idx.length - 1, 0);
    }

    private int selectRec(int[] e, int stride, int[] idx, int bit, int count, int level, int base) {
        if (base >= count) return C0;
        if (level < 0) return e[base * stride + bit];
        int s = idx[level];
        long half = 1L << level;
        if (s == C0) return selectRec(e, stride, idx, bit, count, level - 1, base);
        if (s == C1) return base + half >= count ? C0 : selectRec(e, stride, idx, bit, count, level - 1, (int) (base + half));
        int lo = selectRec(e, stride, idx, bit, count, level - 1, base);
        int hi = base + half >= count ? C0 : selectRec(e, stride, idx, bit, count, level - 1, (int) (base + half));
        return g.mux(s, lo, hi);
    }

    private int[] add(int[] a, int[] b, int cin, int w) {
        int[] o = new int[w];
        int c = cin;
        for (int i = 0; i < w; i++) {
            int x = i < a.length ? a[i] : C0, y = i < b.length ? b[i] : C0;
            int[] sc = g.fa(x, y, c, i < w - 1);
            o[i] = sc[0];
            c = sc[1];
        }
        return o;
    }

    /** Carry-save popcount tree of full adders (narrow popcounts). */
    private int[] popcountTree(int[] in, int w) {
        List<ArrayDeque<Integer>> cols = new ArrayList<>();
        for (int i = 0; i < w + 1; i++) cols.add(new ArrayDeque<>());
        long ones = 0;
        for (int x : in) {
            if (x == C1) ones++;
            else if (x != C0) cols.get(0).add(x);
        }
        int[] o = new int[w];
        for (int k = 0; k < w; k++) {
            var col = cols.get(k);
            while (col.size() >= 3) {
                int[] sc = g.fa(col.poll(), col.poll(), col.poll(), k + 1 < w);
                col.add(sc[0]);
                if (k + 1 < w) cols.get(k + 1).add(sc[1]);
            }
            if (col.size() == 2) {
                int[] sc = g.fa(col.poll(), col.poll(), C0, k + 1 < w);
                col.add(sc[0]);
                if (k + 1 < w) cols.get(k + 1).add(sc[1]);
            }
            o[k] = col.isEmpty() ? C0 : col.poll();
        }
        if (ones != 0) {
            int[] kc = new int[w];
            for (int i = 0; i < w; i++) kc[i] = ((ones >>> i) & 1) != 0 ? C1 : C0;
            o = add(o, kc, C0, w);
        }
        return o;
    }
}
