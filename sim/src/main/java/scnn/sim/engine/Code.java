package scnn.sim.engine;

import java.util.Arrays;

/** A growing buffer of raw instruction records (layout: {@link Instr}). */
final class Code {
    int[] a = new int[1 << 16];
    int len;

    /** Appends a record; returns its index. */
    int emit(Instr op, int[] imm, int[] writes, int[] reads) {
        if (op.fixed() && (writes.length != op.writes || reads.length != op.reads))
            throw new IllegalArgumentException(op + " takes " + op.writes + " writes and " + op.reads + " reads");
        int n = Instr.HEADER + imm.length + writes.length + reads.length;
        if (len + n > a.length) a = Arrays.copyOf(a, Math.max(2 * a.length, len + n));
        int pc = len;
        a[len++] = op.ordinal();
        a[len++] = writes.length;
        a[len++] = reads.length;
        a[len++] = imm.length;
        for (int x : imm) a[len++] = x;
        for (int x : writes) a[len++] = x;
        for (int x : reads) a[len++] = x;
        return pc;
    }

    /** Appends a fixed-arity instruction with one result, reading the first {@code op.reads} of a, b, c. */
    void emit1(Instr op, int d, int a, int b, int c) {
        gate(op, 1, d, 0, a, b, c);
    }

    /** Appends a fixed-arity instruction with two results, reading the first {@code op.reads} of a, b, c. */
    void emit2(Instr op, int d, int e, int a, int b, int c) {
        gate(op, 2, d, e, a, b, c);
    }

    /** A gate's record written in place (no operand arrays: the compiler emits one per gate it builds). */
    private void gate(Instr op, int nw, int d, int e, int r0, int r1, int r2) {
        if (!op.fixed() || op.writes != nw || op.reads < 1 || op.reads > 3)
            throw new IllegalArgumentException(op + " takes " + op.writes + " writes and " + op.reads + " reads");
        int n = Instr.HEADER + nw + op.reads;
        if (len + n > a.length) a = Arrays.copyOf(a, Math.max(2 * a.length, len + n));
        int[] x = a;
        x[len++] = op.ordinal();
        x[len++] = nw;
        x[len++] = op.reads;
        x[len++] = 0;
        x[len++] = d;
        if (nw == 2) x[len++] = e;
        x[len++] = r0;
        if (op.reads > 1) x[len++] = r1;
        if (op.reads > 2) x[len++] = r2;
    }
}
