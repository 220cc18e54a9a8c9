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
    /**
     * Whether long groups become {@link Instr#CLASSED} groups: off in tests that compare both
     * encodings, and with {@code -Dscnn.sim.classed=false} (to measure the difference).
     */
    static volatile boolean classedGroups = Boolean.parseBoolean(System.getProperty("scnn.sim.classed", "true"));
    /** A group of at least this many single-write instructions may be split into {@link Instr#CLASSED} groups. */
    static final int CLASSED_MIN_GROUP = 16;
    /** A count class of at least this many writes of such a group becomes a {@link Instr#CLASSED} group. */
    static final int CLASSED_MIN_CLASS = 4;

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
        // the patterns first (their writes are the slots whose count classes are decided), then
        // what the event sums read of those slots, then the classes
        int[] writer = new int[sg.slots()];
        Arrays.fill(writer, -1);
        int[][] reps = new int[nb][];
        java.util.BitSet patterned = new java.util.BitSet();
        for (int bi = 0; bi < nb && repeatPatterns; bi++) {
            Block b = blocks.get(bi);
            if (b.elements() != null) reps[bi] = repeat(a, b.elements(), writer);
            if (reps[bi] != null) markWrites(reps[bi], patterned);
        }
        // the writes of long groups outside the patterns may count into classes too (Instr.CLASSED)
        java.util.BitSet of = (java.util.BitSet) patterned.clone();
        for (int bi = 0; bi < nb && classedGroups; bi++) {
            Block b = blocks.get(bi);
            if (reps[bi] != null) continue;
            for (int pc = b.from(); pc < b.to(); ) {
                int end = groupEnd(a, pc, b.to());
                if (end < 0) {
                    pc = Instr.next(a, pc);
                    continue;
                }
                if (Instr.op(a, pc).writes == 1 && (end - pc) / (Instr.HEADER + Instr.op(a, pc).operands()) >= CLASSED_MIN_GROUP)
                    for (int q = pc; q < end; q = Instr.next(a, q)) of.set(a[Instr.writesAt(a, q)]);
                pc = end;
            }
        }
        Counts counts = of.isEmpty() ? null : new Counts(sg, raw, blocks, of);
        int[] stamp = new int[sg.slots()];
        int marks = 0;
        for (int[] r : reps) if (r != null) classes(r, counts);
        // per slot, the last block (+ 1) that wrote it: the activity analysis's marks, reused by every block
        int[] written = new int[sg.slots()];
        for (int bi = 0; bi < nb; bi++) {
            Block b = blocks.get(bi);
            bm[bi] = b.marks();
            ds[bi] = k;
            for (int x : b.deps()) dep[k++] = x;
            exact[bi] = b.marks() >= 0 && writesAll(a, b.from(), b.to(), sg.sig[b.marks()], written, bi + 1);
            bs[bi] = len;
            int[] rep = reps[bi];
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
                int[] cg = counts != null && classedGroups && op.writes == 1 && n >= CLASSED_MIN_GROUP ? classed(a, start, pc, n, op, counts, stamp, ++marks) : null;
                if (cg != null) {
                    if (len + cg.length > out.length) out = Arrays.copyOf(out, Math.max(2 * out.length, len + cg.length));
                    System.arraycopy(cg, 0, out, len, cg.length);
                    len += cg.length;
                    continue;
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
                counts == null ? new int[0] : counts.classSlot.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The {@link Instr#REP} record of a block whose elements (raw code from {@code el[g]} to
     * {@code el[g + 1]}) are copies of one pattern: the same fixed-arity instructions in the same
     * order, every operand a slot advancing by a constant stride from copy to copy, and every read
     * either of a slot written outside the block or of an earlier result of the same copy. Else
     * null (the block is encoded as groups).
     */
    static int[] repeat(int[] a, int[] el, int[] writer) {
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
        int[] written = new int[copies * k * 2];
        int nw = 0;
        int ints = Instr.REP_HEADER;
        boolean ok = true;
        for (int t = 0; t < k && ok; t++) {
            Instr op = Instr.op(a, rec[0][t]);
            ints += 1 + 2 * op.operands() + op.writes;
            for (int o = 0; o < op.operands() && ok; o++) {
                int v0 = a[Instr.writesAt(a, rec[0][t]) + o];
                long stride = (long) a[Instr.writesAt(a, rec[1][t]) + o] - v0;
                if (o < op.writes && stride == 0) ok = false; // (every slot has one writer; kept as a guard)
                for (int g = 0; g < copies && ok; g++) {
                    int v = a[Instr.writesAt(a, rec[g][t]) + o];
                    if (v < 0 || v != v0 + g * stride) ok = false;
                    else if (o < op.writes) {
                        writer[v] = g * k + t;
                        written[nw++] = v;
                    }
                }
            }
        }
        for (int g = 0; g < copies && ok; g++)
            for (int t = 0; t < k && ok; t++) {
                int pc = rec[g][t];
                for (int i = Instr.readsAt(a, pc), end = Instr.next(a, pc); i < end; i++) {
                    int w = writer[a[i]];
                    if (w >= 0 && (w / k != g || w % k >= t)) ok = false;
                }
            }
        for (int i = 0; i < nw; i++) writer[written[i]] = -1;
        if (!ok) return null;
        int[] r = new int[ints];
        r[0] = Instr.REP.ordinal();
        r[1] = ints;
        r[2] = copies;
        r[3] = k;
        int q = Instr.REP_HEADER;
        for (int t = 0; t < k; t++) {
            Instr op = Instr.op(a, rec[0][t]);
            r[q++] = op.ordinal();
            for (int o = 0; o < op.operands(); o++) {
                int v0 = a[Instr.writesAt(a, rec[0][t]) + o];
                r[q++] = v0;
                r[q++] = a[Instr.writesAt(a, rec[1][t]) + o] - v0;
                if (o < op.writes) r[q++] = -1; // count class: decided by classes()
            }
        }
        return r;
    }

    /** The end of the group (consecutive fixed-arity instructions of one kind) at {@code pc} of the raw code, or -1 for a kernel. */
    private static int groupEnd(int[] a, int pc, int to) {
        Instr op = Instr.op(a, pc);
        if (!op.fixed()) return -1;
        while (pc < to && a[pc] == op.ordinal()) pc = Instr.next(a, pc);
        return pc;
    }

    /**
     * The encoding of the group of {@code n} single-write instructions {@code op} in [{@code from},
     * {@code to}) of the raw code as {@link Instr#CLASSED} groups: the instructions are sorted by the
     * count class of their writes (writes that every event sum reads alike, {@link Counts}: the
     * products of one neuron's up count, say), each class of at least {@link #CLASSED_MIN_CLASS}
     * writes becomes one classed group, and the rest one plain group, in their order. Sorting is
     * exact because no instruction of the group reads a slot that the group writes (else null: the
     * group stays as it is); {@code stamp} marks the group's writes with {@code mark}, unique per group.
     */
    static int[] classed(int[] a, int from, int to, int n, Instr op, Counts counts, int[] stamp, int mark) {
        for (int q = from; q < to; q = Instr.next(a, q)) stamp[a[Instr.writesAt(a, q)]] = mark;
        for (int q = from; q < to; q = Instr.next(a, q))
            for (int i = Instr.readsAt(a, q), e = Instr.next(a, q); i < e; i++) if (a[i] >= 0 && stamp[a[i]] == mark) return null;
        java.util.Map<Counts.Key, List<Integer>> byClass = new java.util.LinkedHashMap<>();
        for (int q = from; q < to; q = Instr.next(a, q)) byClass.computeIfAbsent(counts.key(a[Instr.writesAt(a, q)]), k -> new ArrayList<>()).add(q);
        int per = op.operands();
        List<Integer> rest = new ArrayList<>();
        int classedCount = 0, groups = 0;
        for (List<Integer> g : byClass.values()) {
            if (g.size() >= CLASSED_MIN_CLASS) {
                classedCount += g.size();
                groups++;
            } else rest.addAll(g);
        }
        if (groups == 0) return null;
        java.util.Collections.sort(rest);
        int[] r = new int[groups * Instr.CLASSED_HEADER + classedCount * per + (rest.isEmpty() ? 0 : 2 + rest.size() * per)];
        int len = 0;
        for (List<Integer> g : byClass.values()) {
            if (g.size() < CLASSED_MIN_CLASS) continue;
            r[len++] = Instr.CLASSED.ordinal();
            r[len++] = g.size();
            r[len++] = op.ordinal();
            r[len++] = counts.newClass(a[Instr.writesAt(a, g.get(0))]);
            for (int q : g) for (int i = Instr.writesAt(a, q), e = Instr.next(a, q); i < e; i++) r[len++] = a[i];
        }
        if (!rest.isEmpty()) {
            r[len++] = op.ordinal();
            r[len++] = rest.size();
            for (int q : rest) for (int i = Instr.writesAt(a, q), e = Instr.next(a, q); i < e; i++) r[len++] = a[i];
        }
        for (int i = 0; i < len; ) { // (the plain path's guard: fixed-arity operands are slots)
            int k = r[i] == Instr.CLASSED.ordinal() ? Instr.CLASSED_HEADER : 2, cnt = r[i + 1];
            for (int j = i + k, e = i + k + cnt * per; j < e; j++) if (r[j] < 0) throw new IllegalStateException(op + " with a constant operand");
            i += k + cnt * per;
        }
        return r;
    }

    /** Marks the slots written by the {@link Instr#REP} record {@code r}. */
    private static void markWrites(int[] r, java.util.BitSet into) {
        int copies = r[2], k = r[3];
        for (int t = 0, q = Instr.REP_HEADER; t < k; t++) {
            Instr op = Instr.ALL[r[q++]];
            for (int o = 0; o < op.operands(); o++, q += 2) {
                if (o < op.writes) {
                    for (int g = 0; g < copies; g++) into.set(r[q] + g * r[q + 1]);
                    q++;
                }
            }
        }
    }

    /**
     * Decides the count classes of the {@link Instr#REP} record {@code r}: the writes of an
     * instruction count into classes when every copy of each counts alike; writes of the record that
     * count alike with each other (the bits of one node, say) share a class.
     */
    private static void classes(int[] r, Counts counts) {
        int copies = r[2], k = r[3];
        List<Integer> mine = new ArrayList<>(); // the classes of this record so far
        for (int t = 0, q = Instr.REP_HEADER; t < k; t++) {
            Instr op = Instr.ALL[r[q++]];
            boolean alike = true;
            for (int o = 0, w = q; o < op.writes; o++, w += 3)
                for (int g = 1; g < copies && alike; g++) alike = counts.alike(r[w], r[w] + g * r[w + 1]);
            for (int o = 0; o < op.operands(); o++, q += 2) {
                if (o < op.writes) {
                    r[q + 2] = alike ? counts.classOf(r[q], mine) : -1;
                    q++;
                }
            }
        }
    }

    /**
     * What the event accounting reads of each slot: its owner, and its appearances (every node
     * whose signals hold it, every popcount kernel whose inputs hold it, with repeats). Slots that
     * agree on both are summed alike by every event sum, so they may share one toggle count.
     */
    static final class Counts {
        private final int[] owner;
        /** Per slot, its index among the slots of interest, or -1. */
        private final int[] index;
        private final int[] start;
        private final int[] seen;
        final List<Integer> classSlot = new ArrayList<>();

        /** The appearances of the slots in {@code of} (the others are never compared). */
        Counts(Signals sg, Code raw, List<Block> blocks, java.util.BitSet of) {
            owner = sg.owners();
            index = new int[sg.slots()];
            Arrays.fill(index, -1);
            int n = 0;
            for (int v = of.nextSetBit(0); v >= 0; v = of.nextSetBit(v + 1)) index[v] = n++;
            int[] cnt = new int[n + 1];
            int[] a = raw.a;
            // (the bit set, small enough for the cache, filters the scan of every node's signals)
            for (int[] x : sg.sig) if (x != null) for (int v : x) if (v >= 0 && of.get(v)) cnt[index[v]]++;
            for (Block b : blocks)
                for (int pc = b.from(); pc < b.to(); pc = Instr.next(a, pc))
                    if (Instr.op(a, pc) == Instr.PCNT)
                        for (int i = Instr.readsAt(a, pc), e = Instr.next(a, pc); i < e; i++) if (of.get(a[i])) cnt[index[a[i]]]++;
            start = new int[n + 1];
            for (int i = 0; i < n; i++) start[i + 1] = start[i] + cnt[i];
            seen = new int[start[n]];
            int[] fill = Arrays.copyOf(start, n);
            for (int id = 0; id < sg.sig.length; id++) {
                int[] x = sg.sig[id];
                if (x != null) for (int v : x) if (v >= 0 && of.get(v)) seen[fill[index[v]]++] = id;
            }
            for (Block b : blocks)
                for (int pc = b.from(); pc < b.to(); pc = Instr.next(a, pc))
                    if (Instr.op(a, pc) == Instr.PCNT)
                        for (int i = Instr.readsAt(a, pc), e = Instr.next(a, pc); i < e; i++) if (of.get(a[i])) seen[fill[index[a[i]]]++] = -1 - pc;
        }

        /** What every event sum reads of a slot: its owner and its appearances; equal keys count alike. */
        static final class Key {
            final int owner;
            final int[] seen;
            final int hash;

            Key(int owner, int[] seen) {
                this.owner = owner;
                this.seen = seen;
                this.hash = 31 * owner + Arrays.hashCode(seen);
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Key k && k.owner == owner && Arrays.equals(k.seen, seen);
            }

            @Override
            public int hashCode() {
                return hash;
            }
        }

        /** The key of slot {@code v} (of interest): slots of equal keys are {@link #alike}. */
        Key key(int v) {
            int x = index[v];
            return new Key(owner[v], Arrays.copyOfRange(seen, start[x], start[x + 1]));
        }

        /** Whether every event sum reads slots {@code u} and {@code v} (both of interest) alike. */
        boolean alike(int u, int v) {
            if (owner[u] != owner[v]) return false;
            int x = index[u], y = index[v];
            return Arrays.equals(seen, start[x], start[x + 1], seen, start[y], start[y + 1]);
        }

        /**
         * The count class of slot {@code v}: one of {@code mine} whose slot every event sum reads
         * alike with {@code v}, else a new class held by {@code v} (added to {@code mine}).
         */
        int classOf(int v, List<Integer> mine) {
            for (int cl : mine) if (alike(classSlot.get(cl), v)) return cl;
            int cl = newClass(v);
            mine.add(cl);
            return cl;
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
     * shared gate of an earlier node must be marked changed whenever it runs. {@code written} holds,
     * per slot, the mark of the last block that wrote it ({@code mark} is this block's, unique).
     */
    private static boolean writesAll(int[] a, int from, int to, int[] signals, int[] written, int mark) {
        for (int pc = from; pc < to; pc = Instr.next(a, pc))
            for (int i = Instr.writesAt(a, pc), end = i + Instr.nWrites(a, pc); i < end; i++) written[a[i]] = mark;
        for (int x : signals) if (x >= 0 && written[x] != mark) return false;
        return true;
    }
}
