package scnn.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.sim.engine.Compiler;
import scnn.sim.engine.Machine;
import scnn.sim.engine.Program;

/** Statistical properties, with bounds derived from the variance (fixed seeds: deterministic). */
class StatisticsTest {
    static MnistSet test() {
        return MnistFiles.defaultLocation(Path.of(System.getProperty("scnn.root", "..")).toAbsolutePath()).test();
    }

    /** Records the stream bit of device {@code dev} of a source group, every cycle of layer 1, in 64 lanes. */
    private static long[][] stream(ScDesign sd, String bitNode, int dev, int[] pixels) {
        Design d = sd.flat().design();
        Machine m = new Machine(Compiler.compile(d));
        Node pix = d.node(sd.pixelMemory()), k = d.node(sd.inferenceCounter()), start = d.node("start");
        for (int lane = 0; lane < 64; lane++) {
            for (int p = 0; p < 784; p++) m.poke(pix, p, lane, pixels[p]);
            m.poke(k, 0, lane, lane);
        }
        for (int i = 0; i < sd.keyLatency(); i++) m.step(); // the key registers follow the poked counter
        m.set(start, 1);
        m.step();
        m.set(start, 0);
        int n = sd.config().bits();
        long[][] bits = new long[n][];
        Program p = m.program();
        int sig = p.signals(d.node(bitNode))[dev];
        for (int t = 0; t < n; t++) {
            m.eval();
            bits[t] = new long[] {m.word(sig)};
            m.commit();
        }
        return bits;
    }

    private static void checkStream(long[][] bits, double p, double a, String what) {
        int n = bits.length;
        long ones = 0, pairs = 0, both = 0;
        for (int t = 0; t < n; t++) {
            ones += Long.bitCount(bits[t][0]);
            if (t > 0) both += Long.bitCount(bits[t][0] & bits[t - 1][0]);
        }
        double samples = 64.0 * n;
        pairs = 64L * (n - 1);
        double mean = ones / samples;
        // variance of the mean of a two-state Markov chain with lag-1 correlation a
        double se = Math.sqrt(p * (1 - p) / samples * (1 + a) / (1 - a));
        assertEquals(p, mean, 5 * se + 1e-9, what + ": P(1)");
        double lag1 = (both / (double) pairs - mean * mean) / (mean * (1 - mean));
        double seLag = Math.sqrt((1 + a * a) / pairs) * Math.sqrt((1 + a) / (1 - a));
        assertEquals(a, lag1, 5 * seLag, what + ": lag-1 autocorrelation");
    }

    @Test
    void smtjSourcesHaveTheConfiguredProbabilityAndCorrelation() {
        SmtjModel dev = new SmtjModel(10, 10 / Math.log(2), 2.5, 0.5); // a = exp(-T/tau) = 0.5
        double a = 1 - dev.redrawThreshold() / 65536.0;
        assertEquals(0.5, a, 1e-4);
        Network net = TestNets.random(2, 5, 2, 10);
        ScDesign sd = ScBuilder.build(net, new ScConfig(4000, Encoding.SIGN_MAGNITUDE, 1, 9, dev), "t");
        int[] px = new int[784];
        px[0] = 51;   // p = 0.2
        px[1] = 230;  // p = 0.902
        // weight bank of layer 1: device 0 has magnitude 0.5
        checkStream(stream(sd, "l1_wb_sample", 0, px), 0.5, a, "weight stream 0.5");
        checkStream(stream(sd, "l1_in_sample", 0, px), Math.round(51 / 255.0 * 65536) / 65536.0, a, "pixel 51");
        checkStream(stream(sd, "l1_in_sample", 1, px), Math.round(230 / 255.0 * 65536) / 65536.0, a, "pixel 230");
        // and with the default device (a = exp(-5))
        ScDesign sd0 = ScBuilder.build(net, new ScConfig(4000, Encoding.SIGN_MAGNITUDE, 1, 9, SmtjModel.DEFAULT), "t");
        double a0 = 1 - SmtjModel.DEFAULT.redrawThreshold() / 65536.0;
        checkStream(stream(sd0, "l1_in_sample", 0, px), Math.round(51 / 255.0 * 65536) / 65536.0, a0, "default device, pixel 51");
    }

