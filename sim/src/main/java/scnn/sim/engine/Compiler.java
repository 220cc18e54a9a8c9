package scnn.sim.engine;

import static scnn.sim.engine.Program.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;

/** Compiles a {@link Design} into a bit-sliced {@link Program}. */
public final class Compiler {
    private final Design d;
    private int slots;
    private int[] code = new int[1 << 16];
    private int codeLen;
    private final int[][] sig;
    private final Cse cse = new Cse();
    private int[] owner = new int[1 << 16];
    private int currentNode = -1;

    private int newSlot() {
        if (slots == owner.length) owner = Arrays.copyOf(owner, owner.length * 2);
        owner[slots] = currentNode;
        return slots++;
    }

    private final java.util.Map<Node, Long> fixed;

    /** Register merges to apply (slot pairs from the variant that decided them), or null to decide. */
    private final int[] mergePlan;

    private Compiler(Design d, java.util.Map<Node, Long> fixed, int[] mergePlan) {
        this.d = d;
        this.fixed = fixed;
        this.mergePlan = mergePlan;
        this.sig = new int[d.nodes().size()][];
    }

    public static Program compile(Design d) {
        return new Compiler(d, java.util.Map.of(), null).run();
    }

    /**
     * Compiles a variant in which the given input ports hold fixed values (partial evaluation: logic
     * that only depends on them folds away). Input, register and memory slots are laid out exactly
     * as in {@link #compile(Design)}, so a {@link Machine} can switch between the variants.
     */
    public static Program compile(Design d, java.util.Map<Node, Long> fixedInputs) {
        for (Node n : fixedInputs.keySet()) if (n.op() != Op.INPUT) throw new IllegalArgumentException(n.name() + " is not an input");
        return new Compiler(d, fixedInputs, null).run();
    }

    /**
     * As {@link #compile(Design, java.util.Map)}, with the register merges of {@code layout} (a
     * variant of the same design), so that a {@link Machine} can switch between the two: merged
     * registers share one slot, and both variants must agree on which.
     */
    public static Program compile(Design d, java.util.Map<Node, Long> fixedInputs, Program layout) {
        if (layout.design != d) throw new IllegalArgumentException("layout of another design");
        for (Node n : fixedInputs.keySet()) if (n.op() != Op.INPUT) throw new IllegalArgumentException(n.name() + " is not an input");
        return new Compiler(d, fixedInputs, layout.merged).run();
    }

    /** Slots of the registers' and memories' current values. */
    private final java.util.BitSet stateSlots = new java.util.BitSet();

