package scnn.sim.engine;

/**
 * The sharing pass, applied as gates are built: an identical gate (same instruction, same operands)
 * is computed once, and the inverse of an inverter's output is its input. Emits what is new into the
 * {@link Code}; operands arrive normalized by {@link Gates}.
 */
final class Sharing {
    private final Code code;
    private final Signals signals;
    private final Cse cse = new Cse();
    /** Key of "the inverse of slot a" entries (not an instruction). */
    private static final int INVERSE = -1;

    Sharing(Code code, Signals signals) {
        this.code = code;
        this.signals = signals;
    }

    /** The result of a one-result instruction on {@code reads} (up to 3): shared or new. */
    int one(Instr op, int a, int b, int c) {
        int hit = cse.find(op.ordinal(), a, b, c);
        if (hit >= 0) return cse.first(hit);
        int d = signals.newSlot();
        code.emit1(op, d, a, b, c);
        cse.put(op.ordinal(), a, b, c, d, 0);
        return d;
    }

    /** The (sum, carry) of a half or full adder: shared or new. */
    int[] two(Instr op, int a, int b, int c) {
        int hit = cse.find(op.ordinal(), a, b, c);
        if (hit >= 0) return new int[] {cse.first(hit), cse.second(hit)};
        int d = signals.newSlot(), e = signals.newSlot();
        code.emit2(op, d, e, a, b, c);
        cse.put(op.ordinal(), a, b, c, d, e);
        return new int[] {d, e};
    }

    /** The signal known to be the inverse of slot {@code a} (a is an inverter's output), else {@link Integer#MIN_VALUE}. */
    int inverseOf(int a) {
        int hit = cse.find(INVERSE, a, 0, 0);
        return hit < 0 ? Integer.MIN_VALUE : cse.first(hit);
    }

    /** An inverter of {@code a} (shared), remembering that its inverse is {@code a}. */
    int not(int a) {
        int r = one(Instr.NOT, a, 0, 0);
        if (cse.find(INVERSE, r, 0, 0) < 0) cse.put(INVERSE, r, 0, 0, a, 0);
        return r;
    }

    /** A fresh slot holding {@code a}'s value, never shared (its block alone computes it). */
    int copy(int a) {
        int d = signals.newSlot();
        code.emit1(Instr.COPY, d, a, 0, 0);
        return d;
    }

    /** Open-addressing table of (op, a, b, c) -> (r0, r1). */
    private static final class Cse {
        private int[] keys = new int[4 * (1 << 16)];
        private int[] vals = new int[2 * (1 << 16)];
        private boolean[] used = new boolean[1 << 16];
        private int size;

        private static int hash(int op, int a, int b, int c) {
            int h = op * 0x9E3779B1 ^ a * 0x85EBCA6B ^ Integer.rotateLeft(b * 0xC2B2AE35, 11) ^ Integer.rotateLeft(c * 0x27D4EB2F, 21);
            return h ^ (h >>> 15);
        }

        /** The entry of (op, a, b, c), or -1 (no allocation: the compiler looks up every gate it builds). */
        int find(int op, int a, int b, int c) {
            int mask = used.length - 1;
            for (int i = hash(op, a, b, c) & mask; used[i]; i = (i + 1) & mask)
                if (keys[4 * i] == op && keys[4 * i + 1] == a && keys[4 * i + 2] == b && keys[4 * i + 3] == c) return i;
            return -1;
        }

        int first(int entry) {
            return vals[2 * entry];
        }

        int second(int entry) {
            return vals[2 * entry + 1];
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
