package scnn.sim.engine;

import static scnn.sim.engine.Program.C0;
import static scnn.sim.engine.Program.C1;

import java.util.Arrays;
import scnn.ir.Bits;
import scnn.ir.Node;
import scnn.ir.Op;

/**
 * Executes a {@link Program} for {@link #LANES} instances of the design at once: bit j of every
 * slot (one {@code long}) belongs to instance (lane) j.
 * Not thread-safe; use one machine per thread.
 *
 * <p>One execution loop serves both modes: every write compares the new value with the old one
 * (that tells whether a node changed, for the activity rule) and adds the toggles in the counted
 * lanes to the slot's count; while events are not counted, the count mask is 0.
 */
public final class Machine {
    /** Instances run side by side. */
    public static final int LANES = 64;
    /** Flush the int toggle counts after this many evaluations and edges (each adds at most 64 per slot). */
    private static final int FLUSH = 1 << 24;

    private Program p;
    private final Program[] programs;
    private final long[][] runsPerProgram;
    /** Slot values. */
    private final long[] s;
    /**
     * Toggles per slot since the last flush into {@link #total}: an int halves the memory traffic of
     * counting; flushing after {@link #FLUSH} evaluations and edges (counted together) cannot overflow.
     */
    private final int[] tog;
    private final long[] total;
    /** Per variant, the toggles of its count classes ({@link Program#classSlot}); the active variant's. */
    private final long[][] classTogs;
    private long[] classTog;
    private int sinceFlush;
    private final int[] stamp;
    private final boolean[] commitPending;
    private long[] blockRuns;
    private final long[] kcount = new long[64];
    private int epoch;
    private boolean counting;
    /** Counted lanes. */
    private long laneMask = -1L;
    /** The lanes whose toggles are added: {@link #laneMask} while counting, else 0. */
    private long countMask;
    private long cycles;
    /** Whether pattern records with fused code run it ({@link #useFused}). */
    private boolean fusedOn = true;
    /** Per variant, its narrow popcount kernels grouped by eight ({@link PopcountGroups}), or null: the active variant's. */
    private final PopcountGroups[] groupsPerProgram;
    private PopcountGroups groups;
    /** The vector kernel's counts, bit b of lane i at {@code b * 8 + i}. */
    private final long[] vcount = new long[12 * PopcountGroups.LANES];
    /** The vector kernel's gathered inputs. */
    private long[] vbuf = new long[0];

    /**
     * A machine for one program, or for variants of one design compiled with different fixed inputs
     * (they share the layout of inputs, registers and memories); the first is active.
     */
    public Machine(Program... variants) {
        this.programs = variants.clone();
        this.p = variants[0];
        int slots = 0;
        for (Program q : variants) {
            slots = Math.max(slots, q.slots);
            if (q.design != p.design || q.commits.nodes() != p.commits.nodes()) throw new IllegalArgumentException("variants of different designs");
            if (!Arrays.equals(q.merged, p.merged))
                throw new IllegalArgumentException("variants with different register merges: compile them with Compiler.compile(design, inputs, layout)");
        }
        // one slot more than any variant has: the pad slot of the vector kernel's groups, always 0
        this.s = new long[slots + 1];
        this.tog = new int[slots];
        this.total = new long[slots];
        this.stamp = new int[p.design.nodes().size()];
        this.commitPending = new boolean[p.commits.nodes()];
        this.runsPerProgram = new long[variants.length][];
        this.classTogs = new long[variants.length][];
        for (int i = 0; i < variants.length; i++) {
            runsPerProgram[i] = new long[variants[i].blocks()];
            classTogs[i] = new long[variants[i].classSlot.length];
        }
        this.blockRuns = runsPerProgram[0];
        this.classTog = classTogs[0];
        this.groupsPerProgram = new PopcountGroups[variants.length];
        if (PopcountGroups.use())
            for (int i = 0; i < variants.length; i++) groupsPerProgram[i] = variants[i].popcountGroups(slots);
        this.groups = groupsPerProgram[0];
        reset();
    }

    /**
     * Makes variant {@code i} the active program. Its combinational values are recomputed at the next
     * evaluation (every node counts as changed); the state carries over.
     */
    public void use(int i) {
        if (programs[i] == p) return;
        p = programs[i];
        blockRuns = runsPerProgram[i];
        classTog = classTogs[i];
        groups = groupsPerProgram[i];
        Arrays.fill(commitPending, false);
        touchAll();
    }

    public Program program() {
        return p;
    }

    /**
     * Puts every instance into its reset state (registers at their init values, memories and inputs
     * at 0), as a synchronous reset does; every node counts as changed.
     */
    public void reset() {
        Arrays.fill(s, 0);
        for (Node n : p.design.nodes()) {
            if (n.op() != Op.REG) continue;
            int[] sg = p.signals[n.id()];
            int w = n.width();
            for (int g = 0; g < n.count(); g++) {
                Bits b = n.data(g);
                for (int i = 0; i < w; i++) s[sg[g * w + i]] = b.bit(i) ? -1L : 0L;
            }
        }
        touchAll();
    }

    /** Marks every node as changed, so that the next evaluation recomputes everything. */
    public void touchAll() {
        Arrays.fill(stamp, epoch);
    }

    /** Counts the toggles of lanes 0 .. n-1 only (all lanes by default). */
    public void setCountedLanes(int n) {
        if (n < 0 || n > LANES) throw new IllegalArgumentException("lanes " + n);
        laneMask = n == 64 ? -1L : (1L << n) - 1;
        setCounting(counting);
    }

    /**
     * Whether pattern records run their fused code ({@link Fuser}) in full batches (the default) or
     * the loops. The results are the same either way; the fused code is faster once the JIT has
     * compiled it, which costs about a second or two of compiler time at the start of a run.
     */
    public void useFused(boolean on) {
        this.fusedOn = on;
    }

    /** Whether this machine runs the narrow popcount kernels eight at a time through the vector kernel ({@link PopcountGroups}). */
    public boolean vectorPopcounts() {
        return groupsPerProgram[0] != null;
    }

