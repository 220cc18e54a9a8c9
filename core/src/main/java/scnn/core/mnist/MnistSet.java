package scnn.core.mnist;

import java.nio.file.Path;
import scnn.core.io.ScnnException;

/** One split of MNIST in memory: {@code size()} images of 28x28 unsigned bytes and their labels. */
public final class MnistSet implements java.io.Serializable {
    public static final int ROWS = 28, COLS = 28, PIXELS = ROWS * COLS;

    private final byte[] pixels;
    private final byte[] labels;

    public MnistSet(byte[] pixels, byte[] labels) {
        if (pixels.length != labels.length * PIXELS) throw new IllegalArgumentException("pixels/labels length mismatch");
        this.pixels = pixels;
        this.labels = labels;
    }

    /** Reads and cross-checks an images file and a labels file. */
    public static MnistSet read(Path images, Path labels) {
        int[] n = new int[1];
        byte[] px = Idx.readImages(images, ROWS, COLS, n);
        byte[] lb = Idx.readLabels(labels);
        if (lb.length != n[0]) throw new ScnnException(labels + ": has " + lb.length + " labels but " + images + " has " + n[0] + " images");
        return new MnistSet(px, lb);
    }

    public int size() { return labels.length; }
    public int label(int i) { return labels[i]; }
    /** Pixel {@code p} (0..783, row-major) of image {@code i}, 0..255. */
    public int pixel(int i, int p) { return pixels[i * PIXELS + p] & 0xff; }

    /** A copy of image {@code i} as 784 unsigned values. */
    public int[] image(int i) {
        int[] a = new int[PIXELS];
        for (int p = 0; p < PIXELS; p++) a[p] = pixels[i * PIXELS + p] & 0xff;
        return a;
    }

    /** Raw bytes of all images (shared, do not modify). */
    public byte[] rawPixels() { return pixels; }

    /** The first {@code k} images. */
    public MnistSet head(int k) {
        if (k >= size()) return this;
        byte[] px = new byte[k * PIXELS];
        System.arraycopy(pixels, 0, px, 0, px.length);
        byte[] lb = new byte[k];
        System.arraycopy(labels, 0, lb, 0, k);
        return new MnistSet(px, lb);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public MnistSet slice(int from, int to) {
        byte[] px = new byte[(to - from) * PIXELS];
        System.arraycopy(pixels, from * PIXELS, px, 0, px.length);
        byte[] lb = new byte[to - from];
        System.arraycopy(labels, from, lb, 0, lb.length);
        return new MnistSet(px, lb);
    }
}
