package scnn.sim.engine;

import static scnn.sim.engine.Program.C0;
import static scnn.sim.engine.Program.C1;

import java.util.Arrays;
import scnn.ir.Bits;
import scnn.ir.Node;
import scnn.ir.Op;

/**
 * Executes a {@link Program} for {@link #LANES} instances of the design at once: a slot is
 * {@link #WORDS} consecutive {@code long}s, and bit j of word k belongs to instance (lane) 64k + j.
 * Not thread-safe; use one machine per thread.
 *
 * <p>One execution loop serves both modes: every write compares the new value with the old one
 * (that tells whether a node changed, for the activity rule) and adds the toggles in the counted
 * lanes to the slot's count; while events are not counted, the count mask is 0.
 */
public final class Machine {
    /** Longs per slot. */
    public static final int WORDS = 1;
    /** Instances run side by side. */
    public static final int LANES = 64 * WORDS;
    private static final int WSHIFT = Integer.numberOfTrailingZeros(WORDS);
    /** Flush the int toggle counts after this many evaluations and edges (each adds at most LANES per slot). */
    private static final int FLUSH = 1 << (24 - WSHIFT);

    private Program p;
    private final Program[] programs;
    private final long[][] runsPerProgram;
    /** Slot values: slot i is s[i * WORDS .. i * WORDS + WORDS). */
    private final long[] s;
    /**
     * Toggles per slot since the last flush into {@link #total}: an int halves the memory traffic of
     * counting; flushing after {@link #FLUSH} evaluations and edges (counted together) cannot overflow.
     */
    private final int[] tog;
    private final long[] total;
    private int sinceFlush;
    private final int[] stamp;
    private final boolean[] commitPending;
    private long[] blockRuns;
    private final long[] kcount = new long[64];
    private int epoch;
    private boolean counting;
    /** Counted lanes, per word. */
    private final long[] laneMask = new long[WORDS];
    /** The lanes whose toggles are added: {@link #laneMask} while counting, else 0. */
    private final long[] cm = new long[WORDS];
    private long cycles;
    private final long[] en = new long[WORDS];

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
        this.s = new long[slots * WORDS];
        this.tog = new int[slots];
        this.total = new long[slots];
        this.stamp = new int[p.design.nodes().size()];
        this.commitPending = new boolean[p.commits.nodes()];
        this.runsPerProgram = new long[variants.length][];
        for (int i = 0; i < variants.length; i++) runsPerProgram[i] = new long[variants[i].blocks()];
        this.blockRuns = runsPerProgram[0];
        Arrays.fill(laneMask, -1L);
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
                for (int i = 0; i < w; i++) Arrays.fill(s, sg[g * w + i] * WORDS, sg[g * w + i] * WORDS + WORDS, b.bit(i) ? -1L : 0L);
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
        for (int k = 0; k < WORDS; k++) {
            int b = Math.max(0, Math.min(64, n - 64 * k));
            laneMask[k] = b == 64 ? -1L : (1L << b) - 1;
        }
        setCounting(counting);
    }

    /** Starts or stops counting toggles. */
    public void setCounting(boolean on) {
        this.counting = on;
        for (int k = 0; k < WORDS; k++) cm[k] = on ? laneMask[k] : 0L;
    }

    /** Toggles per slot counted so far (in the counted lanes). */
    public long[] toggles() {
        flush();
        return total;
    }

    private void flush() {
        for (int i = 0; i < tog.length; i++) {
            total[i] += tog[i];
            tog[i] = 0;
        }
        sinceFlush = 0;
    }

    public void clearToggles() {
        Arrays.fill(tog, 0);
        Arrays.fill(total, 0);
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
        int k = lane >>> 6;
        boolean changed = false;
        for (int i = 0; i < w; i++) {
            int slot = sg[g * w + i];
            if (slot < 0) throw new IllegalArgumentException(n.name() + " is constant");
            int at = slot * WORDS + k;
            long old = s[at];
            long nv = ((value >>> i) & 1) != 0 ? old | bit : old & ~bit;
            if (nv != old) {
                s[at] = nv;
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
            for (int k = 0; k < WORDS; k++) {
                int at = sg[i] * WORDS + k;
                if (s[at] != nv) {
                    s[at] = nv;
                    changed = true;
                }
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

    /** Word {@code k} (lanes 64k .. 64k + 63) of one signal. */
    public long word(int signal, int k) {
        return signal == C0 ? 0L : signal == C1 ? -1L : s[signal * WORDS + k];
    }

    /** The first word (lanes 0 .. 63) of one signal. */
    public long word(int signal) {
        return word(signal, 0);
    }

    private boolean bitOf(int signal, int lane) {
        return ((word(signal, lane >>> 6) >>> lane) & 1) != 0;
    }

    /** Word {@code k} of a signal given as a word offset of the encoded code (or a constant). */
    private long at(int x, int k) {
        return x >= 0 ? s[x + k] : x == C0 ? 0L : -1L;
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
        final long[] mask = this.cm;
        if (counting && ++sinceFlush >= FLUSH) flush();
        final int next = epoch + 1;
        final long[] en = this.en;
        for (int r = 0; r < cn.length; r++) {
            if (!commitPending[r]) continue;
            commitPending[r] = false;
            int a = cs[r], z = cs[r + 1];
            long any = 0, all = -1L;
            for (int k = 0; k < WORDS; k++) {
                en[k] = word(ce[r], k);
                any |= en[k];
                all &= en[k];
            }
            if (any == 0) continue;
            long changed = 0;
            for (int i = a; i < z; i++) {
                int c = cur[i] * WORDS, d = nx[i] >= 0 ? nx[i] * WORDS : nx[i];
                int t = 0;
                for (int k = 0; k < WORDS; k++) {
                    long old = s[c + k], nv = at(d, k);
                    if (all != -1L) nv = (old & ~en[k]) | (nv & en[k]);
                    long x = old ^ nv;
                    changed |= x;
                    t += Long.bitCount(x & mask[k]);
                    s[c + k] = nv;
                }
                tog[cur[i]] += t;
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
     * Runs the encoded code in [{@code from}, {@code to}), adding every written slot's toggles in
     * the counted lanes. Returns the OR of old ^ new over every written word (all lanes): zero when
     * nothing changed.
     */
    private long exec(int from, int to) {
        final int[] c = p.code;
        final long[] s = this.s;
        final int[] tog = this.tog;
        final long[] m = this.cm;
        long ch = 0;
        int pc = from;
        while (pc < to) {
            final Instr op = Instr.ALL[c[pc]];
            if (!op.fixed()) {
                ch |= op == Instr.PCNT ? popcount(pc) : lookup(pc);
                pc = Instr.next(c, pc);
                continue;
            }
            final int n = c[pc + 1];
            int q = pc + 2;
            switch (op) {
                case FA -> {
                    for (int i = 0; i < n; i++, q += 5) {
                        int d = c[q], e = c[q + 1], ax = c[q + 2], bx = c[q + 3], cx = c[q + 4], td = 0, te = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long x = s[ax + k], y = s[bx + k], z = s[cx + k], t = x ^ y;
                            long sum = t ^ z, carry = (x & y) | (t & z);
                            long xd = s[d + k] ^ sum, xe = s[e + k] ^ carry;
                            ch |= xd | xe;
                            td += Long.bitCount(xd & m[k]);
                            te += Long.bitCount(xe & m[k]);
                            s[d + k] = sum;
                            s[e + k] = carry;
                        }
                        tog[d >>> WSHIFT] += td;
                        tog[e >>> WSHIFT] += te;
                    }
                }
                case HA -> {
                    for (int i = 0; i < n; i++, q += 4) {
                        int d = c[q], e = c[q + 1], ax = c[q + 2], bx = c[q + 3], td = 0, te = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long x = s[ax + k], y = s[bx + k];
                            long sum = x ^ y, carry = x & y;
                            long xd = s[d + k] ^ sum, xe = s[e + k] ^ carry;
                            ch |= xd | xe;
                            td += Long.bitCount(xd & m[k]);
                            te += Long.bitCount(xe & m[k]);
                            s[d + k] = sum;
                            s[e + k] = carry;
                        }
                        tog[d >>> WSHIFT] += td;
                        tog[e >>> WSHIFT] += te;
                    }
                }
                case AND -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q], ax = c[q + 1], bx = c[q + 2], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long nv = s[ax + k] & s[bx + k], x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                case OR -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q], ax = c[q + 1], bx = c[q + 2], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long nv = s[ax + k] | s[bx + k], x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                case XOR -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q], ax = c[q + 1], bx = c[q + 2], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long nv = s[ax + k] ^ s[bx + k], x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                case XNOR -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q], ax = c[q + 1], bx = c[q + 2], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long nv = ~(s[ax + k] ^ s[bx + k]), x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                case ANDN -> {
                    for (int i = 0; i < n; i++, q += 3) {
                        int d = c[q], ax = c[q + 1], bx = c[q + 2], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long nv = s[ax + k] & ~s[bx + k], x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                case NOT -> {
                    for (int i = 0; i < n; i++, q += 2) {
                        int d = c[q], ax = c[q + 1], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long nv = ~s[ax + k], x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                case COPY -> {
                    for (int i = 0; i < n; i++, q += 2) {
                        int d = c[q], ax = c[q + 1], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long nv = s[ax + k], x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                case MUX -> {
                    for (int i = 0; i < n; i++, q += 4) {
                        int d = c[q], sx = c[q + 1], ax = c[q + 2], bx = c[q + 3], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long sel = s[sx + k];
                            long nv = (s[ax + k] & ~sel) | (s[bx + k] & sel), x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                case MAJ -> {
                    for (int i = 0; i < n; i++, q += 4) {
                        int d = c[q], ax = c[q + 1], bx = c[q + 2], cx = c[q + 3], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long a = s[ax + k], b = s[bx + k], z = s[cx + k];
                            long nv = (a & b) | (z & (a ^ b)), x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                case MAJN -> {
                    for (int i = 0; i < n; i++, q += 4) {
                        int d = c[q], ax = c[q + 1], bx = c[q + 2], cx = c[q + 3], t = 0;
                        for (int k = 0; k < WORDS; k++) {
                            long a = s[ax + k], b = ~s[bx + k], z = s[cx + k];
                            long nv = (a & b) | (z & (a ^ b)), x = s[d + k] ^ nv;
                            ch |= x;
                            t += Long.bitCount(x & m[k]);
                            s[d + k] = nv;
                        }
                        tog[d >>> WSHIFT] += t;
                    }
                }
                default -> throw new IllegalStateException("bad opcode " + op);
            }
            pc = q;
        }
        return ch;
    }

    /**
     * Popcount kernel at {@code pc}: counts, per lane, the ones among its input slots with a
     * carry-save (Harley-Seal) network held in locals, then adds the constant and writes the output
     * bits. Returns the OR of old ^ new over its outputs.
     */
    private long popcount(int pc) {
        final int[] c = p.code;
        final long[] s = this.s;
        final int nOut = Instr.nWrites(c, pc), nIn = Instr.nReads(c, pc), kk = Instr.imm(c, pc, 0);
        final int outs = Instr.writesAt(c, pc), ins = outs + nOut, end = ins + nIn;
        final long[] hi = this.kcount;
        final int hw = Math.max(0, nOut - 4);
        long diff = 0;
        for (int w = 0; w < WORDS; w++) {
            long ones = 0, twos = 0, fours = 0, eights = 0;
            for (int i = 0; i < hw; i++) hi[i] = 0;
            int q = ins;
            for (; q + 16 <= end; q += 16) {
                // sixteen inputs through carry-save adders: one carry into the 16s counter
                long a0 = s[c[q] + w], a1 = s[c[q + 1] + w], a2 = s[c[q + 2] + w], a3 = s[c[q + 3] + w];
                long u = ones ^ a0, twosA = (ones & a0) | (u & a1);
                ones = u ^ a1;
                u = ones ^ a2;
                long twosB = (ones & a2) | (u & a3);
                ones = u ^ a3;
                u = twos ^ twosA;
                long foursA = (twos & twosA) | (u & twosB);
                twos = u ^ twosB;
                long a4 = s[c[q + 4] + w], a5 = s[c[q + 5] + w], a6 = s[c[q + 6] + w], a7 = s[c[q + 7] + w];
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
                a0 = s[c[q + 8] + w];
                a1 = s[c[q + 9] + w];
                a2 = s[c[q + 10] + w];
                a3 = s[c[q + 11] + w];
                u = ones ^ a0;
                twosA = (ones & a0) | (u & a1);
                ones = u ^ a1;
                u = ones ^ a2;
                twosB = (ones & a2) | (u & a3);
                ones = u ^ a3;
                u = twos ^ twosA;
                foursA = (twos & twosA) | (u & twosB);
                twos = u ^ twosB;
                a4 = s[c[q + 12] + w];
                a5 = s[c[q + 13] + w];
                a6 = s[c[q + 14] + w];
                a7 = s[c[q + 15] + w];
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
                long carry = s[c[q] + w];
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
            long carry = 0, mk = cm[w];
            for (int b = 0; b < nOut; b++) {
                long v = b == 0 ? ones : b == 1 ? twos : b == 2 ? fours : b == 3 ? eights : hi[b - 4];
                long kb = ((kk >>> b) & 1) != 0 ? -1L : 0L;
                long sum = v ^ kb ^ carry;
                carry = (v & kb) | (carry & (v ^ kb));
                int d = c[outs + b] + w;
                long x = s[d] ^ sum;
                diff |= x;
                tog[d >>> WSHIFT] += Long.bitCount(x & mk);
                s[d] = sum;
            }
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
        long diff = 0;
        for (int w = 0; w < WORDS; w++) {
            long same = 0;
            for (int b = 0; b < nIdx; b++) {
                iw[b] = at(c[ins + b], w);
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
                int d = c[outs + b] + w;
                long x = s[d] ^ ow[b];
                diff |= x;
                tog[d >>> WSHIFT] += Long.bitCount(x & cm[w]);
                s[d] = ow[b];
            }
        }
        return diff;
    }
}
