package scnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;

/** The trainer's level grid is accepted by the strict weights reader for every L. */
class LevelsTest {
    @Test
    void everyOddLevelCountGivesAValidFile() {
        for (int L = 3; L <= 127; L += 2) {
            double[] v = Levels.uniform(L);
            assertEquals(-1.0, v[0]);
            assertEquals(1.0, v[L - 1]);
            assertEquals(0.0, v[(L - 1) / 2]);
            for (int c = 0; c < L; c++) assertEquals(-v[L - 1 - c], v[c], 0.0, "L=" + L + " c=" + c);
            for (int c = 0; c < L; c++) assertEquals(-1 + 2.0 * c / (L - 1), v[c], 1e-15);
            Network n = new Network("l" + L, L, v, 1, 255, List.of(new Layer(1, 2, new byte[2], 1.0, null, Activation.ARGMAX)), null);
            assertEquals(n.layers(), WeightsIO.parse(WeightsIO.toJson(n)).layers(), "L=" + L);
        }
        // the same values as the reference grid where that one is symmetric
        assertEquals(java.util.Arrays.toString(Network.uniformLevels(5)), java.util.Arrays.toString(Levels.uniform(5)));
    }
}
