package scnn.sim.axis;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import scnn.core.mnist.MnistSet;
import scnn.ir.Bits;

/**
 * What the AXI4-Stream source and sink of a test do: the beats the source sends, in order, and a
 * table of per-cycle stall bits. The same object drives the Java simulator ({@link AxisRunner}) and
 * the Verilog testbench (written to files), so both see the same cycles.
 *
 * <h2>Source and sink rules</h2>
 * In cycle t (the inputs that edge t samples): the source, when it offers no beat and has beats
 * left, offers the next one unless {@code gap(t)}; an offered beat stays on {@code s_axis_tdata}
 * with {@code s_axis_tvalid} high until a transfer (AXI: tvalid is never withdrawn). The sink drives
 * {@code m_axis_tready = !stall(t)}. Gaps apply only to beats from {@link #stallFromBeat()} on and
 * stalls only to results from {@link #stallFromResult()} on, so the first images stream without any
 * stall: their results give the no-stall latency and interval.
 *
 * @param beats           the beats in sending order
 * @param gaps            per cycle: the source does not offer a new beat (cycles past the end: no gap)
 * @param stalls          per cycle: the sink is not ready (past the end: ready)
 * @param stallFromBeat   index of the first beat that gaps may delay
 * @param stallFromResult index of the first result that stalls may delay
 * @param images          the test images sent well framed, in order (result n is image images[n])
 * @param cleanImages     how many of the first images stream with no stall at all
 * @param drainCycles     cycles the run continues after the last expected result (no result may come)
 */
