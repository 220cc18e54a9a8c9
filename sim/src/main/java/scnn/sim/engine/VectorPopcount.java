package scnn.sim.engine;

import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector popcount kernel: the carry-save network of {@code Machine.popcount} on eight kernels
 * at once, one kernel per {@code long} of a 512-bit word ({@link PopcountGroups}). Uses the
 * incubating Vector API ({@code jdk.incubator.vector}); nothing else loads this class unless
 * {@link PopcountGroups#use}.
 */
final class VectorPopcount {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_512;

    /**
     * Whether a call has run at the speed of compiled code (below {@link #COMPILED_NS_PER_STEP} per
     * input step; the interpreter and C1 are many times slower, since they make every vector an
     * object): until then the machines send only one group per run through this kernel. A hint for
     * speed and memory only; the results are the same either way.
     */
    static volatile boolean compiled;
    /** The time per input step below which a call counts as compiled code (about 5 ns compiled, 30 ns and more before). */
    static final long COMPILED_NS_PER_STEP = 12;

    private VectorPopcount() {}

    /** Whether this JVM compiles 512-bit vectors to the CPU's own (a narrower one would emulate them). */
    static boolean supported() {
        return LongVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    }

    private static LongVector at(long[] s, int[] idx, int q) {
        return LongVector.fromArray(S, s, q);
    }

    /**
     * Counts group {@code g}: per lane i (kernel {@code g.pcs()[i]}) and 64-lane word, the ones
     * among its inputs modulo 2^width, bit b of the count into {@code out[b * 8 + i]} (b < 12).
     */
    static void count(long[] slots, PopcountGroups.Group g, long[] out, long[] buf) {
        final int[] idx = g.idx();
        final int steps = g.steps();
        final int n = steps * 8;
        for (int i = 0; i < n; i++) buf[i] = slots[idx[i]];
        final long[] s = buf;
        // the carry-save network of Machine.popcount in four-input steps (a smaller method than
        // its sixteen: C2 stops inlining the gathers of a method past a node count); the carries
        // ripple through every counter bit (the bits above a kernel's width are never read)
        // (a zero made here, not a static constant: C2 then keeps the loop's vectors unboxed)
        final LongVector z = LongVector.zero(S);
        LongVector ones = z, twos = z, fours = z, eights = z;
        LongVector h0 = z, h1 = z, h2 = z, h3 = z, h4 = z, h5 = z, h6 = z, h7 = z;
        int q = 0;
        for (; q + 4 <= steps; q += 4) {
            final int b = q * 8;
            LongVector a0 = at(s, idx, b), a1 = at(s, idx, b + 8), a2 = at(s, idx, b + 16), a3 = at(s, idx, b + 24);
            LongVector u = ones.lanewise(XOR, a0), twosA = ones.and(a0).or(u.and(a1));
            ones = u.lanewise(XOR, a1);
            u = ones.lanewise(XOR, a2);
            LongVector twosB = ones.and(a2).or(u.and(a3));
            ones = u.lanewise(XOR, a3);
            u = twos.lanewise(XOR, twosA);
            LongVector carry = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            LongVector t;
            t = fours.and(carry);
            fours = fours.lanewise(XOR, carry);
            carry = t;
            t = eights.and(carry);
            eights = eights.lanewise(XOR, carry);
            carry = t;
            t = h0.and(carry);
            h0 = h0.lanewise(XOR, carry);
            carry = t;
            t = h1.and(carry);
            h1 = h1.lanewise(XOR, carry);
            carry = t;
            t = h2.and(carry);
            h2 = h2.lanewise(XOR, carry);
            carry = t;
            t = h3.and(carry);
            h3 = h3.lanewise(XOR, carry);
            carry = t;
            t = h4.and(carry);
            h4 = h4.lanewise(XOR, carry);
            carry = t;
            t = h5.and(carry);
            h5 = h5.lanewise(XOR, carry);
            carry = t;
            t = h6.and(carry);
            h6 = h6.lanewise(XOR, carry);
            carry = t;
            h7 = h7.lanewise(XOR, carry);
        }
        for (; q < steps; q++) {
            LongVector carry = at(s, idx, q * 8);
            LongVector t = ones.and(carry);
            ones = ones.lanewise(XOR, carry);
            carry = t;
            t = twos.and(carry);
            twos = twos.lanewise(XOR, carry);
            carry = t;
            t = fours.and(carry);
            fours = fours.lanewise(XOR, carry);
            carry = t;
            t = eights.and(carry);
            eights = eights.lanewise(XOR, carry);
            carry = t;
            t = h0.and(carry);
            h0 = h0.lanewise(XOR, carry);
            carry = t;
            t = h1.and(carry);
            h1 = h1.lanewise(XOR, carry);
            carry = t;
            t = h2.and(carry);
            h2 = h2.lanewise(XOR, carry);
            carry = t;
            t = h3.and(carry);
            h3 = h3.lanewise(XOR, carry);
            carry = t;
            t = h4.and(carry);
            h4 = h4.lanewise(XOR, carry);
            carry = t;
            t = h5.and(carry);
            h5 = h5.lanewise(XOR, carry);
            carry = t;
            t = h6.and(carry);
            h6 = h6.lanewise(XOR, carry);
            h7 = h7.lanewise(XOR, t);
        }
        ones.intoArray(out, 0);
        twos.intoArray(out, 8);
        fours.intoArray(out, 16);
        eights.intoArray(out, 24);
        h0.intoArray(out, 32);
        h1.intoArray(out, 40);
        h2.intoArray(out, 48);
        h3.intoArray(out, 56);
        h4.intoArray(out, 64);
        h5.intoArray(out, 72);
        h6.intoArray(out, 80);
        h7.intoArray(out, 88);
    }
}