    private Program run() {
        List<Node> order = d.validate();
        for (Node n : d.nodes()) {
            switch (n.op()) {
                case INPUT, REG, RAM -> {
                    currentNode = n.id();
                    int[] s = new int[n.count() * n.width()];
                    for (int i = 0; i < s.length; i++) s[i] = newSlot();
                    if (n.op() != Op.INPUT) for (int x : s) stateSlots.set(x);
                    Long v = fixed.get(n);
                    if (v != null) for (int i = 0; i < s.length; i++) s[i] = ((v >>> i) & 1) != 0 ? C1 : C0;
                    sig[n.id()] = s;
                }
                case CONST -> {
                    int w = n.width();
                    int[] s = new int[n.count() * w];
                    for (int g = 0; g < n.count(); g++) {
                        Bits b = n.data(g);
                        for (int i = 0; i < w; i++) s[g * w + i] = b.bit(i) ? C1 : C0;
                    }
                    sig[n.id()] = s;
                }
                default -> { }
            }
        }
        List<int[]> blocks = new ArrayList<>(); // start, end, marks, deps...
        List<Boolean> selfContained = new ArrayList<>();
        for (Node n : order) {
            int start = codeLen;
            currentNode = n.id();
            sig[n.id()] = compileNode(n);
            blocks.add(block(start, codeLen, n.id(), deps(n)));
            selfContained.add(writesAllSignals(start, codeLen, sig[n.id()]));
        }
        List<Integer> cc = new ArrayList<>(), cd = new ArrayList<>();
        List<Integer> cns = new ArrayList<>(), cn = new ArrayList<>();
        for (Node n : d.nodes()) {
            if (!n.isState()) continue;
            int start = codeLen;
            currentNode = n.id();
            int[] dsig = n.op() == Op.REG ? regNext(n) : ramNext(n);
            // the edge updates every state element at once: a next value that is another state
            // element's current value (a register fed by a register) is copied before the edge, so
            // that the commit, which writes one element after another, never reads a value it wrote
            // (an element that holds its own value needs no copy)
            int[] own = sig[n.id()];
            for (int i = 0; i < dsig.length; i++)
                if (dsig[i] >= 0 && dsig[i] != own[i] && stateSlots.get(dsig[i])) dsig[i] = copyOf(dsig[i]);
            int[] dp = n.op() == Op.REG ? (n.enable() == null ? new int[] {n.id(), n.next().node().id()}
                    : new int[] {n.id(), n.next().node().id(), n.enable().node().id()})
                    : new int[] {n.id(), n.arg(0).node().id(), n.arg(1).node().id(), n.arg(2).node().id()};
            blocks.add(block(start, codeLen, -1 - cn.size(), dp));
            selfContained.add(false);
            cns.add(cc.size());
            cn.add(n.id());
            int[] cur = sig[n.id()];
            for (int i = 0; i < cur.length; i++) {
                cc.add(cur[i]);
                cd.add(dsig[i]);
            }
        }
        cns.add(cc.size());
        int[] merged = mergeRegisters(cc, cd, cns, cn);
        int nb = blocks.size();
        int[] bs = new int[nb], be = new int[nb], bm = new int[nb], ds = new int[nb + 1];
        int total = 0;
        for (int[] b : blocks) total += b.length - 3;
        int[] dep = new int[total];
        int k = 0;
        for (int i = 0; i < nb; i++) {
            int[] b = blocks.get(i);
            bs[i] = b[0];
            be[i] = b[1];
            bm[i] = b[2];
            ds[i] = k;
            for (int j = 3; j < b.length; j++) dep[k++] = b[j];
        }
        ds[nb] = k;
        int[] grouped = group(bs, be);
        int[][] kin = new int[kernels.size()][];
        for (int i = 0; i < kin.length; i++) {
            int[] kk = kernels.get(i);
            kin[i] = Arrays.copyOfRange(kk, 2 + kk[1], kk.length);
        }
        boolean[] exact = new boolean[nb];
        for (int i = 0; i < nb; i++) exact[i] = selfContained.get(i);
        return new Program(d, slots, grouped, bs, be, Arrays.copyOf(owner, slots), ds, dep, bm, exact,
                commitEnables.stream().mapToInt(Integer::intValue).toArray(), kin,
                kernelNodes.stream().mapToInt(Integer::intValue).toArray(),
                cc.stream().mapToInt(Integer::intValue).toArray(), cd.stream().mapToInt(Integer::intValue).toArray(),
                cns.stream().mapToInt(Integer::intValue).toArray(), cn.stream().mapToInt(Integer::intValue).toArray(), sig,
                tables.toArray(new long[0][]), merged);
    }

    /** Operand ints per instruction in the grouped encoding. */
    static int operands(int op) {
        return switch (op) {
            case NOT, COPY -> 2;
            case AND, OR, XOR, ANDN, XNOR -> 3;
            case MUX, MAJ, MAJN, HA -> 4;
            case FA -> 5;
            default -> throw new IllegalStateException("op " + op);
        };
    }