public record AxisStimulus(List<Beat> beats, boolean[] gaps, boolean[] stalls, int stallFromBeat, int stallFromResult,
                           int[] images, int cleanImages, int drainCycles) {

    /**
     * One beat.
     *
     * @param data  the P pixels, pixel j in bits [8j+7:8j]
     * @param last  s_axis_tlast
     * @param image the test image it belongs to, or -1 for a beat of a malformed frame
     */
    public record Beat(Bits data, boolean last, int image) {}

    /** Whether the source holds back a new beat in cycle t. */
    public boolean gap(long t, int beat) {
        return beat >= stallFromBeat && t < gaps.length && gaps[(int) t];
    }

    /** Whether the sink is not ready in cycle t. */
    public boolean stall(long t, int result) {
        return result >= stallFromResult && t < stalls.length && stalls[(int) t];
    }

    /** The beats of image {@code img} of {@code set}: ceil(inputs / P) beats, tlast on the last, unused lanes 0. */
    public static List<Beat> imageBeats(MnistSet set, int img, int inputs, int p) {
        List<Beat> out = new ArrayList<>();
        int beats = (inputs + p - 1) / p;
        for (int b = 0; b < beats; b++) {
            final int base = b * p;
            out.add(new Beat(Bits.fromBits(8 * p, i -> {
                int px = base + i / 8;
                return px < inputs && ((set.pixel(img, px) >>> (i % 8)) & 1) != 0;
            }), b == beats - 1, img));
        }
        return out;
    }

    /** Images 0..k-1 of {@code set}, well framed, with no gap and no stall: what the timing figures are measured on. */
    public static AxisStimulus clean(MnistSet set, int k, int inputs, int p, long cyclesPerInference) {
        List<Beat> beats = new ArrayList<>();
        int[] images = new int[k];
        for (int i = 0; i < k; i++) {
            beats.addAll(imageBeats(set, i, inputs, p));
            images[i] = i;
        }
        return new AxisStimulus(List.copyOf(beats), new boolean[0], new boolean[0], Integer.MAX_VALUE, Integer.MAX_VALUE, images, k,
                drain(inputs, p, cyclesPerInference));
    }

    static int drain(int inputs, int p, long cycles) {
        return (int) Math.min(1 << 20, 2 * ((inputs + p - 1) / p + cycles) + 16);
    }

    /**
     * Images 0..k-1 of {@code set}: the first {@code clean} (at most k) with no stall, then seeded
     * random source gaps and sink stalls (short and long runs, long enough to fill the output FIFO
     * and hold the core; the first result that may stall waits about three intervals), and two
     * malformed frames: before image {@code clean} one whose tlast comes early (dropped), and after
     * the last image one whose tlast comes late (dropped at the beat count; its extra beats, which
     * end with tlast, are a second dropped frame). With one beat per image
     * (P at least the input count) no frame can end early: the malformed beats are beats without tlast.
     */
    public static AxisStimulus stressed(MnistSet set, int k, int clean, int inputs, int p, long cyclesPerInference, long seed) {
        if (clean > k) clean = k;
        SplittableRandom r = new SplittableRandom(seed);
        int B = (inputs + p - 1) / p;
        List<Beat> beats = new ArrayList<>();
        int[] images = new int[k];
        int cleanBeats = 0;
        for (int i = 0; i < k; i++) {
            if (i == clean) {
                cleanBeats = beats.size();
                earlyFrame(r, B, p, beats);
            }
            images[i] = i;
            beats.addAll(imageBeats(set, i, inputs, p));
        }
        if (clean == k) {
            cleanBeats = beats.size();
            earlyFrame(r, B, p, beats);
        }
        // tlast late, after the last image (so that, while a complete image waits for the core, the
        // source has beats left and is blocked): B beats without tlast, then 1..min(3, B-1) more, the
        // last with tlast (fewer than B, so that they are a frame with an early tlast); with B = 1 every
        // beat with tlast is a whole image, so the late frame is 1..3 beats without tlast
        if (B > 1) {
            int extra = 1 + r.nextInt(Math.min(3, B - 1));
            for (int b = 0; b < B + extra; b++) beats.add(new Beat(randomBits(r, 8 * p), b == B + extra - 1, -1));
        } else {
            int n = 1 + r.nextInt(3);
            for (int b = 0; b < n; b++) beats.add(new Beat(randomBits(r, 8 * p), false, -1));
        }
        long span = (long) (beats.size() + 4L * B) * 3 + (long) (k + 4) * (cyclesPerInference + 1) * 4 + 1000;
        int len = (int) Math.min(span, 1 << 24);
        boolean[] gaps = runs(r, len, B + cyclesPerInference, 0.25);
        boolean[] stalls = runs(r, len, 3 * (B + cyclesPerInference), 0.35);
        // and one long sink stall for sure: from the first result that stalls may delay for about three
        // intervals, so that the FIFO holds a result, the core waits, a complete image waits and the
        // source is blocked (stalls count only from result `clean` on, so a window from cycle 0 does it)
        long interval = Math.max(B, cyclesPerInference + 1);
        long w = Math.min(len, B + cyclesPerInference + 1 + (clean + 3) * interval + 2L * (B + cyclesPerInference));
        for (int t = 0; t < w; t++) stalls[t] = true;
        return new AxisStimulus(List.copyOf(beats), gaps, stalls, cleanBeats, clean, images, clean, drain(inputs, p, cyclesPerInference));
    }

    /** tlast early: a frame of 1..B-1 beats (none when B = 1: a one-beat frame always ends at its count). */
    private static void earlyFrame(SplittableRandom r, int B, int p, List<Beat> beats) {
        if (B < 2) return;
        int n = 1 + r.nextInt(B - 1);
        for (int b = 0; b < n; b++) beats.add(new Beat(randomBits(r, 8 * p), b == n - 1, -1));
    }

    private static Bits randomBits(SplittableRandom r, int w) {
        return Bits.fromBits(w, i -> r.nextBoolean());
    }

    /**
     * Alternating runs of "go" and "hold" cycles: a hold run is short (1..3 cycles) or, with
     * probability {@code longShare}, long (up to {@code longMax} cycles).
     */
    private static boolean[] runs(SplittableRandom r, int len, long longMax, double longShare) {
        boolean[] a = new boolean[len];
        int t = 0;
        int lm = (int) Math.max(2, Math.min(longMax, 1 << 16));
        while (t < len) {
            t += 1 + r.nextInt(Math.max(1, lm / 2)); // go
            int hold = r.nextDouble() < longShare ? 1 + r.nextInt(lm) : 1 + r.nextInt(3);
            for (int i = 0; i < hold && t < len; i++) a[t++] = true;
        }
        return a;
    }

    /** The text of the beats file the testbench reads: one line per beat, {@code <tlast> <tdata hex>}. */
    public String beatsText() {
        StringBuilder sb = new StringBuilder(beats.size() * (beats.isEmpty() ? 1 : beats.get(0).data().width() / 4 + 4));
        for (Beat b : beats) sb.append(b.last() ? '1' : '0').append(' ').append(b.data().toHex()).append('\n');
        return sb.toString();
    }

    /** The text of the stall file: one hex digit per cycle, bit 0 the source gap, bit 1 the sink stall. */
    public String stallsText() {
        int n = Math.max(gaps.length, stalls.length);
        StringBuilder sb = new StringBuilder(2 * n);
        for (int t = 0; t < n; t++) {
            int v = (t < gaps.length && gaps[t] ? 1 : 0) | (t < stalls.length && stalls[t] ? 2 : 0);
            sb.append(Character.forDigit(v, 16)).append('\n');
        }
        return sb.toString();
    }

    /** Number of well-framed images (the results expected). */
    public int expectedResults() {
        return images.length;
    }
}