    /** Starts or stops counting toggles. */
    public void setCounting(boolean on) {
        this.counting = on;
        countMask = on ? laneMask : 0L;
    }

    /**
     * Toggles per slot counted so far (in the counted lanes). The slots of one count class (the
     * copies of a {@link Instr#REP} write that count alike, {@link Program#classSlot}) share one count,
     * held by the class's first slot; the others read 0, so that every sum over a node's signals,
     * over the slots a node owns or over a kernel's inputs is the sum of the slots' own toggles.
     */
    public long[] toggles() {
        flush();
        return total;
    }

    private void flush() {
        for (int i = 0; i < tog.length; i++) {
            total[i] += tog[i];
            tog[i] = 0;
        }
        for (int v = 0; v < programs.length; v++) {
            int[] cs = programs[v].classSlot;
            long[] ct = classTogs[v];
            for (int k = 0; k < cs.length; k++) {
                total[cs[k]] += ct[k];
                ct[k] = 0;
            }
        }
        sinceFlush = 0;
    }

    public void clearToggles() {
        Arrays.fill(tog, 0);
        Arrays.fill(total, 0);
        for (long[] ct : classTogs) Arrays.fill(ct, 0);
        sinceFlush = 0;
        for (long[] r : runsPerProgram) Arrays.fill(r, 0);
    }

    /** How often each block of the active program ran while counting (a block = a node's evaluation). */
    public long[] blockRuns() {
        return blockRuns;
    }

    /** How often each block of variant {@code i} ran while counting. */
    public long[] blockRuns(int i) {
        return runsPerProgram[i];
    }

    /** Clock edges executed since construction. */
    public long cycles() {
        return cycles;
    }

    // ---- lane-wise access ---------------------------------------------------------------------------

    /** Sets element {@code g} of an input, register or memory node in lane {@code lane}. */
    public void poke(Node n, int g, int lane, long value) {
        if (p.hasMerged[n.id()]) throw new IllegalArgumentException(n.name() + " has merged elements (equivalent registers share a slot) and cannot be poked");
        int[] sg = p.signals[n.id()];
        int w = n.width();
        long bit = 1L << lane;
        boolean changed = false;
        for (int i = 0; i < w; i++) {
            int slot = sg[g * w + i];
            if (slot < 0) throw new IllegalArgumentException(n.name() + " is constant");
            long old = s[slot];
            long nv = ((value >>> i) & 1) != 0 ? old | bit : old & ~bit;
            if (nv != old) {
                s[slot] = nv;
                changed = true;
            }
        }
        if (changed) stamp[n.id()] = epoch;
    }

    /** Sets a scalar input to the same value in all lanes. */
    public void set(Node n, long value) {
        int[] sg = p.signals[n.id()];
        boolean changed = false;
        for (int i = 0; i < n.width(); i++) {
            long nv = ((value >>> i) & 1) != 0 ? -1L : 0L;
            if (s[sg[i]] != nv) {
                s[sg[i]] = nv;
                changed = true;
            }
        }
        if (changed) stamp[n.id()] = epoch;
    }

    /** Sets a scalar input of any width to the same value in all lanes. */
    public void set(Node n, Bits value) {
        if (value.width() != n.width()) throw new IllegalArgumentException(n.name() + ": value of " + value.width() + " bits for " + n.width());
        int[] sg = p.signals[n.id()];
        boolean changed = false;
        for (int i = 0; i < n.width(); i++) {
            long nv = value.bit(i) ? -1L : 0L;
            if (s[sg[i]] != nv) {
                s[sg[i]] = nv;
                changed = true;
            }
        }
        if (changed) stamp[n.id()] = epoch;
    }

    /** Element {@code g} of a node in lane {@code lane} (up to 64 bits). */
    public long peek(Node n, int g, int lane) {
        int[] sg = p.signals[n.id()];
        int w = n.width();
        long v = 0;
        for (int i = 0; i < Math.min(w, 64); i++) if (bitOf(sg[g * w + i], lane)) v |= 1L << i;
        return v;
    }

    /** Element {@code g} of a node in lane {@code lane}, any width. */
    public Bits peekBits(Node n, int g, int lane) {
        int[] sg = p.signals[n.id()];
        int w = n.width();
        return Bits.fromBits(w, i -> bitOf(sg[g * w + i], lane));
    }

    /** The 64-lane word of one signal. */
    public long word(int signal) {
        return signal == C0 ? 0L : signal == C1 ? -1L : s[signal];
    }

    private boolean bitOf(int signal, int lane) {
        return ((word(signal) >>> lane) & 1) != 0;
    }

    // ---- execution --------------------------------------------------------------------------------

    /** Evaluates the combinational logic and the next state of every register (no edge). */
    public void eval() {
        final Program.Blocks blk = p.blocks;
        final int[] bs = blk.start(), be = blk.end(), bm = blk.marks(), ds = blk.depStart(), dep = blk.deps();
        final boolean[] exact = blk.exact();
        final int e = epoch;
        if (counting && ++sinceFlush >= FLUSH) flush();
        for (int b = 0; b < bs.length; b++) {
            boolean dirty = false;
            for (int k = ds[b], end = ds[b + 1]; k < end; k++)
                if (stamp[dep[k]] == e) {
                    dirty = true;
                    break;
                }
            if (!dirty) continue;
            if (counting) blockRuns[b]++;
            // a node whose instructions wrote no new value does not wake its readers (exact when
            // the block writes every signal of its node)
            boolean changed = be[b] == bs[b] || exec(bs[b], be[b]) != 0 || !exact[b];
            int m = bm[b];
            if (m >= 0) {
                if (changed) stamp[m] = e;
            } else {
                commitPending[-1 - m] = true;
            }
        }
    }

