package scnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import scnn.core.mnist.MnistSet;

/** The shift augmentation moves the image and fills the uncovered border with 0. */
class ShiftTest {
    @Test
    void shiftMovesPixels() {
        byte[] px = new byte[2 * MnistSet.PIXELS];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (1 + i % 250);
        MnistSet set = new MnistSet(px, new byte[] {3, 4});
        float[] x = new float[MnistSet.PIXELS];
        for (int dx = -2; dx <= 2; dx++) for (int dy = -2; dy <= 2; dy++) {
            Engine.loadShifted(set, 1, x, 0, dx, dy);
            for (int y = 0; y < 28; y++) for (int c = 0; c < 28; c++) {
                int sy = y - dy, sc = c - dx;
                float expect = sy >= 0 && sy < 28 && sc >= 0 && sc < 28 ? set.pixel(1, sy * 28 + sc) / 255f : 0f;
                assertEquals(expect, x[y * 28 + c], 0f, "dx " + dx + " dy " + dy + " at " + y + "," + c);
            }
        }
        // shift 0 is the plain image; a shifted load is keyed by (seed, epoch, image) and differs from it
        QatModel m = new QatModel(new int[] {784, 2}, 3, 1, 1.0);
        Engine e = new Engine(m, 2);
        e.load(set, new int[] {1, 1}, 0, 2, 0, 0, 0);
        float[] plain = java.util.Arrays.copyOf(e.act[0], 784);
        for (int i = 0; i < 784; i++) assertEquals(set.pixel(1, i) / 255f, plain[i], 0f);
        boolean differs = false;
        for (long epoch = 1; epoch <= 5 && !differs; epoch++) {
            e.load(set, new int[] {1, 1}, 0, 1, 1, 7, epoch);
            differs = !java.util.Arrays.equals(plain, java.util.Arrays.copyOf(e.act[0], 784));
        }
        assertNotEquals(false, differs);
    }
}
