package scnn.ir;

import java.math.BigInteger;
import java.util.Arrays;

/** An immutable bit vector of a fixed width (bit 0 least significant), for constants of any width. */
public final class Bits {
    private final int width;
    private final long[] words;

    private Bits(int width, long[] words) {
        this.width = width;
        this.words = words;
        mask();
    }

    public static Bits zero(int width) {
        return new Bits(width, new long[nwords(width)]);
    }

    public static Bits of(int width, long value) {
        long[] w = new long[nwords(width)];
        if (w.length > 0) w[0] = value;
        // sign-extend a negative value into the higher words
        for (int i = 1; i < w.length; i++) w[i] = value < 0 ? -1L : 0L;
        return new Bits(width, w);
    }

    public static Bits of(int width, BigInteger value) {
        long[] w = new long[nwords(width)];
        for (int i = 0; i < w.length; i++) w[i] = value.shiftRight(64 * i).longValue();
        return new Bits(width, w);
    }

    /** Builder from individual bits. */
    public static Bits fromBits(int width, java.util.function.IntPredicate bit) {
        long[] w = new long[nwords(width)];
        for (int i = 0; i < width; i++) if (bit.test(i)) w[i >>> 6] |= 1L << (i & 63);
        return new Bits(width, w);
    }

    /** Packs {@code codes[j]} ({@code cw} bits each) at bits {@code [j*cw +: cw]}. */
    public static Bits packed(int cw, int[] codes) {
        int width = cw * codes.length;
        long[] w = new long[nwords(width)];
        for (int j = 0; j < codes.length; j++)
            for (int b = 0; b < cw; b++)
                if (((codes[j] >>> b) & 1) != 0) {
                    int i = j * cw + b;
                    w[i >>> 6] |= 1L << (i & 63);
                }
        return new Bits(width, w);
    }

    static int nwords(int width) {
        return (width + 63) >>> 6;
    }

    private void mask() {
        int r = width & 63;
        if (r != 0 && words.length > 0) words[words.length - 1] &= (1L << r) - 1;
    }

    public int width() {
        return width;
    }

    public boolean bit(int i) {
        return i < width && ((words[i >>> 6] >>> (i & 63)) & 1) != 0;
    }

    /** The low 64 bits. */
    public long low() {
        return words.length == 0 ? 0 : words[0];
    }

    /** Bits {@code [lo +: n]} as a long, n <= 64. */
    public long field(int lo, int n) {
        long v = 0;
        for (int b = 0; b < n; b++) if (bit(lo + b)) v |= 1L << b;
        return v;
    }

    /** Value as a signed number of this width (widths up to 64). */
    public long signedValue() {
        if (width == 0) return 0;
        long v = low();
        if (width < 64 && bit(width - 1)) v |= -1L << width;
        return v;
    }

    public BigInteger toBigInteger() {
        BigInteger v = BigInteger.ZERO;
        for (int i = words.length - 1; i >= 0; i--)
            v = v.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(words[i])));
        return v;
    }

    public boolean isZero() {
        for (long w : words) if (w != 0) return false;
        return true;
    }

    /** Lower-case hexadecimal, exactly ceil(width/4) digits (as $readmemh reads). */
    public String toHex() {
        int digits = Math.max(1, (width + 3) / 4);
        StringBuilder sb = new StringBuilder(digits);
        for (int d = digits - 1; d >= 0; d--) {
            int v = 0;
            for (int b = 3; b >= 0; b--) v = (v << 1) | (bit(4 * d + b) ? 1 : 0);
            sb.append(Character.forDigit(v, 16));
        }
        return sb.toString();
    }

    /** Binary, exactly {@code width} digits, most significant first. */
    public String toBinary() {
        StringBuilder sb = new StringBuilder(width);
        for (int i = width - 1; i >= 0; i--) sb.append(bit(i) ? '1' : '0');
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bits b && b.width == width && Arrays.equals(b.words, words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words) * 31 + width;
    }

    @Override
    public String toString() {
        return width + "'h" + toHex();
    }
}
