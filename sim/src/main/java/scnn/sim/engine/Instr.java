package scnn.sim.engine;

/**
 * The instruction set of the engine, and the one owner of its operand layout: how many slots each
 * instruction writes and reads, and where they sit in the two encodings. Every pass that walks
 * instructions (sharing, register merging, activity analysis, encoding) and the {@link Machine}
 * take the layout from here.
 *
 * <p><b>Raw form</b> ({@link Code}, what the compiler passes build and rewrite): one record per
 * instruction, {@code [op, nWrites, nReads, nImm, imm..., writes..., reads...]}.
 *
 * <p><b>Encoded form</b> ({@link Program}, what the machine executes): consecutive instructions of
 * one fixed-arity kind in a block form a group {@code [op, n, n x (writes..., reads...)]}, so that
 * dispatch happens once per group; a kernel keeps its raw record.
 *
 * <p>A block whose node's elements all compile to the same fixed-arity instructions on slots that
 * advance by a constant stride from one element to the next is encoded as one {@link #REP} record
 * instead (encoded form only; see there).
 *
 * <p>Each fixed-arity instruction defines its semantics ({@link #semantics}); the machine's
 * execution loops are generated from those definitions, one template per loop shape.
 *
 * <p>Fixed-arity instructions never read a constant (folding removes those operands); a kernel's
 * reads may be constants ({@link Program#C0}, {@link Program#C1}) only where its description says so.
 */
enum Instr {
    /** {@code d = a}. */
    COPY(1, 1, "a"),
    /** {@code d = ~a}. */
    NOT(1, 1, "~a"),
    /** {@code d = a & b}. */
    AND(1, 2, "a & b"),
    /** {@code d = a | b}. */
    OR(1, 2, "a | b"),
    /** {@code d = a ^ b}. */
    XOR(1, 2, "a ^ b"),
    /** {@code d = ~(a ^ b)}. */
    XNOR(1, 2, "~(a ^ b)"),
    /** {@code d = a & ~b}. */
    ANDN(1, 2, "a & ~b"),
    /** {@code d = s ? b : a}, reads {@code (s, a, b)}. */
    MUX(1, 3, "(b & ~a) | (c & a)"),
    /** {@code d = maj(a, b, c)}. */
    MAJ(1, 3, "(a & b) | (c & (a ^ b))"),
    /** {@code d = maj(a, ~b, c)}: a comparator's carry step. */
    MAJN(1, 3, "(a & ~b) | (c & (a ^ ~b))"),
    /** Half adder: writes {@code (sum, carry)} of {@code a + b}. */
    HA(2, 2, "a ^ b", "a & b"),
    /** Full adder: writes {@code (sum, carry)} of {@code a + b + c}. */
    FA(2, 3, "a ^ b ^ c", "(a & b) | ((a ^ b) & c)"),
    /**
     * Popcount kernel: writes the count bits (least significant first) of its reads (variable
     * slots, never constants) plus the immediate constant K.
     */
    PCNT(-1, -1),
    /**
     * ROM lookup kernel: per lane, writes the word of table {@code imm[0]} at the index whose bits
     * are its reads (least significant first; constants allowed), 0 out of range.
     */
    LUT(-1, -1),
    /**
     * Encoded form only: C copies of a pattern of k fixed-arity instructions, one copy per element
     * of a node, {@code [REP, length, C, k, k x (op, writes x (base, stride, class), reads x (base,
     * stride))]}: operand o of instruction t of copy g is slot {@code base + g * stride}; a write's
     * class is the count class that the toggles of all its copies go to, or -1 (each slot its own
     * count). Every copy reads only slots from outside the pattern or its own earlier results, so the
     * machine may run instruction t of every copy before instruction t + 1 (one loop per
     * instruction, no dispatch per copy).
     */
    REP(-1, -1),
    /**
     * Encoded form only: a group of n instructions of one single-write fixed-arity kind whose writes
     * all count into one count class, {@code [CLASSED, n, op, class, n x (write, reads...)]}: the
     * toggles are summed in a register over the group and added to the class once, instead of one
     * count per slot (see {@link Encoder#classed}).
     */
    CLASSED(-1, -1);

    /** Slots written and read by a fixed-arity instruction; -1 for a kernel (the record says). */
    final int writes, reads;
    /**
     * A fixed-arity instruction's semantics: per write, a Java expression of the 64-lane words of
     * its reads, named {@code a}, {@code b}, {@code c} in order. The {@link Machine}'s loops over
     * these instructions (grouped and {@link #REP}) are generated from them ({@code LoopsGen}, test
     * scope); {@code EngineTest} checks the machine against a word-level interpreter of the IR.
     */
    final String[] semantics;

    Instr(int writes, int reads, String... semantics) {
        if (writes >= 0 && semantics.length != writes) throw new AssertionError(name() + ": one expression per write");
        this.writes = writes;
        this.reads = reads;
        this.semantics = semantics;
    }

    static final Instr[] ALL = values();

    /** A fixed-arity instruction (grouped in the encoded form); else a kernel with a variable record. */
    boolean fixed() {
        return writes >= 0;
    }

    /** Ints per instruction inside a group of the encoded form. */
    int operands() {
        return writes + reads;
    }

    // ---- raw record layout ----------------------------------------------------------------------------

    /** Header ints of a raw record: op, nWrites, nReads, nImm. */
    static final int HEADER = 4;

    static Instr op(int[] code, int pc) {
        return ALL[code[pc]];
    }

    static int nWrites(int[] code, int pc) {
        return code[pc + 1];
    }

    static int nReads(int[] code, int pc) {
        return code[pc + 2];
    }

    static int imm(int[] code, int pc, int i) {
        return code[pc + HEADER + i];
    }

    /** Index of the first written slot of the record at {@code pc}. */
    static int writesAt(int[] code, int pc) {
        return pc + HEADER + code[pc + 3];
    }

    /** Index of the first read slot of the record at {@code pc}. */
    static int readsAt(int[] code, int pc) {
        return writesAt(code, pc) + code[pc + 1];
    }

    /** The record after the one at {@code pc}. */
    static int next(int[] code, int pc) {
        return readsAt(code, pc) + code[pc + 2];
    }

    // ---- encoded form ----------------------------------------------------------------------------

    /** Header ints of an encoded {@link #REP} record: op, length, copies, pattern length. */
    static final int REP_HEADER = 4;

    /** Header ints of an encoded {@link #CLASSED} group: op, n, the instruction, the class. */
    static final int CLASSED_HEADER = 4;

    /** The encoded entry after the one at {@code pc} (a group, a kernel record, a {@link #REP} or a {@link #CLASSED} group). */
    static int encodedNext(int[] code, int pc) {
        Instr op = op(code, pc);
        if (op.fixed()) return pc + 2 + code[pc + 1] * op.operands();
        if (op == REP) return pc + code[pc + 1];
        if (op == CLASSED) return pc + CLASSED_HEADER + code[pc + 1] * ALL[code[pc + 2]].operands();
        return next(code, pc);
    }

    /** The instructions of the encoded entry at {@code pc} (a kernel counts as one). */
    static int encodedInstructions(int[] code, int pc) {
        Instr op = op(code, pc);
        if (op.fixed()) return code[pc + 1];
        if (op == REP) return code[pc + 2] * code[pc + 3];
        if (op == CLASSED) return code[pc + 1];
        return 1;
    }
}
