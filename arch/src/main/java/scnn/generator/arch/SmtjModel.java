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
 * @param clockNs  sampling (clock) period in ns
 * @param tauCorrNs correlation time of the telegraph process in ns
 * @param i0Ua     bias current of p = 0.5 (uA), for the calibration table
 * @param iWidthUa sigmoid width of P(1) versus bias (uA)
 */
public record SmtjModel(double clockNs, double tauCorrNs, double i0Ua, double iWidthUa) implements java.io.Serializable {
    /**
     * Defaults: 10 ns per sample (VCMA MTJs give random bits in under 10 ns, Shao et al. 2022),
     * correlation time 2 ns (dwell times of 1-10 ns; with p = 0.5 and a mean dwell of 4 ns,
     * 1/tau = 2/4 ns), bias calibration i0 = 2.5 uA and width 0.5 uA (STT tuning below 5 uA,
     * Shao et al. 2021).
     */
    public static final SmtjModel DEFAULT = new SmtjModel(10.0, 2.0, 2.5, 0.5);

    public SmtjModel {
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
