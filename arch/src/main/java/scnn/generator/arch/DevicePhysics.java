package scnn.generator.arch;

import java.nio.file.Path;
import java.util.Locale;
import scnn.core.io.ScnnException;

/**
 * s-MTJ physics: Neel-Arrhenius dwell times of a low-barrier magnetic tunnel junction whose
 * barrier is tilted by a spin-transfer bias current, and what they imply for the sampled bitstream.
 *
 * <p>With energy barrier {@code Delta} (in kT), attempt time {@code tau0} and critical current
 * {@code Ic}, a bias current {@code I} gives the mean dwell times
 * <pre>
 *   tau1(I) = tau0 exp(Delta (1 + I / Ic))     (state 1, favoured by I > 0)
 *   tau0(I) = tau0 exp(Delta (1 - I / Ic))     (state 0)
 * </pre>
 * so that
 * <pre>
 *   P(1)    = tau1 / (tau0 + tau1) = 1 / (1 + exp(-2 Delta I / Ic))       a sigmoid of width Ic / (2 Delta)
 *   tauC(I) = 1 / (1/tau0 + 1/tau1) = tau0 e^Delta / (2 cosh(Delta I / Ic))
 *   tauC(p) = tau0 e^Delta sqrt(p (1 - p))                                 at the bias that sets P(1) = p
 * </pre>
 * The correlation time depends on the bias: a device biased far from p = 0.5 leaves its rare
 * state quickly and flips less often overall. Sampled once per period {@code T}, the state is a
 * two-state Markov chain with lag-1 autocorrelation {@code a(p) = exp(-T / tauC(p))}, which the
 * behavioural model reproduces by redrawing the state from Bernoulli(p) with probability
 * {@code 1 - a(p)} ({@link SmtjModel}); its redraw threshold is {@link #redrawThreshold(double)}.
 *
 * <p>A device file ({@code --device FILE}, JSON) gives {@code delta_kt}, {@code tau0_ns},
 * {@code ic_ua} and {@code clock_ns}; {@code "preset": "measured-5ns"} stands for the measured
 * devices of the research notes (nanosecond dwell times, about 5 ns correlation at p = 0.5:
 * {@code tau0 = 1 ns}, {@code Delta = ln 10}, so that dwell times at p = 0.5 are 10 ns and the
 * correlation time 5 ns; {@code Ic = 10 uA}).
 *
 * @param deltaKt energy barrier in kT
 * @param tau0Ns attempt time in ns
 * @param icUa critical current in uA (the bias scale)
 * @param clockNs sampling period in ns
 */
public record DevicePhysics(double deltaKt, double tau0Ns, double icUa, double clockNs) implements java.io.Serializable {
    /** The measured-device preset (see the class comment). */
    public static final DevicePhysics MEASURED_5NS = new DevicePhysics(Math.log(10), 1.0, 10.0, 10.0);

    public DevicePhysics {
        for (double v : new double[] {deltaKt, tau0Ns, icUa, clockNs})
            if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException("device parameters must be positive and finite");
        if (deltaKt > 60) throw new IllegalArgumentException("delta_kt " + deltaKt + " is not a stochastic MTJ (at most 60 kT)");
    }

    /** Mean dwell time of state 1 at bias {@code iUa}, in ns. */
    public double tau1Ns(double iUa) {
        return tau0Ns * Math.exp(deltaKt * (1 + iUa / icUa));
    }

    /** Mean dwell time of state 0 at bias {@code iUa}, in ns. */
    public double tau0StateNs(double iUa) {
        return tau0Ns * Math.exp(deltaKt * (1 - iUa / icUa));
    }

    /** P(state = 1) at bias {@code iUa}. */
    public double probability(double iUa) {
        return 1 / (1 + Math.exp(-2 * deltaKt * iUa / icUa));
    }

    /** The bias that sets P(1) = p, in uA (infinite at p = 0 or 1). */
    public double biasFor(double p) {
        return icUa / (2 * deltaKt) * Math.log(p / (1 - p));
    }

    /** Correlation time of the telegraph process at the bias that sets P(1) = p, in ns. */
    public double tauCorrNs(double p) {
        return tau0Ns * Math.exp(deltaKt) * Math.sqrt(p * (1 - p));
    }

    /** Lag-1 autocorrelation of the samples at P(1) = p (0 for a constant device, p = 0 or 1). */
    public double lag1(double p) {
        if (p <= 0 || p >= 1) return 0;
        return Math.exp(-clockNs / tauCorrNs(p));
    }

    /** The behavioural model's redraw threshold at P(1) = p: {@code round((1 - a(p)) 2^16)}, in 0..65536. */
    public int redrawThreshold(double p) {
        return (int) Math.round((1 - lag1(p)) * 65536.0);
    }

    /** The equivalent {@link SmtjModel} of today's interface at p = 0.5 (its constant correlation time and sigmoid). */
    public SmtjModel atHalf() {
        return new SmtjModel(clockNs, tauCorrNs(0.5), 0, icUa / (2 * deltaKt));
    }

    /**
     * Reads the s-MTJ physics of a device file ({@link DeviceFile}); a file without physics keys
     * (only DAC keys) is refused here. Every problem is one line naming the file.
     */
    public static DevicePhysics read(Path file) {
        DeviceFile f = DeviceFile.read(file);
        if (f.physics() == null) throw new ScnnException(file + ": no s-MTJ physics (give delta_kt, tau0_ns, ic_ua and clock_ns, or \"preset\")");
        return f.physics();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "s-MTJ Delta = %.3f kT, tau0 = %.3g ns, Ic = %.3g uA, T = %.3g ns (tauC(0.5) = %.3g ns)",
                deltaKt, tau0Ns, icUa, clockNs, tauCorrNs(0.5));
    }
}
