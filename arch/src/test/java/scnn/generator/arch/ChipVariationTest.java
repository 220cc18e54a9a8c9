package scnn.generator.arch;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.ir.Design;
import scnn.ir.Node;

/**
 * The chip model: per-device offsets and faults against their distribution (5 sigma), read back
 * from the generated netlist's constants (the tables and the weight-level thresholds), and the
 * determinism and the unchanged default.
 */
class ChipVariationTest {
    static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    @Test
    void offsetsAndFaultsFollowTheirDistribution() {
        double sigma = 0.4, rate = 0.03;
        ChipVariation c = new ChipVariation(sigma, rate, 11);
        int n = 200_000;
        double sum = 0, sq = 0, q4 = 0;
        long stuck = 0, stuck1 = 0, working = 0, tail = 0;
        for (long i = 0; i < n; i++) {
            int s = c.stuck(i);
            if (s >= 0) {
                stuck++;
                stuck1 += s;
                continue;
            }
            double x = c.offset(i);
            assertEquals(0, Math.abs(x * ChipVariation.STEPS / sigma - Math.rint(x * ChipVariation.STEPS / sigma)), 1e-9, "offsets are steps of sigma / 16");
            sum += x;
            sq += x * x;
            q4 += x * x * x * x;
            if (Math.abs(x) > 2 * sigma) tail++;
            working++;
        }
        double mean = sum / working, var = sq / working - mean * mean;
        // quantization to sigma / 16 adds sigma^2 / 3072 to the variance
        double expVar = sigma * sigma * (1 + 1.0 / (12 * 256));
        assertEquals(0, mean, 5 * sigma / Math.sqrt(working), "mean offset");
        double varSe = Math.sqrt((q4 / working - var * var) / working);
        assertEquals(expVar, var, 5 * varSe, "offset variance");
        // the tails are Gaussian too: |x| > 2 sigma means |round(16 z)| >= 33, i.e. |z| >= 32.5 / 16
        double pt = erfc(32.5 / 16 / Math.sqrt(2));
        assertEquals(pt, (double) tail / working, 5 * Math.sqrt(pt * (1 - pt) / working), "two-sigma tail");
        assertEquals(rate, (double) stuck / n, 5 * Math.sqrt(rate * (1 - rate) / n), "stuck fraction");
        assertEquals(0.5, (double) stuck1 / stuck, 5 * Math.sqrt(0.25 / stuck), "half stuck at 1");
    }

    /** erfc (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    @Test
    void thresholdsOfAVariedDevice() {
        assertEquals(0, ChipVariation.threshold(40000, 0.7, 0));
        assertEquals(65536, ChipVariation.threshold(1000, -0.7, 1));
        assertEquals(0, ChipVariation.threshold(0, 2.0, -1), "a saturated bias stays saturated");
        assertEquals(65536, ChipVariation.threshold(65536, -2.0, -1));
        assertEquals(32768, ChipVariation.threshold(32768, 0, -1));
        int t = ChipVariation.threshold(32768, 1.0, -1);
        assertEquals(Math.round(65536 / (1 + Math.exp(-1.0))), t);
    }

    /** The netlist's per-device constants are the chip's: the pixel and hidden tables and the weight-level thresholds. */
    @Test
    void theNetlistCarriesEachDevicesParameters() {
        Network net = ScBuilderTest.random(3, 11, 200, 10);
        double sigma = 0.5, rate = 0.05;
        ChipVariation chip = new ChipVariation(sigma, rate, 4);
        ScDesign sd = ScBuilder.build(net, ScConfig.of(16).withChip(chip), "t");
        Design d = sd.flat().design(); // the layers are modules: their nodes by flat name
        // pixel devices 0..783 (the builder's first devices): table [class][pixel]
        Node rom = d.node("l1_in_chip_rom"), cls = d.node("l1_in_chip_class");
        assertNotNull(rom);
        assertNotNull(cls);
        double sum = 0, sq = 0;
        int working = 0, stuck = 0;
        for (int j = 0; j < 784; j++) {
            int k = (int) cls.data(j).low();
            int at128 = (int) rom.data(k * 256 + 128).low(), nominal = 128 * 257 + 1;
            int s = chip.stuck(j);
            if (s >= 0) {
                stuck++;
                assertEquals(s == 0 ? 0 : 65536, at128, "pixel device " + j + " stuck at " + s);
                assertEquals(s == 0 ? 0 : 65536, (int) rom.data(k * 256).low());
                continue;
            }
            assertEquals(0, (int) rom.data(k * 256).low(), "pixel 0 is a saturated bias");
            assertEquals(65536, (int) rom.data(k * 256 + 255).low(), "pixel 255 is a saturated bias");
            double delta = logit(at128 / 65536.0) - logit(nominal / 65536.0);
            assertEquals(chip.offset(j), delta, 1e-3, "device " + j);
            sum += delta;
            sq += delta * delta;
            working++;
        }
        double mean = sum / working, var = sq / working - mean * mean;
        assertEquals(0, mean, 5 * sigma / Math.sqrt(working));
        assertEquals(sigma * sigma, var, 5 * sigma * sigma * Math.sqrt(2.0 / working));
        assertEquals(rate * 784, stuck, 5 * Math.sqrt(784 * rate * (1 - rate)));
        // layer 1's weight-level devices come right after the 784 pixel devices: constant varied thresholds
        Node wb = d.node("l1_wb_p");
        double[] mags = {0.2, 0.4, 0.6, 0.8};
        for (int j = 0; j < mags.length; j++) {
            int nominal = SmtjModel.threshold(mags[j]);
            assertEquals(chip.threshold(784 + j, nominal), (int) wb.data(j).low(), "weight-level device " + j);
        }
        ChipVariation.Report.Group g = sd.chip().groups().stream().filter(x -> x.group().equals("l1_wb")).findFirst().orElseThrow();
        assertEquals(4, g.devices());
        assertEquals(784, g.firstDevice());
        // the hidden-neuron devices of layer 2: table [class][code], 11 codes
        Node hrom = d.node("l2_in_chip_rom"), hcls = d.node("l2_in_chip_class");
        long first = 784 + 4;
        for (int j = 0; j < 200; j++) {
            int k = (int) hcls.data(j).low();
            for (int code = 0; code < 11; code++) {
                int nominal = SmtjModel.threshold(Math.abs(net.hiddenValues(0)[code]));
                assertEquals(chip.threshold(first + j, nominal), (int) hrom.data(k * 16 + code).low(), "hidden device " + j + " code " + code);
            }
        }
    }

