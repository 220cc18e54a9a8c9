package scnn.train;

import scnn.core.model.Encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.mnist.MnistSet;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.train.kernel.Workers;

/** Variation-aware training's device model and its use in training and evaluation. */
class ChipNoiseTest {
    static final double[] L5 = Levels.uniform(5);

    @Test
    void offsetsAndFaultsFollowTheirDistribution() {
        int n = 20000;
        double sigma = 0.7, stuck = 0.05;
        ChipNoise c = new ChipNoise(sigma, stuck, Encoding.SIGN_MAGNITUDE, L5, new int[] {n, 10});
        c.draw(3, 4);
        double s = 0, s2 = 0;
        int stuck0 = 0, stuck1 = 0;
        for (int i = 0; i < n; i++) {
            double d = c.inOffset[0][i];
            s += d;
            s2 += d * d;
            if (c.inStuck[0][i] == 0) stuck0++;
            if (c.inStuck[0][i] == 1) stuck1++;
        }
        double mean = s / n, var = s2 / n - mean * mean;
        // mean: sd sigma / sqrt(n); variance: sd sigma^2 sqrt(2 / n); 5 sigma bounds
        assertEquals(0, mean, 5 * sigma / Math.sqrt(n));
        assertEquals(sigma * sigma, var, 5 * sigma * sigma * Math.sqrt(2.0 / n));
        double pf = stuck / 2, sdF = Math.sqrt(n * pf * (1 - pf));
        assertEquals(n * pf, stuck0, 5 * sdF);
        assertEquals(n * pf, stuck1, 5 * sdF);
    }

    @Test
    void devicesEncodeTheVariedProbability() {
        assertEquals(0.5, ChipNoise.device(0.5, 0, (byte) -1));
        assertEquals(1 / (1 + Math.exp(-1.0)), ChipNoise.device(0.5, 1.0, (byte) -1), 1e-12);
        assertEquals(0.0, ChipNoise.device(0.0, 2.0, (byte) -1), "a device biased at p = 0 stays there");
        assertEquals(1.0, ChipNoise.device(1.0, -2.0, (byte) -1));
        assertEquals(1.0, ChipNoise.device(0.25, 0.3, (byte) 1));
        assertEquals(0.0, ChipNoise.device(0.75, 0.3, (byte) 0));
        ChipNoise c = new ChipNoise(1.0, 0, Encoding.SIGN_MAGNITUDE, L5, new int[] {4, 3});
        c.draw(1);
        // levels -1, -0.5, 0, 0.5, 1: the constants stay, +-0.5 share one varied device
        float[] lv = c.level[0];
        assertEquals(-1f, lv[0]);
        assertEquals(0f, lv[2]);
        assertEquals(1f, lv[4]);
        assertEquals(-lv[3], lv[1]);
        assertNotEquals(0.5f, lv[3]);
        // sign-magnitude inputs keep their sign
        float neg = c.input(0, 0, -0.5f), pos = c.input(0, 0, 0.5f);
        assertEquals(-pos, neg);
    }

    @Test
    void pairedIntervalUsesStudentT() {
        assertEquals(2.0930, ChipEvaluation.t975(19), 0.002);
        assertEquals(2.7764, ChipEvaluation.t975(4), 0.01);
        ChipEvaluation.Row r = new ChipEvaluation.Row(1, 0, new double[] {0.90, 0.92, 0.94, 0.93, 0.91}, new double[] {0.91, 0.94, 0.95, 0.93, 0.93});
        assertEquals(0.012, r.diff(), 1e-12);
        assertEquals(4, r.wins(), "a tie is not a win");
        // differences 0.01, 0.02, 0.01, 0, 0.02: sd sqrt(70e-6 / 1); t(4) = 2.776
        assertEquals(2.7764 * Math.sqrt(70e-6) / Math.sqrt(5), r.halfWidth(), 1e-4);
    }

