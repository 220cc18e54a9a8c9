package scnn.ir;

/**
 * IR operations. Unless stated otherwise an operation is element-wise over the node's count, its
 * operands have the node's width, and its result wraps at that width.
 */
public enum Op {
    /** Input port of the design (a module's input may be an array: count > 1). */
    INPUT(0),
    /** Constant; {@code Node.data()} holds one value per element. A large constant array that is
     *  read through {@link #ARRAY_GET} is a read-only memory (emitted with {@code $readmemh}). */
    CONST(0),
    /** Register: args {@code next} and optional {@code enable} (1 bit); init value per element in
     *  {@code data()}, loaded by the synchronous reset. */
    REG(-1),
    /** Memory of {@code count} words that are not reset: args {@code we} (1 bit), {@code waddr},
     *  {@code wdata}, all scalars; word {@code waddr} takes {@code wdata} at the clock edge when
     *  {@code we}. Read it with {@link #ARRAY_GET}. */
    RAM(3),
    NOT(1), AND(2), OR(2), XOR(2), XNOR(2),
    ADD(2), SUB(2),
    /** Low {@code width} bits of the product. */
    MUL(2),
    /** Shift by the constant {@code param(0)}. */
    SHL(1), SHR(1), ASHR(1),
    /** Comparisons give 1 bit; operands have equal widths (may differ from the result's 1). */
    EQ(2), NE(2), LTU(2), LTS(2),
    /** {@code args[0] ? args[2] : args[1]}; args[0] is 1 bit. */
    MUX(3),
    /** Concatenation, first operand most significant (as Verilog {a, b}). */
    CONCAT(-1),
    /** Bits {@code [param(0) + width - 1 : param(0)]} of the operand. */
    SLICE(1),
    /** Zero / sign extension (or truncation) of the operand to the node's width. */
    ZEXT(1), SEXT(1),
    /** Reductions to 1 bit. */
    RED_OR(1), RED_AND(1), RED_XOR(1),
    /** Number of ones of the operand, at the node's width. */
    POPCOUNT(1),
    /** Whole-array operand of C elements of width w -> one vector of C*w bits, element 0 lowest. */
    PACK(1),
    /** {@code args[0]} is a vector, {@code args[1]} an index: the 1-bit {@code vec[idx]} (0 when out of range). */
    INDEX(2),
    /**
     * Bit selection from a small vector by packed codes: {@code args[0]} is a vector {@code bank} of B
     * bits, {@code args[1]} holds {@code width} codes of {@code param(0)} bits each (code j in bits
     * {@code [j*cw +: cw]}); result bit j is {@code bank[code j]} (0 when out of range).
     */
    BITSEL(2),
    /** {@code args[0]} is a whole array, {@code args[1]} an index: that element (0 when out of range). */
    ARRAY_GET(2),
    /**
     * Output port {@code Node.port()} of the instance {@code Node.instance()} of a sub-design
     * ({@link Design#instance}); its operands are the instance's input connections that the output
     * depends on combinationally (so that levelizing sees through the instance), as whole arrays or
     * scalars. Backends either flatten it away ({@link Flatten}) or print the instance.
     */
    INST_OUT(-1);

    /** Number of operands, or -1 when variable. */
    public final int arity;

    Op(int arity) {
        this.arity = arity;
    }
}
