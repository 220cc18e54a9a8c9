package scnn.sim;

import org.junit.jupiter.api.Test;
import scnn.core.mnist.MnistSet;
import scnn.core.model.Encoding;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hardware's class is the first index of the maximum score, for every output count the
 * argmax tournament handles differently (odd counts carry an element to the next level), ties included.
 */
class ArgmaxTest {
    @Test
    void theClassIsTheFirstMaximumOfTheScoresTiesIncluded() {
        MnistSet set = StatisticsTest.test();
        long ties = 0;
        for (int outs : new int[] {1, 2, 3, 5, 7, 10, 13}) {
            Network net = TestNets.random(40 + outs, 3, 6, outs);
            // a short stream: few distinct scores, so maxima are often shared
            ScDesign sd = ScBuilder.build(net, new ScConfig(2, Encoding.SIGN_MAGNITUDE, 1, 3, SmtjModel.DEFAULT), "t");
            SimResult r = new InferenceRunner(sd).run(set, 128, 2, EnergyModel.DEFAULT, Progress.NONE);
            for (int img = 0; img < r.images; img++) {
                long[] s = r.scores[img];
                assertEquals(outs, s.length);
                int first = 0;
                for (int o = 1; o < outs; o++) if (s[o] > s[first]) first = o;
                for (int o = first + 1; o < outs; o++) if (s[o] == s[first]) ties++;
                assertEquals(first, r.predictions[img], "outputs " + outs + ", image " + img + ": scores " + java.util.Arrays.toString(s));
            }
        }
        assertTrue(ties > 50, "the images must exercise ties of the maximum: " + ties);
    }
}
