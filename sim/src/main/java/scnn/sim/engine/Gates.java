package scnn.sim.engine;

import static scnn.sim.engine.Program.C0;
import static scnn.sim.engine.Program.C1;

import java.util.Arrays;

/**
 * The folding pass, applied as gates are built: constant operands fold away, identities simplify
 * ({@code a & a = a}, {@code mux(s, a, a) = a}, ...), and commutative operands are put in a
 * canonical order, so that {@link Sharing} sees identical gates as identical. What does not fold
 * is handed to {@link Sharing}. Signals: {@link Program#C0}, {@link Program#C1} or a slot.
 */
final class Gates {
    private final Sharing share;

    Gates(Sharing share) {
        this.share = share;
    }

    int not(int a) {
        if (a == C0) return C1;
        if (a == C1) return C0;
        int inv = share.inverseOf(a);
        if (inv != Integer.MIN_VALUE) return inv;
        return share.not(a);
    }

    int and(int a, int b) {
        if (a == C0 || b == C0) return C0;
        if (a == C1) return b;
        if (b == C1 || a == b) return a;
        return share.one(Instr.AND, Math.min(a, b), Math.max(a, b), 0);
    }

    int or(int a, int b) {
        if (a == C1 || b == C1) return C1;
        if (a == C0) return b;
        if (b == C0 || a == b) return a;
        return share.one(Instr.OR, Math.min(a, b), Math.max(a, b), 0);
    }

    int xor(int a, int b) {
        if (a == C0) return b;
        if (b == C0) return a;
        if (a == C1) return not(b);
        if (b == C1) return not(a);
        if (a == b) return C0;
        return share.one(Instr.XOR, Math.min(a, b), Math.max(a, b), 0);
    }

    /** {@code s ? b : a}. */
    int mux(int s, int a, int b) {
        if (s == C0 || a == b) return a;
        if (s == C1) return b;
        if (a == C0 && b == C1) return s;
        if (a == C1 && b == C0) return not(s);
        if (a == C0) return and(s, b);
        if (b == C0) return share.one(Instr.ANDN, a, s, 0);
        if (b == C1) return or(s, a);
        if (a == C1) return or(not(s), b);
        return share.one(Instr.MUX, s, a, b);
    }

    int maj(int a, int b, int c) {
        if (a == C0) return and(b, c);
        if (a == C1) return or(b, c);
        if (b == C0) return and(a, c);
        if (b == C1) return or(a, c);
        if (c == C0) return and(a, b);
        if (c == C1) return or(a, b);
        int[] s = sort3(a, b, c);
        return share.one(Instr.MAJ, s[0], s[1], s[2]);
    }

    /** {@code maj(a, ~b, c)}: one instruction instead of a NOT and a MAJ when nothing folds. */
    int majn(int a, int b, int c) {
        if (a < 0 || b < 0 || c < 0 || a == c) return maj(a, not(b), c);
        return share.one(Instr.MAJN, Math.min(a, c), b, Math.max(a, c));
    }

    /** Full adder; returns {sum, carry}; when {@code needCarry} is false the carry is not built (C0). */
    int[] fa(int a, int b, int c, boolean needCarry) {
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
                return share.two(Instr.HA, Math.min(a, b), Math.max(a, b), 0);
            }
            return new int[] {not(xor(a, b)), needCarry ? or(a, b) : C0};
        }
        if (!needCarry) return new int[] {xor(xor(a, b), c), C0};
        int[] t = sort3(a, b, c);
        return share.two(Instr.FA, t[0], t[1], t[2]);
    }

    /** A fresh copy of {@code a} (never shared). */
    int copy(int a) {
        return share.copy(a);
    }

    private static int[] sort3(int a, int b, int c) {
        int[] s = {a, b, c};
        Arrays.sort(s);
        return s;
    }
}
