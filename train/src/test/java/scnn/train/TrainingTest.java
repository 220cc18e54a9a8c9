package scnn.train;

import scnn.core.model.Encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.model.ReferenceModel;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;

/** Short real-MNIST trainings: learning happens, and results are reproducible across thread counts. */
class TrainingTest {
    static MnistSet train;
    static MnistSet test;

    @BeforeAll
    static void load() {
        MnistFiles f = TestData.mnist();
        train = f.train();
        test = f.test().head(2000);
    }

    @Test
    void oneEpochOnFiveThousandImagesLearns() {
        TrainConfig cfg = TrainConfig.of(new int[] {64}, 5).withEpochs(1).withData(1000, 5000);
        Trainer.Result r = new Trainer(cfg, null, null).train(train, "smoke");
        double acc = new ReferenceModel(r.network()).evaluate(test, test.size()).accuracy();
        assertTrue(acc > 0.80, "test accuracy after 1 epoch on 5,000 images: " + acc);
        assertTrue(r.validationAccuracy() > 0.80, "validation accuracy " + r.validationAccuracy());
        assertEquals(64 * 784 + 10 * 64, r.network().synapses());
    }

    @Test
    void scTrainingLearnsToo() {
        TrainConfig cfg = TrainConfig.of(new int[] {32, 32}, 11).withEpochs(1).withData(1000, 4000).withSc(16, Encoding.SIGN_MAGNITUDE);
        Trainer.Result r = new Trainer(cfg, null, null).train(train, "smoke-sc");
        double acc = new ReferenceModel(r.network()).evaluate(test, test.size()).accuracy();
        assertTrue(acc > 0.60, "test accuracy after SC training: " + acc);
    }

    @Test
    void sameSeedGivesIdenticalFilesForAnyThreadCount(@TempDir Path dir) throws Exception {
        TrainConfig base = TrainConfig.of(new int[] {24, 16}, 11).withEpochs(2).withData(500, 1500).withSc(8, Encoding.SIGN_MAGNITUDE);
        String[] json = new String[2];
        int[] threads = {1, 2};
        MnistFiles files = TestData.mnist();
        for (int t = 0; t < 2; t++) {
            Path out = dir.resolve("n" + t + ".json");
            TrainJob.run(base.withThreads(threads[t]), "det", out, files, "test", null, null);
            ObjectNode root = (ObjectNode) WeightsIO.mapper().readTree(Files.readAllBytes(out));
            ObjectNode prov = (ObjectNode) root.get("provenance");
            assertEquals(threads[t], prov.get("threads").asInt());
            prov.remove("training_time_s");
            prov.remove("threads");
            json[t] = root.toString();
        }
        assertEquals(json[0], json[1], "1 vs 2 threads: identical files apart from training_time_s and threads");
        Network first = WeightsIO.read(dir.resolve("n0.json"));
        // 3 threads (uneven split of every range) gives the same network too
        Network three = new Trainer(base.withThreads(3), null, null).train(train, "det").network();
        assertEquals(first.layers(), three.layers(), "1 vs 3 threads");
        // a different seed gives a different network (the comparisons above are not vacuous)
        Network other = new Trainer(base.withSeed(2), null, null).train(train, "det").network();
        assertNotEquals(first.layers(), other.layers());
    }

    /**
     * The analog baseline (--activation smtj-sigmoid): the file has s-MTJ sigmoid hidden layers on the
     * 127-level dyadic grid, ExactInference agrees with the reference model, and it learns.
     */
    @Test
    void analogBaselineTrainingLearns(@TempDir Path dir) throws Exception {
        TrainConfig cfg = TrainConfig.of(new int[] {32}, 127).withEpochs(2).withData(1000, 4000).withScaleTarget(2).withAnalog(true);
        Path out = dir.resolve("analog.json");
        TrainJob.Outcome o = TrainJob.run(cfg, "smoke-analog", out, TestData.mnist(), "test", null, null);
        Network n = WeightsIO.read(out);
        assertEquals(scnn.core.weights.Activation.SMTJ_SIGMOID, n.layers().get(0).activation());
        assertEquals(127, n.levels());
        assertEquals(-63 / 64.0, n.levelValue(0));
        assertEquals(1 / 64.0, n.levelValue(64));
        assertEquals("smtj-sigmoid", n.provenance().get("activation").asText());
        var e = new ReferenceModel(n).evaluate(test, test.size());
        assertTrue(e.accuracy() > 0.80, "test accuracy after 2 epochs on 4,000 images: " + e.accuracy());
        try (scnn.train.kernel.Workers w = new scnn.train.kernel.Workers(2)) {
            assertEquals(e.correct(), new ExactInference(n).correct(test, 0, test.size(), w));
        }
        // the grid needs L + 1 a power of two, and SC noise does not apply
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.of(new int[] {8}, 11).withAnalog(true).validate(60000)).getMessage().contains("L + 1 a power of two"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.of(new int[] {8}, 127).withAnalog(true).withSc(16, Encoding.SIGN_MAGNITUDE).validate(60000));
    }
}