    /** A signed constant of a node's element. */
    private static long signed(Node n, int j) {
        int w = n.width();
        return (n.data(j).low() << (64 - w)) >> (64 - w);
    }

    /**
     * The analog baseline on a varied chip: every per-synapse device's threshold (read back from the
     * 16 comparison planes) is the chip's; the DAC-biased output devices read the DAC table at
     * acc + s_j with s_j = round(sigma z_j N / g) (their offset quantized to one DAC count); stuck
     * devices are forced; the offsets read back follow N(0, sigma^2) within 5 sigma; the ideal chip is
     * today's netlist.
     */
    @Test
    void theAnalogBaselinesNetlistCarriesEachDevicesParameters() {
        Network net = ScBuilderTest.analog(7, 300, 10);
        int bits = 16;
        assertEquals(ScBuilder.build(net, ScConfig.of(bits), "t").design().fingerprint(),
                ScBuilder.build(net, ScConfig.of(bits).withChip(new ChipVariation(0, 0, 77)), "t").design().fingerprint());
        double sigma = 0.5, rate = 0.05;
        ChipVariation chip = new ChipVariation(sigma, rate, 4);
        ScDesign sd = ScBuilder.build(net, ScConfig.of(bits).withChip(chip), "t");
        Design d = sd.flat().design();
        java.util.Map<String, ChipVariation.Report.Group> groups = new java.util.HashMap<>();
        for (ChipVariation.Report.Group g : sd.chip().groups()) groups.put(g.group(), g);
        assertEquals(java.util.Set.of("l1_in", "l1_syn", "l2_in", "l2_syn"), groups.keySet());
        assertNotNull(d.node("l1_in_chip_rom"), "pixel devices: the quantized design's table");
        // layer 1's synapse devices: chip indices of their own, k-th device in (neuron, input) order
        Layer L = net.layers().get(0);
        Node[] nt = new Node[16];
        for (int b = 0; b < 16; b++) nt[b] = d.node("l1_syn_nt" + b);
        Node nz = d.node("l1_syn_nz");
        assertNull(d.node("l1_syn_nt16"), "16-bit thresholds");
        long first = groups.get("l1_syn").firstDevice(), k = 0;
        assertEquals(BuildContext.CHIP_ONLY_INDICES, first);
        double sum = 0, sq = 0;
        long working = 0, stuck = 0;
        for (int o = 0; o < L.outputs(); o++)
            for (int i = 0; i < L.inputs(); i++) {
                double v = Math.abs(net.levelValue(L.code(o, i)));
                int comp = 0;
                for (int b = 0; b < 16; b++) if (!nt[b].data(o).bit(i)) comp |= 1 << b;
                boolean fires = nz.data(o).bit(i);
                int t = !fires ? 0 : comp == 0 ? 65536 : 65536 - comp;
                if (v == 0 || v == 1) {
                    assertEquals(v == 0 ? 0 : 65536, t, "no device: constant");
                    continue;
                }
                long idx = first + k++;
                int nominal = SmtjModel.threshold(v);
                assertEquals(chip.threshold(idx, nominal), t, "synapse (" + o + ", " + i + ")");
                if (chip.stuck(idx) >= 0) {
                    stuck++;
                    continue;
                }
                double delta = logit(t / 65536.0) - logit(nominal / 65536.0);
                sum += delta;
                sq += delta * delta;
                working++;
            }
        assertEquals(groups.get("l1_syn").devices(), k);
        double mean = sum / working, var = sq / working - mean * mean;
        assertEquals(0, mean, 5 * sigma / Math.sqrt(working), "synapse offsets: mean");
        assertEquals(sigma * sigma, var, 5 * sigma * sigma * Math.sqrt(2.0 / working) + sigma * sigma / 3072, "synapse offsets: variance");
        assertEquals(rate * k, stuck, 5 * Math.sqrt(k * rate * (1 - rate)), "stuck synapse devices");
        // layer 2's input devices: one per hidden neuron, DAC-biased, the table read at acc - (lo - s_j)
        long dfirst = groups.get("l2_in").firstDevice();
        double g = L.scale();
        Node lo = d.node("l2_in_dac_lo"), live = d.node("l2_in_chip_live"), force = d.node("l2_in_chip_force");
        assertNotNull(live);
        Long base = null;
        sum = 0;
        sq = 0;
        working = 0;
        stuck = 0;
        for (int j = 0; j < 300; j++) {
            int st = chip.stuck(dfirst + j);
            long s = st >= 0 ? 0 : Math.round(sigma * chip.normal(dfirst + j) * bits / g);
            long b = signed(lo, j) + s;
            if (base == null) base = b;
            assertEquals(base, b, "device " + j + ": the table's start minus its shift");
            assertEquals(st >= 0 ? 0 : 0x1ffff, live.data(j).low(), "device " + j + " live");
            assertEquals(st == 1 ? 65536 : 0, force.data(j).low(), "device " + j + " forced");
            if (st >= 0) {
                stuck++;
                continue;
            }
            double delta = s * g / bits;
            sum += delta;
            sq += delta * delta;
            working++;
        }
        mean = sum / working;
        var = sq / working - mean * mean;
        double step = g / bits;
        assertEquals(0, mean, 5 * sigma / Math.sqrt(working), "DAC device offsets: mean");
        assertEquals(sigma * sigma + step * step / 12, var, 5 * sigma * sigma * Math.sqrt(2.0 / working), "DAC device offsets: variance");
        assertEquals(rate * 300, stuck, 5 * Math.sqrt(300 * rate * (1 - rate)));
        assertEquals(stuck, groups.get("l2_in").stuckAt0().size() + groups.get("l2_in").stuckAt1().size());
    }