    /**
     * With device physics the correlation depends on the bias: each device shows the lag-1
     * autocorrelation of its own bias bucket, a(p) = exp(-T / tauC(p)) with
     * tauC(p) = tau0 e^Delta sqrt(p (1 - p)), read from the cell's table at p[16:8].
     */
    @Test
    void withDevicePhysicsEachDeviceHasTheCorrelationOfItsBias() {
        scnn.generator.arch.DevicePhysics ph = new scnn.generator.arch.DevicePhysics(Math.log(10), 1.0, 10.0, 2.0);
        SmtjModel dev = SmtjModel.of(ph);
        Network net = TestNets.random(2, 5, 2, 10);
        ScDesign sd = ScBuilder.build(net, new ScConfig(4000, Encoding.SIGN_MAGNITUDE, 1, 9, dev), "t");
        int[] px = new int[784];
        px[0] = 51;   // p = 0.2
        px[1] = 230;  // p = 0.902
        for (int i = 0; i < 2; i++) {
            int p17 = (int) Math.round(px[i] / 255.0 * 65536);
            double centre = (256.0 * (p17 >> 8) + 128) / 65536;
            double a = 1 - ph.redrawThreshold(centre) / 65536.0;
            assertEquals(ph.lag1(centre), a, 1.0 / 65536);
            checkStream(stream(sd, "l1_in_sample", i, px), p17 / 65536.0, a, "physics, pixel " + px[i]);
        }
        double a20 = ph.lag1(0.2), a90 = ph.lag1(0.9);
        org.junit.jupiter.api.Assertions.assertTrue(a20 < ph.lag1(0.5) && a90 < a20, "the correlation falls away from p = 0.5");
        // the default model keeps one constant threshold, and the same netlist as before
        assertEquals(ScBuilder.build(net, new ScConfig(64, Encoding.SIGN_MAGNITUDE, 1, 9, SmtjModel.DEFAULT), "t").design().fingerprint(),
                ScBuilder.build(net, new ScConfig(64, Encoding.SIGN_MAGNITUDE, 1, 9,
                        new SmtjModel(10.0, 2.0, 2.5, 0.5, null)), "t").design().fingerprint());
    }

