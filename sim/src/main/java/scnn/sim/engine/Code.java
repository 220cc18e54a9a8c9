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

    private static final int[] NONE = new int[0];

    /** Appends a fixed-arity instruction with one result. */
    void emit1(Instr op, int d, int... reads) {
        emit(op, NONE, new int[] {d}, reads);
    }

    /** Appends a fixed-arity instruction with two results. */
    void emit2(Instr op, int d, int e, int... reads) {
        emit(op, NONE, new int[] {d, e}, reads);
    }
}
