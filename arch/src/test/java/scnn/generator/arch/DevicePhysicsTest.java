package scnn.generator.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.ScnnException;

/**
 * The physics model against the Neel-Arrhenius process itself: a continuous-time telegraph process
 * with exponential dwell times tau0(I) and tau1(I), sampled every T, simulated here independently
 * of the model's closed forms, must show the model's P(1) and lag-1 autocorrelation (bounds at
 * 5 sigma of the estimators, from their variance); and the behavioural redraw model at the
 * model's threshold must show the same autocorrelation.
 */
class DevicePhysicsTest {
    @TempDir Path tmp;

    private static final DevicePhysics DEV = new DevicePhysics(Math.log(10), 1.0, 10.0, 2.0); // tauC(0.5) = 5 ns, T = 2 ns

    /** Sample mean and lag-1 autocorrelation of {@code n} samples. */
    private static double[] stats(boolean[] x) {
        int n = x.length;
        double m = 0;
        for (boolean b : x) m += b ? 1 : 0;
        m /= n;
        double c0 = 0, c1 = 0;
        for (int i = 0; i < n; i++) {
            double d = (x[i] ? 1 : 0) - m;
            c0 += d * d;
            if (i + 1 < n) c1 += d * ((x[i + 1] ? 1 : 0) - m);
        }
        return new double[] {m, c1 / c0};
    }

    /** The continuous-time process: exponential dwell times at bias I, sampled every T. */
    private static boolean[] telegraph(DevicePhysics d, double iUa, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double t1 = d.tau1Ns(iUa), t0 = d.tau0StateNs(iUa);
        boolean s = r.nextDouble() < t1 / (t0 + t1);
        double next = -Math.log(1 - r.nextDouble()) * (s ? t1 : t0); // time of the next flip
        boolean[] x = new boolean[n];
        for (int k = 0; k < n; k++) {
            double t = k * d.clockNs();
            while (next <= t) {
                s = !s;
                next += -Math.log(1 - r.nextDouble()) * (s ? t1 : t0);
            }
            x[k] = s;
        }
        return x;
    }

    private static void assertWithin5Sigma(double p, double a, double[] st, int n, String what) {
        // variance of the mean of a two-state Markov chain: p(1-p)/n (1+a)/(1-a); of the lag-1
        // estimate about (1 - a^2)/n
        double sm = Math.sqrt(p * (1 - p) / n * (1 + a) / (1 - a)), sa = Math.sqrt((1 - a * a) / n);
        assertTrue(Math.abs(st[0] - p) < 5 * sm, what + ": P(1) " + st[0] + " vs " + p + " (5 sigma = " + 5 * sm + ")");
        assertTrue(Math.abs(st[1] - a) < 5 * sa + 1e-3, what + ": lag-1 " + st[1] + " vs " + a + " (5 sigma = " + 5 * sa + ")");
    }

    @Test
    void closedFormsMatchTheNeelArrheniusProcess() {
        int n = 400_000;
        long seed = 11;
        for (double p : new double[] {0.5, 0.2, 0.05, 0.9}) {
            double i = DEV.biasFor(p);
            assertEquals(p, DEV.probability(i), 1e-12);
            double t1 = DEV.tau1Ns(i), t0 = DEV.tau0StateNs(i);
            assertEquals(p, t1 / (t0 + t1), 1e-12, "P(1) = tau1 / (tau0 + tau1)");
            assertEquals(1 / (1 / t0 + 1 / t1), DEV.tauCorrNs(p), 1e-9, "tauC = 1/(1/tau0 + 1/tau1)");
            assertWithin5Sigma(p, DEV.lag1(p), stats(telegraph(DEV, i, n, seed++)), n, "telegraph p=" + p);
        }
        assertEquals(5.0, DEV.tauCorrNs(0.5), 1e-12);
        assertTrue(DEV.tauCorrNs(0.05) < DEV.tauCorrNs(0.2) && DEV.tauCorrNs(0.2) < DEV.tauCorrNs(0.5),
                "the correlation time shrinks away from p = 0.5");
        assertEquals(0, DEV.lag1(0));
        assertEquals(65536, DEV.redrawThreshold(1));
    }