    /**
     * Re-encodes the fixed-size instructions of every block as groups {@code [op, n, n x operands]}
     * of consecutive instructions with the same opcode, so that dispatch happens once per group.
     * Rewrites the block bounds in place.
     */
    private int[] group(int[] bs, int[] be) {
        int[] out = new int[codeLen + 16];
        int len = 0;
        for (int b = 0; b < bs.length; b++) {
            int from = bs[b], to = be[b];
            bs[b] = len;
            int pc = from;
            while (pc < to) {
                int op = code[pc];
                if (op == LUT) {
                    int[] k = luts.get(code[pc + 1]);
                    if (len + 1 + k.length > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, len + 1 + k.length));
                    out[len++] = LUT;
                    System.arraycopy(k, 0, out, len, k.length);
                    len += k.length;
                    pc += W;
                    continue;
                }
                if (op == PCNT) {
                    int[] k = kernels.get(code[pc + 1]);
                    if (len + 3 + k.length > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, len + 3 + k.length));
                    out[len++] = PCNT;
                    out[len++] = k.length - 2 - k[1]; // inputs
                    System.arraycopy(k, 0, out, len, k.length);
                    len += k.length;
                    pc += W;
                    continue;
                }
                int start = pc;
                while (pc < to && code[pc] == op) pc += W;
                if (op == PCNT) throw new IllegalStateException();
                int n = (pc - start) / W;
                int k = operands(op);
                if (len + 2 + n * k > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, len + 2 + n * k));
                out[len++] = op;
                out[len++] = n;
                for (int i = start; i < pc; i += W) {
                    out[len++] = code[i + 1];
                    switch (op) {
                        case NOT, COPY -> out[len++] = code[i + 3];
                        case AND, OR, XOR, ANDN, XNOR -> { out[len++] = code[i + 3]; out[len++] = code[i + 4]; }
                        case MUX, MAJ, MAJN -> { out[len++] = code[i + 3]; out[len++] = code[i + 4]; out[len++] = code[i + 5]; }
                        case HA -> { out[len++] = code[i + 2]; out[len++] = code[i + 3]; out[len++] = code[i + 4]; }
                        case FA -> { out[len++] = code[i + 2]; out[len++] = code[i + 3]; out[len++] = code[i + 4]; out[len++] = code[i + 5]; }
                        default -> throw new IllegalStateException();
                    }
                }
            }
            be[b] = len;
        }
        return Arrays.copyOf(out, len);
    }

    /**
     * Whether every non-constant signal of a node is written by the node's own instructions in
     * [{@code from}, {@code to}): then the node changed exactly when one of those writes changed a
     * value. A node that aliases an operand's slot or reuses a shared gate of an earlier node must
     * be marked changed whenever it runs.
     */
    private boolean writesAllSignals(int from, int to, int[] signals) {
        java.util.BitSet written = new java.util.BitSet();
        for (int pc = from; pc < to; pc += W) {
            if (code[pc] == PCNT) {
                int[] k = kernels.get(code[pc + 1]);
                for (int i = 0; i < k[1]; i++) written.set(k[2 + i]);
            } else if (code[pc] == LUT) {
                int[] k = luts.get(code[pc + 1]);
                for (int i = 0; i < k[2]; i++) written.set(k[3 + i]);
            } else {
                written.set(code[pc + 1]);
                if (code[pc] == HA || code[pc] == FA) written.set(code[pc + 2]);
            }
        }
        for (int x : signals) if (x >= 0 && !written.get(x)) return false;
        return true;
    }

    private static int[] block(int start, int end, int marks, int[] deps) {
        int[] b = new int[3 + deps.length];
        b[0] = start;
        b[1] = end;
        b[2] = marks;
        System.arraycopy(deps, 0, b, 3, deps.length);
        return b;
    }

    private static int[] deps(Node n) {
        return n.args().stream().mapToInt(r -> r.node().id()).distinct().toArray();
    }

    // ---- operand access -------------------------------------------------------------------------

    /** Bits of operand {@code r} as seen by element {@code g}. */
    private int[] operand(Ref r, int g) {
        int w = r.width();
        int e = r.element(g);
        return Arrays.copyOfRange(sig[r.node().id()], e * w, e * w + w);
    }

    // ---- node compilation ------------------------------------------------------------------------

    private int[] compileNode(Node n) {
        int w = n.width(), cnt = n.count();
        int[] out = new int[w * cnt];
        for (int g = 0; g < cnt; g++) {
            int[] v = element(n, g);
            System.arraycopy(v, 0, out, g * w, w);
        }
        return out;
    }

    private int[] element(Node n, int g) {
        int w = n.width();
        Op op = n.op();
        switch (op) {
            case NOT: {
                int[] a = operand(n.arg(0), g);
                int[] o = new int[w];
                for (int i = 0; i < w; i++) o[i] = not(a[i]);
                return o;
            }
            case AND: case OR: case XOR: case XNOR: {
                int[] a = operand(n.arg(0), g), b = operand(n.arg(1), g);
                int[] o = new int[w];
                for (int i = 0; i < w; i++)
                    o[i] = switch (op) {
                        case AND -> and(a[i], b[i]);
                        case OR -> or(a[i], b[i]);
                        case XOR -> xor(a[i], b[i]);
                        default -> not(xor(a[i], b[i]));
                    };
                return o;
            }
            case ADD:
                return add(operand(n.arg(0), g), operand(n.arg(1), g), C0, w);
            case SUB: {
                int[] b = operand(n.arg(1), g);
                int[] nb = new int[w];
                for (int i = 0; i < w; i++) nb[i] = not(b[i]);
                return add(operand(n.arg(0), g), nb, C1, w);
            }
            case MUL: {
                int[] a = operand(n.arg(0), g), b = operand(n.arg(1), g);
                int[] acc = new int[w];
                Arrays.fill(acc, C0);
                for (int j = 0; j < w; j++) {
                    if (b[j] == C0) continue;
                    int[] pp = new int[w];
                    for (int i = 0; i < w; i++) pp[i] = i < j ? C0 : and(a[i - j], b[j]);
                    acc = add(acc, pp, C0, w);
                }
                return acc;
            }
            case SHL: case SHR: case ASHR: {
                int[] a = operand(n.arg(0), g);
                int s = n.param(0);
                int[] o = new int[w];
                for (int i = 0; i < w; i++) {
                    int src = op == Op.SHL ? i - s : i + s;
                    o[i] = src >= 0 && src < w ? a[src] : (op == Op.ASHR ? a[w - 1] : C0);
                }
                return o;
            }
            case EQ: case NE: {
                int[] a = operand(n.arg(0), g), b = operand(n.arg(1), g);
                int r = C1;
                for (int i = 0; i < a.length; i++) r = and(r, not(xor(a[i], b[i])));
                return new int[] {op == Op.EQ ? r : not(r)};
            }
            case LTU: case LTS: {
                int[] a = operand(n.arg(0), g), b = operand(n.arg(1), g);
                int m = a.length;
                if (op == Op.LTS) {
                    a = a.clone();
                    b = b.clone();
                    a[m - 1] = not(a[m - 1]);
                    b[m - 1] = not(b[m - 1]);
                }
                // carry of a + ~b + 1 is (a >= b)
                int c = C1;
                for (int i = 0; i < m; i++) c = majn(a[i], b[i], c);
                return new int[] {not(c)};
            }
            case MUX: {
                int s = operand(n.arg(0), g)[0];
                int[] a = operand(n.arg(1), g), b = operand(n.arg(2), g);
                int[] o = new int[w];
                for (int i = 0; i < w; i++) o[i] = mux(s, a[i], b[i]);
                return o;
            }
            case CONCAT: {
                int[] o = new int[w];
                int pos = w;
                for (Ref r : n.args()) {
                    int[] a = operand(r, g);
                    pos -= a.length;
                    System.arraycopy(a, 0, o, pos, a.length);
                }
                return o;
            }
            case SLICE: {
                int[] a = operand(n.arg(0), g);
                return Arrays.copyOfRange(a, n.param(0), n.param(0) + w);
            }
            case ZEXT: case SEXT: {
                int[] a = operand(n.arg(0), g);
                int[] o = new int[w];
                for (int i = 0; i < w; i++) o[i] = i < a.length ? a[i] : (op == Op.SEXT ? a[a.length - 1] : C0);
                return o;
            }
            case RED_OR: case RED_AND: case RED_XOR: {
                int[] a = operand(n.arg(0), g);
                int r = op == Op.RED_AND ? C1 : C0;
                for (int x : a) r = op == Op.RED_OR ? or(r, x) : op == Op.RED_AND ? and(r, x) : xor(r, x);
                return new int[] {r};
            }
            case POPCOUNT:
                return popcount(operand(n.arg(0), g), w);
            case PACK: {
                Node arr = n.arg(0).node();
                return sig[arr.id()].clone();
            }
            case INDEX: {
                int[] v = operand(n.arg(0), g), idx = operand(n.arg(1), g);
                return new int[] {select(v, 1, idx, 0)};
            }
            case BITSEL: {
                int[] bank = operand(n.arg(0), g), codes = operand(n.arg(1), g);
                int cw = n.param(0);
                int[] o = new int[w];
                for (int j = 0; j < w; j++) o[j] = select(bank, 1, Arrays.copyOfRange(codes, j * cw, j * cw + cw), 0);
                return o;
            }
            case ARRAY_GET: {
                Node arr = n.arg(0).node();
                int[] all = sig[arr.id()];
                int[] idx = operand(n.arg(1), g);
                if (lutWorthIt(n, idx)) return lut(arr, idx, w);
                int[] o = new int[w];
                for (int b = 0; b < w; b++) o[b] = select(all, w, idx, b, arr.count());
                return o;
            }
            default:
                throw new IllegalStateException("not combinational: " + n);
        }
    }

    /** Per state node in commit order: the signal of its scalar enable (C1 when folded into the next value). */
    private final List<Integer> commitEnables = new ArrayList<>();

    private int[] regNext(Node n) {
        int w = n.width();
        int[] cur = sig[n.id()];
        int[] out = new int[cur.length];
        Ref en0 = n.enable();
        if (en0 != null && en0.mode() != Ref.Mode.SAME) {
            // one enable for the whole array: the commit tests its word once instead of a mux per bit
            commitEnables.add(operand(en0, 0)[0]);
            for (int g = 0; g < n.count(); g++) System.arraycopy(operand(n.next(), g), 0, out, g * w, w);
            return out;
        }
        commitEnables.add(C1);
        for (int g = 0; g < n.count(); g++) {
            int[] nx = operand(n.next(), g);
            int en = n.enable() == null ? C1 : operand(n.enable(), g)[0];
            for (int i = 0; i < w; i++) out[g * w + i] = mux(en, cur[g * w + i], nx[i]);
        }
        return out;
    }

    private int[] ramNext(Node n) {
        commitEnables.add(C1);
        int w = n.width();
        int[] cur = sig[n.id()];
        int[] out = new int[cur.length];
        int we = operand(n.arg(0), 0)[0];
        int[] addr = operand(n.arg(1), 0), data = operand(n.arg(2), 0);
        for (int g = 0; g < n.count(); g++) {
            int hit = we;
            for (int i = 0; i < addr.length; i++) hit = and(hit, ((g >>> i) & 1) != 0 ? addr[i] : not(addr[i]));
            if (g >= 1 << Math.min(addr.length, 30)) hit = C0;
            for (int i = 0; i < w; i++) out[g * w + i] = mux(hit, cur[g * w + i], data[i]);
        }
        return out;
    }

    /** Mux tree: element {@code idx} of {@code count} entries of width {@code stride} (bit {@code bit}); 0 when out of range. */
    private int select(int[] entries, int stride, int[] idx, int bit, int count) {
        return selectRec(entries, stride, idx, bit, count, idx.length - 1, 0);
    }

    private int select(int[] entries, int stride, int[] idx, int bit) {
        return select(entries, stride, idx, bit, entries.length / stride);
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
        return mux(s, lo, hi);
    }

    private int[] add(int[] a, int[] b, int cin, int w) {
        int[] o = new int[w];
        int c = cin;
        for (int i = 0; i < w; i++) {
            int x = i < a.length ? a[i] : C0, y = i < b.length ? b[i] : C0;
            int[] sc = fa(x, y, c, i < w - 1);
            o[i] = sc[0];
            c = sc[1];
        }
        return o;
    }

    /** Tables of the ROM-lookup kernels (one per constant array), and the array node of each. */
    private final List<long[]> tables = new ArrayList<>();
    private final java.util.Map<Node, Integer> tableOf = new java.util.HashMap<>();
    /** ROM-lookup kernels: per kernel {table, nIdx, nOut, outs..., idx signals...}. */
    private final List<int[]> luts = new ArrayList<>();
    /** A constant array read by a variable index becomes a lookup kernel when its mux trees would reach this many bits. */
    public static final long LUT_MIN_BITS = 1L << 18;

    /**
     * A large constant array (a ROM) read at a variable index runs as one lookup per lane instead of
     * a mux tree per bit (64 x (index + word) bit operations, independent of the ROM's size).
     */
    private static boolean lutWorthIt(Node n, int[] idx) {
        Node arr = n.arg(0).node();
        if (arr.op() != Op.CONST || n.width() > 64 || idx.length > 30 || arr.count() < 64) return false;
        if ((long) arr.count() * n.width() * n.count() < LUT_MIN_BITS) return false;
        for (int x : idx) if (x >= 0) return true;
        return false;
    }

    private int[] lut(Node arr, int[] idx, int w) {
        Integer t = tableOf.get(arr);
        if (t == null) {
            long[] tab = new long[arr.count()];
            for (int e = 0; e < tab.length; e++) tab[e] = arr.data(e).field(0, w);
            t = tables.size();
            tables.add(tab);
            tableOf.put(arr, t);
        }
        int[] k = new int[3 + w + idx.length];
        k[0] = t;
        k[1] = idx.length;
        k[2] = w;
        int[] out = new int[w];
        for (int i = 0; i < w; i++) k[3 + i] = out[i] = newSlot();
        System.arraycopy(idx, 0, k, 3 + w, idx.length);
        put(LUT, luts.size(), 0, 0, 0, 0);
        luts.add(k);
        return out;
    }

    /** Popcount kernels: per kernel {K, nOut, outs..., ins...} and the node that owns it. */
    private final List<int[]> kernels = new ArrayList<>();
    private final List<Integer> kernelNodes = new ArrayList<>();
    /** Popcounts with at least this many variable inputs run as one kernel instruction. */
    static final int KERNEL_MIN_INPUTS = 12;

    /** Popcount: a carry-save kernel for wide inputs, a full-adder tree for narrow ones. */
    private int[] popcount(int[] in, int w) {
        int dyn = 0, ones = 0;
        for (int x : in) {
            if (x == C1) ones++;
            else if (x != C0) dyn++;
        }
        if (dyn < KERNEL_MIN_INPUTS) return popcountTree(in, w);
        int[] k = new int[2 + w + dyn];
        k[0] = ones;
        k[1] = w;
        int[] out = new int[w];
        for (int i = 0; i < w; i++) k[2 + i] = out[i] = newSlot();
        int j = 2 + w;
        for (int x : in) if (x >= 0) k[j++] = x;
        put(PCNT, kernels.size(), 0, 0, 0, 0);
        kernels.add(k);
        kernelNodes.add(currentNode);
        return out;
    }

    /** Carry-save popcount tree of full adders. */
    private int[] popcountTree(int[] in, int w) {
        List<java.util.ArrayDeque<Integer>> cols = new ArrayList<>();
        for (int i = 0; i < w + 1; i++) cols.add(new java.util.ArrayDeque<>());
        long ones = 0;
        for (int x : in) {
            if (x == C1) ones++;
            else if (x != C0) cols.get(0).add(x);
        }
        int[] o = new int[w];
        for (int k = 0; k < w; k++) {
            var col = cols.get(k);
            while (col.size() >= 3) {
                int[] sc = fa(col.poll(), col.poll(), col.poll(), k + 1 < w);
                col.add(sc[0]);
                if (k + 1 < w) cols.get(k + 1).add(sc[1]);
            }
            if (col.size() == 2) {
                int[] sc = fa(col.poll(), col.poll(), C0, k + 1 < w);
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

    // ---- gates with folding and sharing ------------------------------------------------------------

    private int emit(int op, int a, int b, int c) {
        int[] hit = cse.get(op, a, b, c);
        if (hit != null) return hit[0];
        int dst = newSlot();
        put(op, dst, 0, a, b, c);
        cse.put(op, a, b, c, dst, 0);
        return dst;
    }

    /**
     * Equivalent flip-flop merging: bits of one register array (any elements) with the same
     * next-value signal and the same reset value hold the same value in every cycle (the node's
     * enable is one signal, or part of the next value), so they share one slot (the first such
     * bit's) and one commit. Their toggles still count once per bit: event accounting sums over
     * every bit's signal. Removes the merged bits' commit pairs from the lists, points their signals
     * and every instruction that reads them at the shared slot, and returns the merges as (merged
     * slot, shared slot) pairs.
     */
    private int[] mergeRegisters(List<Integer> cc, List<Integer> cd, List<Integer> cns, List<Integer> cn) {
        java.util.Map<Integer, Integer> into = new java.util.HashMap<>();
        if (mergePlan != null) {
            for (int i = 0; i < mergePlan.length; i += 2) into.put(mergePlan[i], mergePlan[i + 1]);
        } else {
            for (int r = 0; r < cn.size(); r++) {
                Node n = d.nodes().get(cn.get(r));
                // arrays only: a scalar register (a counter, say) stays pokeable lane by lane
                if (n.op() != Op.REG || n.count() < 2) continue;
                int w = n.width(), a = cns.get(r);
                java.util.Map<Long, Integer> first = new java.util.HashMap<>();
                for (int g = 0; g < n.count(); g++) {
                    Bits init = n.data(g);
                    for (int i = 0; i < w; i++) {
                        int k = a + g * w + i;
                        Integer same = first.putIfAbsent(((long) cd.get(k) << 1) | (init.bit(i) ? 1 : 0), cc.get(k));
                        if (same != null) into.put(cc.get(k), same);
                    }
                }
            }
        }
        if (into.isEmpty()) return new int[0];
        // drop the merged elements' commit pairs (a plan from another variant must hold here too)
        java.util.Map<Integer, Integer> dOf = new java.util.HashMap<>();
        for (int i = 0; i < cc.size(); i++) dOf.put(cc.get(i), cd.get(i));
        List<Integer> nc = new ArrayList<>(), nd = new ArrayList<>(), ns = new ArrayList<>();
        for (int r = 0; r < cn.size(); r++) {
            ns.add(nc.size());
            for (int i = cns.get(r); i < cns.get(r + 1); i++) {
                Integer to = into.get(cc.get(i));
                if (to == null) {
                    nc.add(cc.get(i));
                    nd.add(cd.get(i));
                } else if (!dOf.get(to).equals(cd.get(i))) {
                    throw new IllegalStateException("register merge does not hold in this variant: " + d.nodes().get(cn.get(r)).name());
                }
            }
        }
        ns.add(nc.size());
        cc.clear();
        cc.addAll(nc);
        cd.clear();
        cd.addAll(nd);
        cns.clear();
        cns.addAll(ns);
        int[] map = new int[slots];
        for (int i = 0; i < slots; i++) map[i] = i;
        into.forEach((from, to) -> map[from] = to);
        for (int[] sg : sig) if (sg != null) for (int i = 0; i < sg.length; i++) if (sg[i] >= 0) sg[i] = map[sg[i]];
        for (int i = 0; i < cd.size(); i++) if (cd.get(i) >= 0) cd.set(i, map[cd.get(i)]);
        for (int pc = 0; pc < codeLen; pc += W) {
            int op = code[pc];
            if (op == PCNT) {
                int[] k = kernels.get(code[pc + 1]);
                for (int i = 2 + k[1]; i < k.length; i++) k[i] = map[k[i]];
            } else if (op == LUT) {
                int[] k = luts.get(code[pc + 1]);
                for (int i = 3 + k[2]; i < k.length; i++) if (k[i] >= 0) k[i] = map[k[i]];
            } else {
                int reads = op == HA ? 2 : op == FA ? 3 : operands(op) - 1;
                for (int i = 0; i < reads; i++) if (code[pc + 3 + i] >= 0) code[pc + 3 + i] = map[code[pc + 3 + i]];
            }
        }
        int[] out = new int[2 * into.size()];
        int j = 0;
        for (var e : new java.util.TreeMap<>(into).entrySet()) {
            out[j++] = e.getKey();
            out[j++] = e.getValue();
        }
        return out;
    }

    /** A fresh slot holding {@code a}'s value (never shared: its block alone computes it). */
    private int copyOf(int a) {
        int dst = newSlot();
        put(COPY, dst, 0, a, 0, 0);
        return dst;
    }

    private void put(int op, int dst, int e, int a, int b, int c) {
        if (codeLen + W > code.length) code = Arrays.copyOf(code, code.length * 2);
        code[codeLen++] = op;
        code[codeLen++] = dst;
        code[codeLen++] = e;
        code[codeLen++] = a;
        code[codeLen++] = b;
        code[codeLen++] = c;
    }

    private int not(int a) {
        if (a == C0) return C1;
        if (a == C1) return C0;
        int[] inv = cse.get(-NOT, a, 0, 0);
        if (inv != null) return inv[0];
        int r = emit(NOT, a, 0, 0);
        cse.put(-NOT, r, 0, 0, a, 0);
        return r;
    }

    private int and(int a, int b) {
        if (a == C0 || b == C0) return C0;
        if (a == C1) return b;
        if (b == C1 || a == b) return a;
        return emit(AND, Math.min(a, b), Math.max(a, b), 0);
    }

    private int or(int a, int b) {
        if (a == C1 || b == C1) return C1;
        if (a == C0) return b;
        if (b == C0 || a == b) return a;
        return emit(OR, Math.min(a, b), Math.max(a, b), 0);
    }

    private int xor(int a, int b) {
        if (a == C0) return b;
        if (b == C0) return a;
        if (a == C1) return not(b);
        if (b == C1) return not(a);
        if (a == b) return C0;
        return emit(XOR, Math.min(a, b), Math.max(a, b), 0);
    }

    private int mux(int s, int a, int b) {
        if (s == C0 || a == b) return a;
        if (s == C1) return b;
        if (a == C0 && b == C1) return s;
        if (a == C1 && b == C0) return not(s);
        if (a == C0) return and(s, b);
        if (b == C0) return emit(ANDN, a, s, 0);
        if (b == C1) return or(s, a);
        if (a == C1) return or(not(s), b);
        return emit(MUX, s, a, b);
    }

    private int maj(int a, int b, int c) {
        if (a == C0) return and(b, c);
        if (a == C1) return or(b, c);
        if (b == C0) return and(a, c);
        if (b == C1) return or(a, c);
        if (c == C0) return and(a, b);
        if (c == C1) return or(a, b);
        int[] s = sort3(a, b, c);
        return emit(MAJ, s[0], s[1], s[2]);
    }

    /** {@code maj(a, ~b, c)}: one instruction instead of a NOT and a MAJ when nothing folds. */
    private int majn(int a, int b, int c) {
        if (a < 0 || b < 0 || c < 0 || a == c) return maj(a, not(b), c);
        return emit(MAJN, Math.min(a, c), b, Math.max(a, c));
    }

    /** Full adder; returns {sum, carry}; when {@code needCarry} is false the carry is not built. */
    private int[] fa(int a, int b, int c, boolean needCarry) {
        // move constants to c, then b
        int[] s = sort3(a, b, c); // constants are negative, so they sort first
        a = s[2];
        b = s[1];
        c = s[0];
        if (c < 0 && b < 0) { // two constants
            int k = (c == C1 ? 1 : 0) + (b == C1 ? 1 : 0);
            if (k == 0) return new int[] {a, C0};
            if (k == 1) return new int[] {not(a), needCarry ? a : C0};
            return new int[] {a, C1};
        }
        if (c < 0) { // one constant
            if (c == C0) {
                if (!needCarry) return new int[] {xor(a, b), C0};
                int[] hit = cse.get(HA, Math.min(a, b), Math.max(a, b), 0);
                if (hit != null) return hit.clone();
                int sd = newSlot(), cd = newSlot();
                put(HA, sd, cd, Math.min(a, b), Math.max(a, b), 0);
                cse.put(HA, Math.min(a, b), Math.max(a, b), 0, sd, cd);
                return new int[] {sd, cd};
            }
            return new int[] {not(xor(a, b)), needCarry ? or(a, b) : C0};
        }
        if (!needCarry) return new int[] {xor(xor(a, b), c), C0};
        int[] t = sort3(a, b, c);
        int[] hit = cse.get(FA, t[0], t[1], t[2]);
        if (hit != null) return hit.clone();
        int sd = newSlot(), cd = newSlot();
        put(FA, sd, cd, t[0], t[1], t[2]);
        cse.put(FA, t[0], t[1], t[2], sd, cd);
        return new int[] {sd, cd};
    }

    private static int[] sort3(int a, int b, int c) {
        int[] s = {a, b, c};
        Arrays.sort(s);
        return s;
    }

    /** Open-addressing table of (op, a, b, c) -> (r0, r1) for sharing identical gates. */
    private static final class Cse {
        private int[] keys = new int[4 * (1 << 16)];
        private int[] vals = new int[2 * (1 << 16)];
        private boolean[] used = new boolean[1 << 16];
        private int size;

        private static int hash(int op, int a, int b, int c) {
            int h = op * 0x9E3779B1 ^ a * 0x85EBCA6B ^ Integer.rotateLeft(b * 0xC2B2AE35, 11) ^ Integer.rotateLeft(c * 0x27D4EB2F, 21);
            return h ^ (h >>> 15);
        }

        int[] get(int op, int a, int b, int c) {
            int mask = used.length - 1;
            for (int i = hash(op, a, b, c) & mask; used[i]; i = (i + 1) & mask)
                if (keys[4 * i] == op && keys[4 * i + 1] == a && keys[4 * i + 2] == b && keys[4 * i + 3] == c)
                    return new int[] {vals[2 * i], vals[2 * i + 1]};
            return null;
        }

        void put(int op, int a, int b, int c, int r0, int r1) {
            if (2 * (size + 1) > used.length) grow();
            int mask = used.length - 1;
            int i = hash(op, a, b, c) & mask;
            while (used[i]) i = (i + 1) & mask;
            used[i] = true;
            keys[4 * i] = op;
            keys[4 * i + 1] = a;
            keys[4 * i + 2] = b;
            keys[4 * i + 3] = c;
            vals[2 * i] = r0;
            vals[2 * i + 1] = r1;
            size++;
        }

        private void grow() {
            int[] ok = keys, ov = vals;
            boolean[] ou = used;
            keys = new int[ok.length * 2];
            vals = new int[ov.length * 2];
            used = new boolean[ou.length * 2];
            size = 0;
            for (int i = 0; i < ou.length; i++)
                if (ou[i]) put(ok[4 * i], ok[4 * i + 1], ok[4 * i + 2], ok[4 * i + 3], ov[2 * i], ov[2 * i + 1]);
        }
    }
}
