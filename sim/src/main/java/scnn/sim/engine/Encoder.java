package scnn.sim.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import scnn.ir.Design;

/**
 * The encoding pass: turns the raw blocks into the executable {@link Program}. Consecutive
 * fixed-arity instructions of one kind in a block become one group (dispatch once per group),
 * kernels keep their records, and each block learns whether its node's signals are all its own writes (activity
 * analysis: then the node changed only if one of those writes changed a value).
 */
final class Encoder {
    /**
     * A block of raw code: [from, to) in the raw code, the node it marks (or -1 - commit index), its
     * operand nodes, and where each element's instructions start (the last entry: where they end),
     * or null.
     */
    record Block(int from, int to, int marks, int[] deps, int[] elements) {}

    /** A node of at least this many elements may be encoded as one {@link Instr#REP} record. */
    static final int REP_MIN_COPIES = 2;
    /** Whether patterns become {@link Instr#REP} records (off only in tests that compare both encodings). */
    static volatile boolean repeatPatterns = true;

    private Encoder() {}

    static Program encode(Design d, Signals sg, Code raw, List<Block> blocks, Commits commits, List<long[]> tables, int[] merged) {
        int[] a = raw.a;
        int nb = blocks.size();
        int[] bs = new int[nb], be = new int[nb], bm = new int[nb], ds = new int[nb + 1];
        boolean[] exact = new boolean[nb];
        int total = 0;
        for (Block b : blocks) total += b.deps().length;
        int[] dep = new int[total];
        int[] out = new int[raw.len + 16];
        int len = 0, k = 0;
        List<int[]> kin = new ArrayList<>();
        List<Integer> knode = new ArrayList<>();
        Counts counts = new Counts(d, sg, raw, blocks);
        for (int bi = 0; bi < nb; bi++) {
            Block b = blocks.get(bi);
            bm[bi] = b.marks();
            ds[bi] = k;
            for (int x : b.deps()) dep[k++] = x;
            exact[bi] = b.marks() >= 0 && writesAll(a, b.from(), b.to(), sg.sig[b.marks()]);
            bs[bi] = len;
            int[] rep = b.elements() == null || !repeatPatterns ? null : repeat(a, b.elements(), counts);
            if (rep != null) {
                if (len + rep.length > out.length) out = Arrays.copyOf(out, Math.max(2 * out.length, len + rep.length));
                System.arraycopy(rep, 0, out, len, rep.length);
                len += rep.length;
                be[bi] = len;
                continue;
            }
            int pc = b.from();
            while (pc < b.to()) {
                Instr op = Instr.op(a, pc);
                if (!op.fixed()) {
                    int end = Instr.next(a, pc), n = end - pc;
                    if (len + n > out.length) out = Arrays.copyOf(out, Math.max(2 * out.length, len + n));
                    System.arraycopy(a, pc, out, len, n);
                    if (op == Instr.PCNT) {
                        kin.add(Arrays.copyOfRange(a, Instr.readsAt(a, pc), end));
                        knode.add(b.marks());
                    }
                    len += n;
                    pc = end;
                    continue;
                }
                int start = pc, n = 0;
                while (pc < b.to() && a[pc] == op.ordinal()) {
                    pc = Instr.next(a, pc);
                    n++;
                }
                int per = op.operands();
                if (len + 2 + n * per > out.length) out = Arrays.copyOf(out, Math.max(2 * out.length, len + 2 + n * per));
                out[len++] = op.ordinal();
                out[len++] = n;
                for (int q = start; q < pc; q = Instr.next(a, q)) {
                    for (int i = Instr.writesAt(a, q), end = Instr.next(a, q); i < end; i++) {
                        if (a[i] < 0) throw new IllegalStateException(op + " with a constant operand");
                        out[len++] = a[i];
                    }
                }
            }
            be[bi] = len;
        }
        ds[nb] = k;
        var blk = new Program.Blocks(bs, be, bm, exact, ds, dep);
        return new Program(d, sg.slots(), sg.owners(), sg.sig, Arrays.copyOf(out, len), blk, commits,
                kin.toArray(new int[0][]), knode.stream().mapToInt(Integer::intValue).toArray(), tables.toArray(new long[0][]), merged,
                counts.classSlot.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The {@link Instr#REP} record of a block whose elements (raw code from {@code el[g]} to
     * {@code el[g + 1]}) are copies of one pattern: the same fixed-arity instructions in the same
     * order, every operand a slot advancing by a constant stride from copy to copy, and every read
     * either of a slot written outside the block or of an earlier result of the same copy. Else
     * null (the block is encoded as groups).
     */
    static int[] repeat(int[] a, int[] el, Counts counts) {
        int copies = el.length - 1;
        if (copies < REP_MIN_COPIES || el[0] == el[1]) return null;
        List<Integer> first = new ArrayList<>();
        for (int pc = el[0]; pc < el[1]; pc = Instr.next(a, pc)) {
            if (!Instr.op(a, pc).fixed()) return null;
            first.add(pc);
        }
        int k = first.size();
        int[][] rec = new int[copies][k];
        for (int g = 0; g < copies; g++) {
            int t = 0;
            for (int pc = el[g]; pc < el[g + 1]; pc = Instr.next(a, pc), t++) {
                if (t == k || a[pc] != a[first.get(t)]) return null;
                rec[g][t] = pc;
            }
            if (t != k) return null;
        }
        // every operand affine in the copy; the writer (copy, instruction) of every slot written here
        java.util.Map<Integer, Integer> writer = new java.util.HashMap<>();
        int ints = Instr.REP_HEADER;
        for (int t = 0; t < k; t++) {
            Instr op = Instr.op(a, rec[0][t]);
            ints += 1 + 2 * op.operands() + op.writes;
            for (int o = 0; o < op.operands(); o++) {
                int v0 = a[Instr.writesAt(a, rec[0][t]) + o];
                long stride = (long) a[Instr.writesAt(a, rec[1][t]) + o] - v0;
                for (int g = 0; g < copies; g++) {
                    int v = a[Instr.writesAt(a, rec[g][t]) + o];
                    if (v < 0 || v != v0 + g * stride) return null;
                    if (o < op.writes) writer.put(v, g * k + t);
                }
            }
        }
        for (int g = 0; g < copies; g++)
            for (int t = 0; t < k; t++) {
                int pc = rec[g][t];
                for (int i = Instr.readsAt(a, pc), end = Instr.next(a, pc); i < end; i++) {
                    Integer w = writer.get(a[i]);
                    if (w != null && (w / k != g || w % k >= t)) return null;
                }
            }
        int[] r = new int[ints];
        r[0] = Instr.REP.ordinal();
        r[1] = ints;
        r[2] = copies;
        r[3] = k;
        int q = Instr.REP_HEADER;
        for (int t = 0; t < k; t++) {
            Instr op = Instr.op(a, rec[0][t]);
            r[q++] = op.ordinal();
            // the writes of this instruction count into classes when every copy of each counts alike
            boolean alike = true;
            for (int o = 0; o < op.writes; o++)
                for (int g = 1; g < copies && alike; g++)
                    alike = counts.alike(a[Instr.writesAt(a, rec[0][t]) + o], a[Instr.writesAt(a, rec[g][t]) + o]);
            for (int o = 0; o < op.operands(); o++) {
                int v0 = a[Instr.writesAt(a, rec[0][t]) + o];
                r[q++] = v0;
                r[q++] = a[Instr.writesAt(a, rec[1][t]) + o] - v0;
                if (o < op.writes) r[q++] = alike ? counts.newClass(v0) : -1;
            }
        }
        return r;
    }

    /**
     * What the event accounting reads of each slot: its owner, and its appearances (every node
     * whose signals hold it, every popcount kernel whose inputs hold it, with repeats). Slots that
     * agree on both are summed alike by every event sum, so they may share one toggle count.
     */
    static final class Counts {
        private final int[] owner;
        private final int[] start;
        private final int[] seen;
        final List<Integer> classSlot = new ArrayList<>();

        Counts(Design d, Signals sg, Code raw, List<Block> blocks) {
            owner = sg.owners();
            int n = sg.slots();
            int[] cnt = new int[n + 1];
            int[] a = raw.a;
            for (int[] x : sg.sig) if (x != null) for (int v : x) if (v >= 0) cnt[v]++;
            for (Block b : blocks)
                for (int pc = b.from(); pc < b.to(); pc = Instr.next(a, pc))
                    if (Instr.op(a, pc) == Instr.PCNT) for (int i = Instr.readsAt(a, pc), e = Instr.next(a, pc); i < e; i++) cnt[a[i]]++;
            start = new int[n + 1];
            for (int i = 0; i < n; i++) start[i + 1] = start[i] + cnt[i];
            seen = new int[start[n]];
            int[] fill = Arrays.copyOf(start, n);
            for (int id = 0; id < sg.sig.length; id++) {
                int[] x = sg.sig[id];
                if (x != null) for (int v : x) if (v >= 0) seen[fill[v]++] = id;
            }
            for (Block b : blocks)
                for (int pc = b.from(); pc < b.to(); pc = Instr.next(a, pc))
                    if (Instr.op(a, pc) == Instr.PCNT) for (int i = Instr.readsAt(a, pc), e = Instr.next(a, pc); i < e; i++) seen[fill[a[i]]++] = -1 - pc;
        }

        /** Whether every event sum reads slots {@code u} and {@code v} alike. */
        boolean alike(int u, int v) {
            if (owner[u] != owner[v] || start[u + 1] - start[u] != start[v + 1] - start[v]) return false;
            return Arrays.equals(seen, start[u], start[u + 1], seen, start[v], start[v + 1]);
        }

        /** A new count class held by slot {@code v}; returns its index. */
        int newClass(int v) {
            classSlot.add(v);
            return classSlot.size() - 1;
        }
    }

    /**
     * Whether every non-constant signal of a node is written by the node's own instructions in
     * [{@code from}, {@code to}) of the raw code. A node that aliases an operand's slot or reuses a
     * shared gate of an earlier node must be marked changed whenever it runs.
     */
    private static boolean writesAll(int[] a, int from, int to, int[] signals) {
        BitSet written = new BitSet();
        for (int pc = from; pc < to; pc = Instr.next(a, pc))
            for (int i = Instr.writesAt(a, pc), end = i + Instr.nWrites(a, pc); i < end; i++) written.set(a[i]);
        for (int x : signals) if (x >= 0 && !written.get(x)) return false;
        return true;
    }
}