    @Test
    void sweepChipsArePairedByChipSeed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.json");
        StringBuilder pts = new StringBuilder();
        double[][] acc = {{0.90, 0.80, 0.85}, {0.95, 0.96, 0.94}};
        String[] nets = {"a", "b"};
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++) {
                if (pts.length() > 0) pts.append(',');
                // chip seeds listed in another order for b: the pairing is by seed, not by position
                int seed = n == 0 ? c + 1 : 3 - c;
                double v = acc[n][seed - 1];
                pts.append("{\"net\":\"").append(nets[n]).append("\",\"bits\":100,\"variation\":1.0,\"stuck_rate\":0.05,\"chip_seed\":")
                        .append(seed).append(",\"accuracy\":").append(v).append('}');
            }
        pts.append(",{\"net\":\"a\",\"bits\":100,\"accuracy\":0.99}"); // an ideal point: not a chip
        Files.writeString(f, "{\"points\":[" + pts + "]}");
        java.util.List<ChipEvaluation.Row> rows = ChipEvaluation.fromSweep(f, "a", "b");
        assertEquals(1, rows.size());
        ChipEvaluation.Row r = rows.get(0);
        assertArrayEquals(new double[] {0.90, 0.80, 0.85}, r.a());
        assertArrayEquals(new double[] {0.95, 0.96, 0.94}, r.b());
        assertEquals(3, r.wins());
    }

    @Test
    void drawsAreAFunctionOfTheKey() {
        ChipNoise a = new ChipNoise(0.5, 0.1, Encoding.BIPOLAR, L5, new int[] {50, 20, 10});
        ChipNoise b = new ChipNoise(0.5, 0.1, Encoding.BIPOLAR, L5, new int[] {50, 20, 10});
        a.draw(9, 1, 2);
        b.draw(9, 1, 2);
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(a.inOffset[k], b.inOffset[k]);
            assertArrayEquals(a.inStuck[k], b.inStuck[k]);
            assertArrayEquals(a.level[k], b.level[k]);
        }
        b.draw(9, 1, 3);
        assertNotEquals(a.inOffset[0][0], b.inOffset[0][0]);
    }

    @Test
    void idealChipsGiveTheReferenceAccuracyAndFaultsCostAccuracy() throws Exception {
        MnistSet test = TestData.mnist().test();
        Network net = WeightsIO.read(TestData.root().resolve("weights/mnist-1h-L5-sc.json"));
        try (Workers w = new Workers(2)) {
            int exact = new ExactInference(net).correct(test, 0, 2000, w);
            double ideal = ExactInference.chipAccuracy(net, Encoding.SIGN_MAGNITUDE, 0, 0, 1, 2, test, 0, 2000, w, null);
            assertEquals(exact / 2000.0, ideal, 0.0, "no variation, no faults: exactly the reference model");
            double[] per = new double[4];
            double faulty = ExactInference.chipAccuracy(net, Encoding.SIGN_MAGNITUDE, 1.0, 0.1, 1, 4, test, 0, 2000, w, per);
            // 10 % stuck devices: each chip loses clearly more than the binomial noise of 2,000 images (about 0.3 points)
            for (double p : per) assertTrue(p < exact / 2000.0 - 0.01, "chip accuracy " + p + " vs ideal " + exact / 2000.0);
            assertEquals(faulty, java.util.Arrays.stream(per).average().orElseThrow(), 1e-12);
        }
    }

    @Test
    void variationAwareTrainingIsDeterministicAndRecorded(@TempDir Path dir) throws Exception {
        TrainConfig cfg = TrainConfig.of(new int[] {24}, 5).withEpochs(1).withData(500, 1500).withSc(16, Encoding.SIGN_MAGNITUDE)
                .withVariation(0.5, 0.02);
        Path one = dir.resolve("a.json"), two = dir.resolve("b.json");
        TrainJob.run(cfg.withThreads(1), "var", one, TestData.mnist(), "test", null, null);
        TrainJob.run(cfg.withThreads(2), "var", two, TestData.mnist(), "test", null, null);
        Network a = WeightsIO.read(one), b = WeightsIO.read(two);
        assertEquals(a.layers(), b.layers(), "the chips are drawn per mini-batch, not per thread");
        Network ideal = new Trainer(cfg.withVariation(0, 0), null, null).train(TestData.mnist().train(), "var").network();
        assertNotEquals(ideal.layers(), a.layers(), "the chips change what is learned");
        String json = Files.readString(one);
        assertTrue(json.contains("\"test_accuracy_varied_chips\""), json);
        assertTrue(json.contains("\"stuck_rate\" : 0.02"), json);
        assertThrows(IllegalArgumentException.class, () -> cfg.withVariation(-1, 0).validate(60000));
        assertThrows(IllegalArgumentException.class, () -> cfg.withVariation(0, 0.9).validate(60000));
    }
}