    @Test
    void theBehaviouralRedrawModelAtTheModelsThresholdHasTheModelsCorrelation() {
        int n = 400_000;
        for (double p : new double[] {0.5, 0.1}) {
            int rt = DEV.redrawThreshold(p), pt = SmtjModel.threshold(p);
            SplittableRandom r = new SplittableRandom(17);
            boolean s = false;
            boolean[] x = new boolean[n];
            for (int k = 0; k < n; k++) {
                // as the hardware: redraw when r1 < R, the new state is r2 < round(p 2^16)
                if (r.nextInt(65536) < rt) s = r.nextInt(65536) < pt;
                x[k] = s;
            }
            assertWithin5Sigma(pt / 65536.0, 1 - rt / 65536.0, stats(x), n, "redraw model p=" + p);
            assertEquals(DEV.lag1(p), 1 - rt / 65536.0, 1.0 / 65536, "the threshold rounds a(p)");
        }
    }

    @Test
    void deviceFiles() throws Exception {
        Path f = Files.writeString(tmp.resolve("d.json"), "{\"delta_kt\": 3, \"tau0_ns\": 0.5, \"ic_ua\": 8, \"clock_ns\": 4}");
        assertEquals(new DevicePhysics(3, 0.5, 8, 4), DevicePhysics.read(f));
        Path p = Files.writeString(tmp.resolve("p.json"), "{\"preset\": \"measured-5ns\", \"clock_ns\": 2, \"_note\": \"x\"}");
        assertEquals(new DevicePhysics(Math.log(10), 1, 10, 2), DevicePhysics.read(p));
        for (String bad : new String[] {"{\"delta_kt\": 3}", "{\"preset\": \"nope\"}", "{\"delta_kt\": -1, \"tau0_ns\": 1, \"ic_ua\": 1, \"clock_ns\": 1}",
                "{\"preset\": \"measured-5ns\", \"volts\": 1}", "[1]", "{\"preset\": \"measured-5ns\", \"delta_kt\": 99}"}) {
            Path b = Files.writeString(tmp.resolve("b.json"), bad);
            ScnnException e = assertThrows(ScnnException.class, () -> DevicePhysics.read(b), bad);
            assertTrue(e.getMessage().startsWith(b + ": ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /** The DAC keys of a device file: with or without physics; defaults are today's DAC; bad values are one line naming the file. */
    @Test
    void deviceFilesWithDacKeys() throws Exception {
        Path only = Files.writeString(tmp.resolve("dac.json"), "{\"dac_latency_cycles\": 9, \"dac_conversion_pj\": 0.25, \"_why\": \"a slow DAC\"}");
        DeviceFile f = DeviceFile.read(only);
        assertNull(f.physics(), "no physics keys: the default telegraph model");
        assertEquals(new DacModel(9, 0.25), f.dac());
        Path both = Files.writeString(tmp.resolve("both.json"), "{\"preset\": \"measured-5ns\", \"dac_latency_cycles\": 3}");
        assertEquals(DevicePhysics.MEASURED_5NS, DeviceFile.read(both).physics());
        assertEquals(new DacModel(3, null), DeviceFile.read(both).dac());
        Path none = Files.writeString(tmp.resolve("none.json"), "{\"_note\": \"defaults\"}");
        assertEquals(new DeviceFile(null, DacModel.DEFAULT), DeviceFile.read(none));
        assertThrows(ScnnException.class, () -> DevicePhysics.read(only), "physics asked of a file without any");
        for (String bad : new String[] {"{\"dac_latency_cycles\": 0}", "{\"dac_latency_cycles\": 2.5}", "{\"dac_latency_cycles\": \"9\"}",
                "{\"dac_latency_cycles\": 70000}", "{\"dac_conversion_pj\": -1}", "{\"dac_conversion_pj\": 2e9}", "{\"dac_volts\": 1}"}) {
            Path b = Files.writeString(tmp.resolve("b.json"), bad);
            ScnnException e = assertThrows(ScnnException.class, () -> DeviceFile.read(b), bad);
            assertTrue(e.getMessage().startsWith(b + ": ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