    /**
     * The clock edge: every register and memory takes its next value at once. (No next value is
     * another state element's current value: the compiler copies those before the edge.)
     */
    public void commit() {
        final Commits cm = p.commits;
        final int[] cur = cm.cur(), nx = cm.next(), cs = cm.nodeStart(), cn = cm.node(), ce = cm.enable();
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long m = countMask;
        if (counting && ++sinceFlush >= FLUSH) flush();
        final int next = epoch + 1;
        for (int r = 0; r < cn.length; r++) {
            if (!commitPending[r]) continue;
            commitPending[r] = false;
            long en = word(ce[r]);
            if (en == 0) continue;
            long changed = 0;
            for (int i = cs[r], z = cs[r + 1]; i < z; i++) {
                int c = cur[i], d = nx[i];
                long old = s[c], nv = d >= 0 ? s[d] : d == C0 ? 0L : -1L;
                if (en != -1L) nv = (old & ~en) | (nv & en);
                long x = old ^ nv;
                changed |= x;
                tog[c] += Long.bitCount(x & m);
                s[c] = nv;
            }
            if (changed != 0) stamp[cn[r]] = next;
        }
        epoch = next;
        cycles++;
    }

    /** One clock cycle: evaluate, then the edge. */
    public void step() {
        eval();
        commit();
    }

    /**
     * Pattern record at {@code pc} ({@link Instr#REP}): its fused code ({@link Fuser}) while every lane
     * counts, where the record has one, else the loops ({@link #repeat}).
     */
    private long pattern(int pc) {
        if (countMask == -1L && fusedOn) {
            Fuser.Fused[] seg = p.fused.at(pc);
            if (seg != null) {
                final int copies = p.code[pc + 2];
                long ch = 0;
                for (Fuser.Fused f : seg)
                    for (int g = 0; g < copies; g += Fuser.CHUNK) ch |= f.run(s, classTog, g, Math.min(copies, g + Fuser.CHUNK));
                return ch;
            }
        }
        return repeat(pc);
    }

