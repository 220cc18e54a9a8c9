package scnn.core.mnist;

import java.nio.file.Path;
import scnn.core.io.ScnnException;

/**
 * One split of an image data set in memory: {@code size()} greyscale images of
 * {@code rows() x cols()} unsigned bytes and their labels 0..{@code classes()}-1. MNIST and
 * Fashion-MNIST have 28x28 images and 10 classes; a directory of IDX files ({@code --dataset DIR})
 * may have any image size and label count.
 */
public final class MnistSet implements java.io.Serializable {
    /** MNIST's (and Fashion-MNIST's) image shape. */
    public static final int ROWS = 28, COLS = 28, PIXELS = ROWS * COLS;
    /** MNIST's (and Fashion-MNIST's) number of classes. */
    public static final int CLASSES = 10;

    private final int rows, cols, classes;
    private final byte[] pixels;
    private final byte[] labels;

    /** An MNIST-shaped set: 28x28 images, 10 classes. */
    public MnistSet(byte[] pixels, byte[] labels) {
        this(ROWS, COLS, CLASSES, pixels, labels);
    }

    /** A set of {@code rows x cols} images; every label must lie in 0..classes-1. */
    public MnistSet(int rows, int cols, int classes, byte[] pixels, byte[] labels) {
        if (rows < 1 || cols < 1 || classes < 1 || classes > 256) throw new IllegalArgumentException("bad shape " + rows + "x" + cols + ", " + classes + " classes");
        if (pixels.length != (long) labels.length * rows * cols) throw new IllegalArgumentException("pixels/labels length mismatch");
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** Reads and cross-checks an MNIST-shaped images file (28x28) and a labels file (digits 0..9). */
    public static MnistSet read(Path images, Path labels) {
        int[] n = new int[1];
        byte[] px = Idx.readImages(images, ROWS, COLS, n);
        byte[] lb = Idx.readLabels(labels, CLASSES);
        if (lb.length != n[0]) throw new ScnnException(labels + ": has " + lb.length + " labels but " + images + " has " + n[0] + " images");
        return new MnistSet(px, lb);
    }

    /**
     * Reads and cross-checks an images file of any image size and a labels file of any label
     * count (0..255); {@code classes()} is then the largest label + 1.
     */
    public static MnistSet readAny(Path images, Path labels) {
        int[] dims = new int[3];
        byte[] px = Idx.readImages(images, -1, -1, dims);
        byte[] lb = Idx.readLabels(labels, 256);
        if (lb.length != dims[0]) throw new ScnnException(labels + ": has " + lb.length + " labels but " + images + " has " + dims[0] + " images");
        int max = 0;
        for (byte b : lb) max = Math.max(max, b & 0xff);
        return new MnistSet(dims[1], dims[2], max + 1, px, lb);
    }

    public int size() { return labels.length; }
    public int rows() { return rows; }
    public int cols() { return cols; }
    /** Pixels per image, {@code rows() * cols()}. */
    public int imageSize() { return rows * cols; }
    /** Number of classes: labels lie in 0..classes()-1. */
    public int classes() { return classes; }
    public int label(int i) { return labels[i] & 0xff; }
    /** Pixel {@code p} (0..imageSize()-1, row-major) of image {@code i}, 0..255. */
    public int pixel(int i, int p) { return pixels[i * imageSize() + p] & 0xff; }

    /** A copy of image {@code i} as {@code imageSize()} unsigned values. */
    public int[] image(int i) {
        int n = imageSize();
        int[] a = new int[n];
        for (int p = 0; p < n; p++) a[p] = pixels[i * n + p] & 0xff;
        return a;
    }

    /** Raw bytes of all images (shared, do not modify). */
    public byte[] rawPixels() { return pixels; }

    /**
     * Checks that a network with {@code inputs} inputs and {@code outputs} classes can be run on
     * this set: one input per pixel, a class for every label. {@code what} names the data set
     * and {@code net} the network in the message.
     */
    public void requireFits(int inputs, int outputs, String what, String net) {
        if (inputs != imageSize())
            throw new ScnnException(what + ": images have " + rows + "x" + cols + " = " + imageSize() + " pixels, but " + net + " takes " + inputs + " inputs");
        if (classes > outputs)
            throw new ScnnException(what + ": labels go up to " + (classes - 1) + ", but " + net + " has only " + outputs + " classes");
    }

    /** The first {@code k} images. */
    public MnistSet head(int k) {
        if (k >= size()) return this;
        return slice(0, k);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public MnistSet slice(int from, int to) {
        int n = imageSize();
        byte[] px = new byte[(to - from) * n];
        System.arraycopy(pixels, from * n, px, 0, px.length);
        byte[] lb = new byte[to - from];
        System.arraycopy(labels, from, lb, 0, lb.length);
        return new MnistSet(rows, cols, classes, px, lb);
    }
}