    /**
     * Analog baseline: every per-synapse s-MTJ fires with its programmed probability t / 2^D (the
     * ones of each synapse over 2,000 cycles x 64 lanes, 5 sigma of the binomial), and the pairs that
     * must be independent are: two synapses of one neuron, and the synapses of one input in two neurons
     * (the sum over all inputs of the joint ones against the sum of p p', 5 sigma).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rotate", "xor"})
    void analogSynapseStreamsHaveTheProgrammedProbability(String rng) {
        Network net = TestNets.analog(5, 127, true, 3, 10);
        int n = 2000;
        ScDesign sd = ScBuilder.build(net, new ScConfig(n, Encoding.SIGN_MAGNITUDE, 1, 9, SmtjModel.DEFAULT)
                .withSynapseRng(scnn.generator.arch.SynapseRng.parse(rng)), "t");
        assertEquals(6, sd.flat().design().params().get("synapse_threshold_bits"));
        Design d = sd.flat().design();
        Machine m = new Machine(Compiler.compile(d));
        Node pix = d.node(sd.pixelMemory()), k = d.node(sd.inferenceCounter()), start = d.node("start");
        for (int lane = 0; lane < 64; lane++) m.poke(k, 0, lane, lane);
        for (int i = 0; i < sd.keyLatency(); i++) m.step(); // the key registers follow the poked counter
        m.set(start, 1);
        m.step();
        m.set(start, 0);
        Program p = m.program();
        int[] sig = p.signals(d.node("l1_syn_w"));
        Layer l1 = net.layers().get(0);
        int in = 784, out = 3;
        long[] ones = new long[in * out];
        // per lane and cycle: S1 = joint ones of the pairs (input i in neurons 0 and 1) summed over i,
        // S2 = joint ones of the pairs (inputs 2o and 2o+1 in neuron o) summed over o; the means are
        // checked with the empirical variance of S (pairs that share a row word under xor are correlated
        // through it, so the binomial variance would be wrong; lanes and cycles are independent samples)
        double[] sum = new double[2], sum2 = new double[2];
        int[] cnt = new int[64];
        for (int t = 0; t < n; t++) {
            m.eval();
            for (int s = 0; s < in * out; s++) ones[s] += Long.bitCount(m.word(sig[s]));
            for (int which = 0; which < 2; which++) {
                java.util.Arrays.fill(cnt, 0);
                int pairs = which == 0 ? in : out;
                for (int q = 0; q < pairs; q++) {
                    long x = which == 0 ? m.word(sig[q]) & m.word(sig[in + q]) : m.word(sig[q * in + 2 * q]) & m.word(sig[q * in + 2 * q + 1]);
                    for (; x != 0; x &= x - 1) cnt[Long.numberOfTrailingZeros(x)]++;
                }
                for (int c : cnt) {
                    sum[which] += c;
                    sum2[which] += (double) c * c;
                }
            }
            m.commit();
        }
        double samples = 64.0 * n;
        double[] prob = new double[in * out];
        int checked = 0;
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++) {
                double q = Math.abs(net.levelValue(l1.code(o, i)));
                prob[o * in + i] = q;
                double se = Math.sqrt(q * (1 - q) / samples);
                assertEquals(q, ones[o * in + i] / samples, 5 * se + 1e-12, rng + ": synapse (" + o + ", " + i + ") P(1)");
                if (q > 0 && q < 1) checked++;
                if (q == 0) assertEquals(0, ones[o * in + i], rng + ": a zero weight has no device (constant 0)");
            }
        assertTrue(checked > 2000, "most synapses are random devices");
        // synapses of one input in neurons 0 and 1, and two synapses of one neuron: independent in both schemes
        double[] expect = new double[2];
        for (int i = 0; i < in; i++) expect[0] += prob[i] * prob[in + i];
        for (int o = 0; o < out; o++) expect[1] += prob[o * in + 2 * o] * prob[o * in + 2 * o + 1];
        String[] what = {"same input, two neurons", "one neuron, two inputs"};
        for (int which = 0; which < 2; which++) {
            double mean = sum[which] / samples, var = sum2[which] / samples - mean * mean;
            assertEquals(expect[which], mean, 5 * Math.sqrt(var / samples) + 1e-12, rng + ": " + what[which] + ": joint P(1, 1) summed over the pairs");
        }
    }

    @Test
    void scDotProductConvergesToTheExactValue() {
        // a single output layer: score_o = acc_o ~ N (z_o + b_o)
        Network rnd = TestNets.random(21, 5, 10);
        Layer l = rnd.layers().get(0);
        Network net = new Network("one", 5, Network.uniformLevels(5), 784, 255.0,
                java.util.List.of(new Layer(784, 10, l.codes(), 1.0, l.biasOrNull(), Activation.ARGMAX)), null);
        MnistSet set = test();
        for (int bits : new int[] {64, 1024}) {
            ScDesign sd = ScBuilder.build(net, new ScConfig(bits, Encoding.SIGN_MAGNITUDE, 1, 5, SmtjModel.DEFAULT), "t");
            SimResult r = new InferenceRunner(sd).run(set, 64, 2, EnergyModel.DEFAULT, Progress.NONE);
            double a = 1 - SmtjModel.DEFAULT.redrawThreshold() / 65536.0;
            double worst = 0;
            for (int img = 0; img < 64; img++) {
                for (int o = 0; o < 10; o++) {
                    double z = 0, varT = 0, dHalf = 0;
                    for (int i = 0; i < 784; i++) {
                        double x = set.pixel(img, i) / 255.0;
                        double v = net.levelValue(l.code(o, i)), m = Math.abs(v);
                        z += v * x;
                        varT += m * x * (1 - x);
                        if (m == 0.5) dHalf += Math.signum(v) * x;
                    }
                    varT += 0.25 * dHalf * dHalf; // the shared 0.5 weight stream
                    double sd1 = Math.sqrt(varT * bits * (1 + a) / (1 - a));
                    double expect = bits * z + Math.round(bits * l.bias(o));
                    // pixel thresholds are round(p 2^16): at most 784 x 2^-17 off per cycle
                    double dev = Math.abs(r.scores[img][o] - expect) - bits * 784 / 131072.0;
                    worst = Math.max(worst, dev / sd1);
                }
            }
            assertTrue(worst < 5.5, "N = " + bits + ": worst deviation " + worst + " sigma over 640 scores");
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        Network net = TestNets.random(4, 11, 12, 10);
        ScDesign sd = ScBuilder.build(net, new ScConfig(12, Encoding.SIGN_MAGNITUDE, 1, 5, SmtjModel.DEFAULT), "t");
        MnistSet set = test();
        InferenceRunner ir = new InferenceRunner(sd);
        SimResult one = ir.run(set, 200, 1, EnergyModel.DEFAULT, Progress.NONE);
        SimResult two = ir.run(set, 200, 2, EnergyModel.DEFAULT, Progress.NONE);
        assertArrayEquals(one.predictions, two.predictions);
        for (int i = 0; i < 200; i++) assertArrayEquals(one.scores[i], two.scores[i]);
        assertEquals(one.netToggles, two.netToggles);
        assertEquals(one.gateToggles, two.gateToggles);
        assertEquals(one.smtjFlips, two.smtjFlips);
        assertEquals(one.energyPj, two.energyPj);
        // and a different seed gives different streams
        ScDesign other = ScBuilder.build(net, new ScConfig(12, Encoding.SIGN_MAGNITUDE, 1, 6, SmtjModel.DEFAULT), "t");
        SimResult o = new InferenceRunner(other).run(set, 200, 2, EnergyModel.DEFAULT, Progress.NONE);
        assertNotEquals(one.smtjFlips, o.smtjFlips);
    }
}