    @Test
    void chipsAreDeterministicAndTheIdealChipIsTodaysDesign() {
        Network net = ScBuilderTest.random(5, 5, 20, 10);
        String ideal = ScBuilder.build(net, ScConfig.of(8), "t").design().fingerprint();
        assertEquals(ideal, ScBuilder.build(net, ScConfig.of(8).withChip(new ChipVariation(0, 0, 77)), "t").design().fingerprint(),
                "no variation and no faults: the netlist of today, whatever the chip seed");
        String a = ScBuilder.build(net, ScConfig.of(8).withChip(new ChipVariation(0.3, 0.01, 2)), "t").design().fingerprint();
        assertEquals(a, ScBuilder.build(net, ScConfig.of(8).withChip(new ChipVariation(0.3, 0.01, 2)), "t").design().fingerprint());
        assertNotEquals(a, ScBuilder.build(net, ScConfig.of(8).withChip(new ChipVariation(0.3, 0.01, 3)), "t").design().fingerprint());
        assertNotEquals(ideal, a);
        // the chip does not depend on SEED (the streams): same offsets with another --seed
        ScDesign s1 = ScBuilder.build(net, ScConfig.of(8).withSeed(9).withChip(new ChipVariation(0.3, 0.01, 2)), "t");
        ScDesign s2 = ScBuilder.build(net, ScConfig.of(8).withChip(new ChipVariation(0.3, 0.01, 2)), "t");
        assertEquals(s1.chip().groups().toString().replaceAll("\\[I@[0-9a-f]+", ""), s2.chip().groups().toString().replaceAll("\\[I@[0-9a-f]+", ""));
        assertThrows(IllegalArgumentException.class, () -> new ChipVariation(-1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ChipVariation(0, 1.5, 1));
    }
}
