package scnn.generator.arch;

/**
 * Behavioural model of a stochastic MTJ as a two-state telegraph process sampled once per clock.
 *
 * <p>P(state = 1) is a sigmoid of the bias current, {@code p = 1 / (1 + exp(-(I - i0) / iWidth))};
 * a source that must produce probability p is biased at {@code I = i0 + iWidth * logit(p)} (the
 * calibration per level). The dwell times set the correlation: sampled at period T, the state is
 * redrawn from Bernoulli(p) with probability {@code 1 - a} and kept otherwise, where
 * {@code a = exp(-T / tauCorr)} and {@code 1/tauCorr = 1/tauUp + 1/tauDown}; this gives exactly the
 * telegraph transition probabilities {@code P(1->0) = (1-p)(1-a)}, {@code P(0->1) = p(1-a)}, the
 * stationary P(1) = p and the lag-k autocorrelation {@code a^k}.
 *
 * <p>In hardware both draws come from a per-device xorshift32 generator: bits [31:16] decide the
 * redraw ({@code r1 < R}, {@code R = round((1 - a) 2^16)}), bits [15:0] the new state
 * ({@code r2 < round(p 2^16)}).
 *
 * <p>With a {@link DevicePhysics} (a device file, {@code --device}), the correlation time depends
 * on the bias, {@code tauC(p) = tau0 e^Delta sqrt(p (1 - p))}: the redraw threshold is then a
 * table over the bias, {@link #redrawTable()}, read by the cell at {@code p[16:8]} (the RTL
 * approximates the bias by 257 buckets of 256 settings each, evaluated at the bucket's centre).
 *
 * @param clockNs  sampling (clock) period in ns
 * @param tauCorrNs correlation time of the telegraph process in ns (with physics: at p = 0.5)
 * @param i0Ua     bias current of p = 0.5 (uA), for the calibration table
 * @param iWidthUa sigmoid width of P(1) versus bias (uA)
 * @param physics  the device physics, or null for today's constant correlation time
 */
public record SmtjModel(double clockNs, double tauCorrNs, double i0Ua, double iWidthUa, DevicePhysics physics) implements java.io.Serializable {
    /** The model with a constant correlation time (no device physics). */
    public SmtjModel(double clockNs, double tauCorrNs, double i0Ua, double iWidthUa) {
        this(clockNs, tauCorrNs, i0Ua, iWidthUa, null);
    }

    /** The model of a device file: its period, its correlation time at p = 0.5, its sigmoid, and the bias-dependent correlation. */
    public static SmtjModel of(DevicePhysics d) {
        return new SmtjModel(d.clockNs(), d.tauCorrNs(0.5), 0, d.icUa() / (2 * d.deltaKt()), d);
    }

    /** Entries of {@link #redrawTable()}: indexed by the 9 bits p[16:8]. */
    public static final int TABLE_SIZE = 512;

    /**
     * With physics: the redraw threshold for each bias bucket {@code b = p >> 8} (centre
     * {@code (256 b + 128) / 65536}, clipped to [0, 1]; unused entries past b = 256 repeat it);
     * null without physics.
     */
    public int[] redrawTable() {
        if (physics == null) return null;
        int[] t = new int[TABLE_SIZE];
        for (int b = 0; b < TABLE_SIZE; b++) {
            double p = Math.min(1, (256.0 * Math.min(b, 256) + 128) / 65536);
            t[b] = physics.redrawThreshold(p);
        }
        return t;
    }
    /**
     * Defaults: 10 ns per sample (VCMA MTJs give random bits in under 10 ns, Shao et al. 2022),
     * correlation time 2 ns (dwell times of 1-10 ns; with p = 0.5 and a mean dwell of 4 ns,
     * 1/tau = 2/4 ns), bias calibration i0 = 2.5 uA and width 0.5 uA (STT tuning below 5 uA,
     * Shao et al. 2021).
     */
    public static final SmtjModel DEFAULT = new SmtjModel(10.0, 2.0, 2.5, 0.5);

    public SmtjModel {
        if (physics != null && physics.clockNs() != clockNs) physics = new DevicePhysics(physics.deltaKt(), physics.tau0Ns(), physics.icUa(), clockNs);
        if (!(clockNs > 0) || !(tauCorrNs > 0) || !(iWidthUa > 0)) throw new IllegalArgumentException("s-MTJ model: periods and widths must be positive");
    }

    /** Lag-1 autocorrelation of successive samples. */
    public double lag1() {
        return Math.exp(-clockNs / tauCorrNs);
    }

    /** Redraw threshold R in 0..65536 (17 bits). */
    public int redrawThreshold() {
        return (int) Math.round((1 - lag1()) * 65536.0);
    }

    /** Fixed-point probability threshold round(p 2^16), 0..65536. */
    public static int threshold(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probability out of range: " + p);
        return (int) Math.round(p * 65536.0);
    }

    /** Bias current (uA) that sets P(1) = p; infinite at p = 0 or 1 (a constant source). */
    public double biasFor(double p) {
        return i0Ua + iWidthUa * Math.log(p / (1 - p));
    }
}