    // ---- generated by LoopsGen from Instr's semantics (do not edit here: edit LoopsGen or Instr, then run it) ----
    /**
     * Runs the encoded code in [{@code from}, {@code to}), adding every written slot's toggles in
     * the counted lanes. Returns zero when nothing changed (else the OR of old ^ new over
     * every written word, or -1).
     */
    private long exec(int from, int to) {
        final int[] c = p.code;
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long m = this.countMask;
        long ch = 0;
        int pc = from;
        while (pc < to) {
            final Instr op = Instr.ALL[c[pc]];
            if (!op.fixed()) {
                final PopcountGroups.Run run = op == Instr.PCNT && groups != null ? groups.at(pc) : null;
                if (run != null) { // a run of narrow kernels, eight at a time
                    ch |= popcounts(run);
                    pc = run.end();
                    continue;
                }
                ch |= op == Instr.PCNT ? popcount(pc) : op == Instr.REP ? pattern(pc) : op == Instr.CLASSED ? classed(pc) : lookup(pc);
                pc = Instr.encodedNext(c, pc);
                continue;
            }
            final int n = c[pc + 1];
            int q = pc + 2;
            switch (op) {
                case COPY -> {
                    for (int i = 0; i < n; i++, q += 2) {
                        int d = c[q];
                        long va = s[c[q + 1]];
                        long r0 = va;
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case NOT -> {
                    for (int i = 0; i < n; i++, q += 2) {
                        int d = c[q];
                        long va = s[c[q + 1]];
                        long r0 = ~va;
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case AND -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q];
                        long va = s[c[q + 1]], vb = s[c[q + 2]];
                        long r0 = va & vb;
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case OR -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q];
                        long va = s[c[q + 1]], vb = s[c[q + 2]];
                        long r0 = va | vb;
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case XOR -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q];
                        long va = s[c[q + 1]], vb = s[c[q + 2]];
                        long r0 = va ^ vb;
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case XNOR -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q];
                        long va = s[c[q + 1]], vb = s[c[q + 2]];
                        long r0 = ~(va ^ vb);
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case ANDN -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q];
                        long va = s[c[q + 1]], vb = s[c[q + 2]];
                        long r0 = va & ~vb;
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case MUX -> {
                    for (int i = 0; i < n; i++, q += 4) {
                        int d = c[q];
                        long va = s[c[q + 1]], vb = s[c[q + 2]], vc = s[c[q + 3]];
                        long r0 = (vb & ~va) | (vc & va);
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case MAJ -> {
                    for (int i = 0; i < n; i++, q += 4) {
                        int d = c[q];
                        long va = s[c[q + 1]], vb = s[c[q + 2]], vc = s[c[q + 3]];
                        long r0 = (va & vb) | (vc & (va ^ vb));
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case MAJN -> {
                    for (int i = 0; i < n; i++, q += 4) {
                        int d = c[q];
                        long va = s[c[q + 1]], vb = s[c[q + 2]], vc = s[c[q + 3]];
                        long r0 = (va & ~vb) | (vc & (va ^ ~vb));
                        long xd = s[d] ^ r0;
                        ch |= xd;
                        tog[d] += Long.bitCount(xd & m);
                        s[d] = r0;
                    }
                }
                case HA -> {
                    for (int i = 0; i < n; i++, q += 4) {
                        int d = c[q], e = c[q + 1];
                        long va = s[c[q + 2]], vb = s[c[q + 3]];
                        long r0 = va ^ vb, r1 = va & vb;
                        long xd = s[d] ^ r0, xe = s[e] ^ r1;
                        ch |= xd | xe;
                        tog[d] += Long.bitCount(xd & m);
                        tog[e] += Long.bitCount(xe & m);
                        s[d] = r0;
                        s[e] = r1;
                    }
                }
                case FA -> {
                    for (int i = 0; i < n; i++, q += 5) {
                        int d = c[q], e = c[q + 1];
                        long va = s[c[q + 2]], vb = s[c[q + 3]], vc = s[c[q + 4]];
                        long r0 = va ^ vb ^ vc, r1 = (va & vb) | ((va ^ vb) & vc);
                        long xd = s[d] ^ r0, xe = s[e] ^ r1;
                        ch |= xd | xe;
                        tog[d] += Long.bitCount(xd & m);
                        tog[e] += Long.bitCount(xe & m);
                        s[d] = r0;
                        s[e] = r1;
                    }
                }
                default -> throw new IllegalStateException("bad opcode " + op);
            }
            pc = q;
        }
        return ch;
    }

    /**
     * Pattern record at {@code pc} ({@link Instr#REP}): instruction t of every copy, then
     * instruction t + 1, each as one loop over the copies with the operands advancing by their
     * strides. A write whose copies count alike adds its toggles to its count class (in a register
     * over the loop, then once to {@link #classTog}); else to each slot's count. While every lane
     * counts, a class's toggle count alone tells whether a write changed anything (no mask, no OR
     * of the differences in the loop). Returns the OR of old ^ new over every written word, or -1
     * when the counts said that something changed: only whether it is 0 matters.
     */
    private long repeat(int pc) {
        final int[] c = p.code;
        final int copies = c[pc + 2], k = c[pc + 3];
        long ch = 0;
        int q = pc + Instr.REP_HEADER;
        for (int t = 0; t < k; t++) {
            final Instr op = Instr.ALL[c[q]];
            switch (op) {
                case COPY -> {
                    ch |= repCopy(c, q, copies);
                    q += 6;
                }
                case NOT -> {
                    ch |= repNot(c, q, copies);
                    q += 6;
                }
                case AND -> {
                    ch |= repAnd(c, q, copies);
                    q += 8;
                }
                case OR -> {
                    ch |= repOr(c, q, copies);
                    q += 8;
                }
                case XOR -> {
                    ch |= repXor(c, q, copies);
                    q += 8;
                }
                case XNOR -> {
                    ch |= repXnor(c, q, copies);
                    q += 8;
                }
                case ANDN -> {
                    ch |= repAndn(c, q, copies);
                    q += 8;
                }
                case MUX -> {
                    ch |= repMux(c, q, copies);
                    q += 10;
                }
                case MAJ -> {
                    ch |= repMaj(c, q, copies);
                    q += 10;
                }
                case MAJN -> {
                    ch |= repMajn(c, q, copies);
                    q += 10;
                }
                case HA -> {
                    ch |= repHa(c, q, copies);
                    q += 11;
                }
                case FA -> {
                    ch |= repFa(c, q, copies);
                    q += 13;
                }
                default -> throw new IllegalStateException("bad opcode in a pattern: " + op);
            }
        }
        return ch;
    }

    /** COPY of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repCopy(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs) {
                long va = s[x];
                long r0 = va;
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs) {
                    long va = s[x];
                    long r0 = va;
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs) {
                    long va = s[x];
                    long r0 = va;
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** NOT of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repNot(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs) {
                long va = s[x];
                long r0 = ~va;
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs) {
                    long va = s[x];
                    long r0 = ~va;
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs) {
                    long va = s[x];
                    long r0 = ~va;
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** AND of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repAnd(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5], y = c[q + 6], ys = c[q + 7];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                long va = s[x], vb = s[y];
                long r0 = va & vb;
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va & vb;
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va & vb;
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** OR of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repOr(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5], y = c[q + 6], ys = c[q + 7];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                long va = s[x], vb = s[y];
                long r0 = va | vb;
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va | vb;
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va | vb;
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** XOR of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repXor(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5], y = c[q + 6], ys = c[q + 7];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                long va = s[x], vb = s[y];
                long r0 = va ^ vb;
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va ^ vb;
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va ^ vb;
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** XNOR of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repXnor(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5], y = c[q + 6], ys = c[q + 7];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                long va = s[x], vb = s[y];
                long r0 = ~(va ^ vb);
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = ~(va ^ vb);
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = ~(va ^ vb);
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** ANDN of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repAndn(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5], y = c[q + 6], ys = c[q + 7];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                long va = s[x], vb = s[y];
                long r0 = va & ~vb;
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va & ~vb;
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va & ~vb;
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** MUX of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repMux(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5], y = c[q + 6], ys = c[q + 7], z = c[q + 8], zs = c[q + 9];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys, z += zs) {
                long va = s[x], vb = s[y], vc = s[z];
                long r0 = (vb & ~va) | (vc & va);
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys, z += zs) {
                    long va = s[x], vb = s[y], vc = s[z];
                    long r0 = (vb & ~va) | (vc & va);
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys, z += zs) {
                    long va = s[x], vb = s[y], vc = s[z];
                    long r0 = (vb & ~va) | (vc & va);
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** MAJ of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repMaj(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5], y = c[q + 6], ys = c[q + 7], z = c[q + 8], zs = c[q + 9];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys, z += zs) {
                long va = s[x], vb = s[y], vc = s[z];
                long r0 = (va & vb) | (vc & (va ^ vb));
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys, z += zs) {
                    long va = s[x], vb = s[y], vc = s[z];
                    long r0 = (va & vb) | (vc & (va ^ vb));
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys, z += zs) {
                    long va = s[x], vb = s[y], vc = s[z];
                    long r0 = (va & vb) | (vc & (va ^ vb));
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** MAJN of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repMajn(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], x = c[q + 4], xs = c[q + 5], y = c[q + 6], ys = c[q + 7], z = c[q + 8], zs = c[q + 9];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys, z += zs) {
                long va = s[x], vb = s[y], vc = s[z];
                long r0 = (va & ~vb) | (vc & (va ^ ~vb));
                long xd = s[d] ^ r0;
                ch |= xd;
                tog[d] += Long.bitCount(xd & m);
                s[d] = r0;
            }
        } else {
            long n1 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys, z += zs) {
                    long va = s[x], vb = s[y], vc = s[z];
                    long r0 = (va & ~vb) | (vc & (va ^ ~vb));
                    n1 += Long.bitCount(s[d] ^ r0);
                    s[d] = r0;
                }
                if (n1 != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, x += xs, y += ys, z += zs) {
                    long va = s[x], vb = s[y], vc = s[z];
                    long r0 = (va & ~vb) | (vc & (va ^ ~vb));
                    long xd = s[d] ^ r0;
                    ch |= xd;
                    n1 += Long.bitCount(xd & m);
                    s[d] = r0;
                }
            }
            ct[k1] += n1;
        }
        return ch;
    }

    /** HA of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repHa(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], e = c[q + 4], es = c[q + 5], k2 = c[q + 6], x = c[q + 7], xs = c[q + 8], y = c[q + 9], ys = c[q + 10];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, e += es, x += xs, y += ys) {
                long va = s[x], vb = s[y];
                long r0 = va ^ vb, r1 = va & vb;
                long xd = s[d] ^ r0, xe = s[e] ^ r1;
                ch |= xd | xe;
                tog[d] += Long.bitCount(xd & m);
                tog[e] += Long.bitCount(xe & m);
                s[d] = r0;
                s[e] = r1;
            }
        } else {
            long n1 = 0, n2 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, e += es, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va ^ vb, r1 = va & vb;
                    n1 += Long.bitCount(s[d] ^ r0);
                    n2 += Long.bitCount(s[e] ^ r1);
                    s[d] = r0;
                    s[e] = r1;
                }
                if ((n1 | n2) != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, e += es, x += xs, y += ys) {
                    long va = s[x], vb = s[y];
                    long r0 = va ^ vb, r1 = va & vb;
                    long xd = s[d] ^ r0, xe = s[e] ^ r1;
                    ch |= xd | xe;
                    n1 += Long.bitCount(xd & m);
                    n2 += Long.bitCount(xe & m);
                    s[d] = r0;
                    s[e] = r1;
                }
            }
            ct[k1] += n1;
            ct[k2] += n2;
        }
        return ch;
    }

    /** FA of every copy of a pattern (the operands at {@code q}); returns the changes, as {@link #repeat}. */
    private long repFa(int[] c, int q, int copies) {
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] ct = this.classTog;
        final long m = this.countMask;
        long ch = 0;
        int d = c[q + 1], ds = c[q + 2], k1 = c[q + 3], e = c[q + 4], es = c[q + 5], k2 = c[q + 6], x = c[q + 7], xs = c[q + 8], y = c[q + 9], ys = c[q + 10], z = c[q + 11], zs = c[q + 12];
        if (k1 < 0) {
            for (int g = 0; g < copies; g++, d += ds, e += es, x += xs, y += ys, z += zs) {
                long va = s[x], vb = s[y], vc = s[z];
                long r0 = va ^ vb ^ vc, r1 = (va & vb) | ((va ^ vb) & vc);
                long xd = s[d] ^ r0, xe = s[e] ^ r1;
                ch |= xd | xe;
                tog[d] += Long.bitCount(xd & m);
                tog[e] += Long.bitCount(xe & m);
                s[d] = r0;
                s[e] = r1;
            }
        } else {
            long n1 = 0, n2 = 0;
            if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
                for (int g = 0; g < copies; g++, d += ds, e += es, x += xs, y += ys, z += zs) {
                    long va = s[x], vb = s[y], vc = s[z];
                    long r0 = va ^ vb ^ vc, r1 = (va & vb) | ((va ^ vb) & vc);
                    n1 += Long.bitCount(s[d] ^ r0);
                    n2 += Long.bitCount(s[e] ^ r1);
                    s[d] = r0;
                    s[e] = r1;
                }
                if ((n1 | n2) != 0) ch = -1L;
            } else {
                for (int g = 0; g < copies; g++, d += ds, e += es, x += xs, y += ys, z += zs) {
                    long va = s[x], vb = s[y], vc = s[z];
                    long r0 = va ^ vb ^ vc, r1 = (va & vb) | ((va ^ vb) & vc);
                    long xd = s[d] ^ r0, xe = s[e] ^ r1;
                    ch |= xd | xe;
                    n1 += Long.bitCount(xd & m);
                    n2 += Long.bitCount(xe & m);
                    s[d] = r0;
                    s[e] = r1;
                }
            }
            ct[k1] += n1;
            ct[k2] += n2;
        }
        return ch;
    }

    /**
     * A {@link Instr#CLASSED} group at {@code pc}: one loop over its instructions whose toggles are
     * summed in a register and added to the group's count class once (no count per slot). While every
     * lane counts, the count alone tells whether a write changed anything (no mask, no OR of the
     * differences in the loop). Returns the OR of old ^ new over every written word, or -1 when the
     * count said that something changed: only whether it is 0 matters.
     */
    private long classed(int pc) {
        final int[] c = p.code;
        return switch (Instr.ALL[c[pc + 2]]) {
            case COPY -> clsCopy(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            case NOT -> clsNot(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            case AND -> clsAnd(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            case OR -> clsOr(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            case XOR -> clsXor(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            case XNOR -> clsXnor(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            case ANDN -> clsAndn(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            case MUX -> clsMux(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            case MAJ -> clsMaj(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            case MAJN -> clsMajn(c, pc + Instr.CLASSED_HEADER, c[pc + 1], c[pc + 3]);
            default -> throw new IllegalStateException("bad opcode in a classed group: " + Instr.ALL[c[pc + 2]]);
        };
    }

    /** A classed group of COPY (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsCopy(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 2) {
                int d = c[q];
                long va = s[c[q + 1]];
                long r0 = va;
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 2) {
                int d = c[q];
                long va = s[c[q + 1]];
                long r0 = va;
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /** A classed group of NOT (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsNot(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 2) {
                int d = c[q];
                long va = s[c[q + 1]];
                long r0 = ~va;
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 2) {
                int d = c[q];
                long va = s[c[q + 1]];
                long r0 = ~va;
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /** A classed group of AND (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsAnd(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = va & vb;
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = va & vb;
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /** A classed group of OR (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsOr(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = va | vb;
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = va | vb;
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /** A classed group of XOR (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsXor(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = va ^ vb;
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = va ^ vb;
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /** A classed group of XNOR (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsXnor(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = ~(va ^ vb);
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = ~(va ^ vb);
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /** A classed group of ANDN (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsAndn(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = va & ~vb;
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 3) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]];
                long r0 = va & ~vb;
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /** A classed group of MUX (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsMux(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 4) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]], vc = s[c[q + 3]];
                long r0 = (vb & ~va) | (vc & va);
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 4) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]], vc = s[c[q + 3]];
                long r0 = (vb & ~va) | (vc & va);
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /** A classed group of MAJ (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsMaj(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 4) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]], vc = s[c[q + 3]];
                long r0 = (va & vb) | (vc & (va ^ vb));
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 4) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]], vc = s[c[q + 3]];
                long r0 = (va & vb) | (vc & (va ^ vb));
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /** A classed group of MAJN (n instructions, operands at {@code q}, count class k); returns the changes, as {@link #classed}. */
    private long clsMajn(int[] c, int q, int n, int k) {
        final long[] s = this.s;
        final long m = this.countMask;
        long ch = 0, n1 = 0;
        if (m == -1L) { // every lane counts: a toggle count of 0 says that nothing changed
            for (int i = 0; i < n; i++, q += 4) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]], vc = s[c[q + 3]];
                long r0 = (va & ~vb) | (vc & (va ^ ~vb));
                n1 += Long.bitCount(s[d] ^ r0);
                s[d] = r0;
            }
            if (n1 != 0) ch = -1L;
        } else {
            for (int i = 0; i < n; i++, q += 4) {
                int d = c[q];
                long va = s[c[q + 1]], vb = s[c[q + 2]], vc = s[c[q + 3]];
                long r0 = (va & ~vb) | (vc & (va ^ ~vb));
                long xd = s[d] ^ r0;
                ch |= xd;
                n1 += Long.bitCount(xd & m);
                s[d] = r0;
            }
        }
        classTog[k] += n1;
        return ch;
    }

    /**
     * Popcount kernel at {@code pc}: counts, per lane, the ones among its input slots with a
     * carry-save (Harley-Seal) network held in locals, then adds the constant and writes the output
     * bits. Returns the OR of old ^ new over its outputs.
     */
    private long popcount(int pc) {
        final int[] c = p.code;
        final int nOut = Instr.nWrites(c, pc);
        if (nOut > 4 + 8) return popcountWide(pc);
        final long[] s = this.s;
        final int nIn = Instr.nReads(c, pc), kk = Instr.imm(c, pc, 0);
        final int outs = Instr.writesAt(c, pc), ins = outs + nOut, end = ins + nIn;
        final int hw = Math.max(0, nOut - 4);
        long ones = 0, twos = 0, fours = 0, eights = 0;
        // the counter bits above the eights, in registers: the carries ripple through exactly hw of
        // them (a loop-invariant test per level, so the branches are predicted), not a memory array
        long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0;
        int q = ins;
        for (; q + 16 <= end; q += 16) {
            // sixteen inputs through carry-save adders: one carry into the 16s counter
            long a0 = s[c[q]], a1 = s[c[q + 1]], a2 = s[c[q + 2]], a3 = s[c[q + 3]];
            long u = ones ^ a0, twosA = (ones & a0) | (u & a1);
            ones = u ^ a1;
            u = ones ^ a2;
            long twosB = (ones & a2) | (u & a3);
            ones = u ^ a3;
            u = twos ^ twosA;
            long foursA = (twos & twosA) | (u & twosB);
            twos = u ^ twosB;
            long a4 = s[c[q + 4]], a5 = s[c[q + 5]], a6 = s[c[q + 6]], a7 = s[c[q + 7]];
            u = ones ^ a4;
            twosA = (ones & a4) | (u & a5);
            ones = u ^ a5;
            u = ones ^ a6;
            twosB = (ones & a6) | (u & a7);
            ones = u ^ a7;
            u = twos ^ twosA;
            long foursB = (twos & twosA) | (u & twosB);
            twos = u ^ twosB;
            u = fours ^ foursA;
            long eightsA = (fours & foursA) | (u & foursB);
            fours = u ^ foursB;
            a0 = s[c[q + 8]];
            a1 = s[c[q + 9]];
            a2 = s[c[q + 10]];
            a3 = s[c[q + 11]];
            u = ones ^ a0;
            twosA = (ones & a0) | (u & a1);
            ones = u ^ a1;
            u = ones ^ a2;
            twosB = (ones & a2) | (u & a3);
            ones = u ^ a3;
            u = twos ^ twosA;
            foursA = (twos & twosA) | (u & twosB);
            twos = u ^ twosB;
            a4 = s[c[q + 12]];
            a5 = s[c[q + 13]];
            a6 = s[c[q + 14]];
            a7 = s[c[q + 15]];
            u = ones ^ a4;
            twosA = (ones & a4) | (u & a5);
            ones = u ^ a5;
            u = ones ^ a6;
            twosB = (ones & a6) | (u & a7);
            ones = u ^ a7;
            u = twos ^ twosA;
            foursB = (twos & twosA) | (u & twosB);
            twos = u ^ twosB;
            u = fours ^ foursA;
            long eightsB = (fours & foursA) | (u & foursB);
            fours = u ^ foursB;
            u = eights ^ eightsA;
            long carry = (eights & eightsA) | (u & eightsB);
            eights = u ^ eightsB;
            if (hw > 0) {
                long t = h0 & carry;
                h0 ^= carry;
                if (hw > 1) {
                    carry = t;
                    t = h1 & carry;
                    h1 ^= carry;
                    if (hw > 2) {
                        carry = t;
                        t = h2 & carry;
                        h2 ^= carry;
                        if (hw > 3) {
                            carry = t;
                            t = h3 & carry;
                            h3 ^= carry;
                            if (hw > 4) {
                                carry = t;
                                t = h4 & carry;
                                h4 ^= carry;
                                if (hw > 5) {
                                    carry = t;
                                    t = h5 & carry;
                                    h5 ^= carry;
                                    if (hw > 6) {
                                        carry = t;
                                        t = h6 & carry;
                                        h6 ^= carry;
                                        if (hw > 7) h7 ^= t;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // pairs of inputs through one carry-save adder, one carry rippled through the levels above
        for (; q + 2 <= end; q += 2) {
            long a0 = s[c[q]], a1 = s[c[q + 1]];
            long u = ones ^ a0, carry = (ones & a0) | (u & a1);
            ones = u ^ a1;
            long v = twos & carry;
            twos ^= carry;
            carry = v;
            v = fours & carry;
            fours ^= carry;
            carry = v;
            v = eights & carry;
            eights ^= carry;
            carry = v;
            if (hw > 0) {
                long t = h0 & carry;
                h0 ^= carry;
                if (hw > 1) {
                    carry = t;
                    t = h1 & carry;
                    h1 ^= carry;
                    if (hw > 2) {
                        carry = t;
                        t = h2 & carry;
                        h2 ^= carry;
                        if (hw > 3) {
                            carry = t;
                            t = h3 & carry;
                            h3 ^= carry;
                            if (hw > 4) {
                                carry = t;
                                t = h4 & carry;
                                h4 ^= carry;
                                if (hw > 5) {
                                    carry = t;
                                    t = h5 & carry;
                                    h5 ^= carry;
                                    if (hw > 6) {
                                        carry = t;
                                        t = h6 & carry;
                                        h6 ^= carry;
                                        if (hw > 7) h7 ^= t;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (; q < end; q++) {
            long carry = s[c[q]];
            long t = ones & carry;
            ones ^= carry;
            carry = t;
            t = twos & carry;
            twos ^= carry;
            carry = t;
            t = fours & carry;
            fours ^= carry;
            carry = t;
            t = eights & carry;
            eights ^= carry;
            carry = t;
            if (hw > 0) {
                t = h0 & carry;
                h0 ^= carry;
                carry = t;
                t = h1 & carry;
                h1 ^= carry;
                carry = t;
                t = h2 & carry;
                h2 ^= carry;
                carry = t;
                t = h3 & carry;
                h3 ^= carry;
                carry = t;
                t = h4 & carry;
                h4 ^= carry;
                carry = t;
                t = h5 & carry;
                h5 ^= carry;
                carry = t;
                t = h6 & carry;
                h6 ^= carry;
                h7 ^= t;
            }
        }
        // the levels above hw never received a carry in the block and pair loops; the last input
        // rippled through all eight, and those are discarded with the bits above nOut below
        final long mk = countMask;
        long diff = 0, carry = 0;
        for (int b = 0; b < nOut; b++) {
            long v = switch (b) {
                case 0 -> ones;
                case 1 -> twos;
                case 2 -> fours;
                case 3 -> eights;
                case 4 -> h0;
                case 5 -> h1;
                case 6 -> h2;
                case 7 -> h3;
                case 8 -> h4;
                case 9 -> h5;
                case 10 -> h6;
                default -> h7;
            };
            long kb = ((kk >>> b) & 1) != 0 ? -1L : 0L;
            long sum = v ^ kb ^ carry;
            carry = (v & kb) | (carry & (v ^ kb));
            int d = c[outs + b];
            long x = s[d] ^ sum;
            diff |= x;
            tog[d] += Long.bitCount(x & mk);
            s[d] = sum;
        }
        return diff;
    }

    /** {@link #popcount} for counts of more than 12 bits: the counter bits above the eights in an array. */
    private long popcountWide(int pc) {
        final int[] c = p.code;
        final long[] s = this.s;
        final int nOut = Instr.nWrites(c, pc), nIn = Instr.nReads(c, pc), kk = Instr.imm(c, pc, 0);
        final int outs = Instr.writesAt(c, pc), ins = outs + nOut, end = ins + nIn;
        final long[] hi = this.kcount;
        final int hw = Math.max(0, nOut - 4);
        final long mk = countMask;
        long diff = 0;
        long ones = 0, twos = 0, fours = 0, eights = 0;
        for (int i = 0; i < hw; i++) hi[i] = 0;
        int q = ins;
        for (; q + 16 <= end; q += 16) {
            // sixteen inputs through carry-save adders: one carry into the 16s counter
            long a0 = s[c[q]], a1 = s[c[q + 1]], a2 = s[c[q + 2]], a3 = s[c[q + 3]];
            long u = ones ^ a0, twosA = (ones & a0) | (u & a1);
            ones = u ^ a1;
            u = ones ^ a2;
            long twosB = (ones & a2) | (u & a3);
            ones = u ^ a3;
            u = twos ^ twosA;
            long foursA = (twos & twosA) | (u & twosB);
            twos = u ^ twosB;
            long a4 = s[c[q + 4]], a5 = s[c[q + 5]], a6 = s[c[q + 6]], a7 = s[c[q + 7]];
            u = ones ^ a4;
            twosA = (ones & a4) | (u & a5);
            ones = u ^ a5;
            u = ones ^ a6;
            twosB = (ones & a6) | (u & a7);
            ones = u ^ a7;
            u = twos ^ twosA;
            long foursB = (twos & twosA) | (u & twosB);
            twos = u ^ twosB;
            u = fours ^ foursA;
            long eightsA = (fours & foursA) | (u & foursB);
            fours = u ^ foursB;
            a0 = s[c[q + 8]];
            a1 = s[c[q + 9]];
            a2 = s[c[q + 10]];
            a3 = s[c[q + 11]];
            u = ones ^ a0;
            twosA = (ones & a0) | (u & a1);
            ones = u ^ a1;
            u = ones ^ a2;
            twosB = (ones & a2) | (u & a3);
            ones = u ^ a3;
            u = twos ^ twosA;
            foursA = (twos & twosA) | (u & twosB);
            twos = u ^ twosB;
            a4 = s[c[q + 12]];
            a5 = s[c[q + 13]];
            a6 = s[c[q + 14]];
            a7 = s[c[q + 15]];
            u = ones ^ a4;
            twosA = (ones & a4) | (u & a5);
            ones = u ^ a5;
            u = ones ^ a6;
            twosB = (ones & a6) | (u & a7);
            ones = u ^ a7;
            u = twos ^ twosA;
            foursB = (twos & twosA) | (u & twosB);
            twos = u ^ twosB;
            u = fours ^ foursA;
            long eightsB = (fours & foursA) | (u & foursB);
            fours = u ^ foursB;
            u = eights ^ eightsA;
            long carry = (eights & eightsA) | (u & eightsB);
            eights = u ^ eightsB;
            for (int b = 0; carry != 0 && b < hw; b++) {
                long t = hi[b] & carry;
                hi[b] ^= carry;
                carry = t;
            }
        }
        for (; q < end; q++) {
            long carry = s[c[q]];
            long t = ones & carry;
            ones ^= carry;
            carry = t;
            t = twos & carry;
            twos ^= carry;
            carry = t;
            t = fours & carry;
            fours ^= carry;
            carry = t;
            t = eights & carry;
            eights ^= carry;
            carry = t;
            for (int b = 0; carry != 0 && b < hw; b++) {
                t = hi[b] & carry;
                hi[b] ^= carry;
                carry = t;
            }
        }
        long carry = 0;
        for (int b = 0; b < nOut; b++) {
            long v = b == 0 ? ones : b == 1 ? twos : b == 2 ? fours : b == 3 ? eights : hi[b - 4];
            long kb = ((kk >>> b) & 1) != 0 ? -1L : 0L;
            long sum = v ^ kb ^ carry;
            carry = (v & kb) | (carry & (v ^ kb));
            int d = c[outs + b];
            long x = s[d] ^ sum;
            diff |= x;
            tog[d] += Long.bitCount(x & mk);
            s[d] = sum;
        }
        return diff;
    }

    // ---- end of generated code ----

    /**
     * A run of narrow popcount kernels ({@link PopcountGroups}): each group of eight through the
     * vector kernel, then every kernel's outputs written as {@link #popcount} writes them.
     */
    private long popcounts(PopcountGroups.Run run) {
        long ch = 0;
        // until the JIT has compiled the vector kernel (VectorPopcount.compiled), one group per run
        // goes through it, timed, and the others through the scalar kernel: the interpreter and C1
        // run every vector operation as an object, and the garbage of a whole run made G1 grow the heap
        boolean warm = VectorPopcount.compiled;
        boolean tried = false;
        for (PopcountGroups.Group g : run.groups()) {
            final int[] pcs = g.pcs();
            if (!g.vector() || (!warm && tried)) {
                for (int pc : pcs) ch |= popcount(pc);
                continue;
            }
            if (vbuf.length < g.idx().length) vbuf = new long[g.idx().length];
            if (warm) {
                VectorPopcount.count(s, g, vcount, vbuf);
            } else {
                tried = true;
                long t0 = System.nanoTime();
                VectorPopcount.count(s, g, vcount, vbuf);
                if (System.nanoTime() - t0 < (long) g.steps() * VectorPopcount.COMPILED_NS_PER_STEP) VectorPopcount.compiled = true;
            }
            for (int i = 0; i < pcs.length; i++) ch |= writeCount(pcs[i], i);
        }
        return ch;
    }

    /** Writes the outputs of the kernel at {@code pc} from lane {@code lane} of {@link #vcount}: the count plus the constant, with toggles. */
    private long writeCount(int pc, int lane) {
        final int[] c = p.code;
        final long[] s = this.s;
        final int nOut = Instr.nWrites(c, pc), kk = Instr.imm(c, pc, 0), outs = Instr.writesAt(c, pc);
        final long mk = countMask;
        long diff = 0, carry = 0;
        for (int b = 0; b < nOut; b++) {
            long v = vcount[b * PopcountGroups.LANES + lane];
            long kb = ((kk >>> b) & 1) != 0 ? -1L : 0L;
            long sum = v ^ kb ^ carry;
            carry = (v & kb) | (carry & (v ^ kb));
            int d = c[outs + b];
            long x = s[d] ^ sum;
            diff |= x;
            tog[d] += Long.bitCount(x & mk);
            s[d] = sum;
        }
        return diff;
    }

    private final long[] lutIdx = new long[32], lutOut = new long[64];

    /** ROM lookup kernel at {@code pc}: per lane, the word of the table at the lane's index. Returns the OR of old ^ new over its outputs. */
    private long lookup(int pc) {
        final int[] c = p.code;
        final long[] tab = p.tables[Instr.imm(c, pc, 0)];
        final int nOut = Instr.nWrites(c, pc), nIdx = Instr.nReads(c, pc);
        final int outs = Instr.writesAt(c, pc), ins = outs + nOut;
        final long[] iw = lutIdx, ow = lutOut;
        final long mk = countMask;
        long diff = 0;
        long same = 0;
        for (int b = 0; b < nIdx; b++) {
            iw[b] = word(c[ins + b]);
            same |= iw[b] != 0 && iw[b] != -1L ? 1 : 0;
        }
        for (int b = 0; b < nOut; b++) ow[b] = 0;
        if (same == 0) { // every lane reads the same word
            long ix = 0;
            for (int b = 0; b < nIdx; b++) if (iw[b] != 0) ix |= 1L << b;
            long v = ix < tab.length ? tab[(int) ix] : 0;
            for (int b = 0; b < nOut; b++) ow[b] = ((v >>> b) & 1) != 0 ? -1L : 0L;
        } else {
            for (int lane = 0; lane < 64; lane++) {
                long ix = 0;
                for (int b = 0; b < nIdx; b++) ix |= ((iw[b] >>> lane) & 1L) << b;
                long v = ix < tab.length ? tab[(int) ix] : 0;
                for (int b = 0; b < nOut; b++) ow[b] |= ((v >>> b) & 1L) << lane;
            }
        }
        for (int b = 0; b < nOut; b++) {
            int d = c[outs + b];
            long x = s[d] ^ ow[b];
            diff |= x;
            tog[d] += Long.bitCount(x & mk);
            s[d] = ow[b];
        }
        return diff;
    }
}
