package scnn.train.kernel;

import java.util.SplittableRandom;

/**
 * Counter-based randomness: every random draw of the trainer comes from a generator keyed by a
 * tuple such as (seed, epoch, example index), so that the draws do not depend on which thread
 * handles which example or in which order.
 */
public final class Rng {
    private Rng() {}

    /** The splitmix64 finaliser: a bijective 64-bit mix. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A 64-bit key of a tuple of longs (order matters). */
    public static long key(long... parts) {
        long h = 0x9e3779b97f4a7c15L;
        for (long p : parts) h = mix(h + p * 0x9e3779b97f4a7c15L + 0x632be59bd9b4e019L);
        return h;
    }

    /** A generator for the given tuple. */
    public static SplittableRandom of(long... parts) {
        return new SplittableRandom(key(parts));
    }
}
