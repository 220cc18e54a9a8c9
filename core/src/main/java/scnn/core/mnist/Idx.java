package scnn.core.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import scnn.core.io.ScnnException;

/**
 * Reader of IDX files (the MNIST container), raw or gzip-compressed. It checks the magic number,
 * the expected rank, the dimensions and that the payload has exactly the announced length.
 */
public final class Idx {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /** Largest number of pixels per image {@link #readImages} accepts from a file of any shape. */
    public static final int MAX_IMAGE_PIXELS = 1 << 16;

    /**
     * Images: returns {@code count x rows x cols} pixels, row-major, one unsigned byte each.
     * {@code rows = cols = -1} accepts any image shape of 1..{@link #MAX_IMAGE_PIXELS} pixels;
     * {@code countOut} receives the count and, when it has room, the rows and the columns.
     */
    public static byte[] readImages(Path file, int rows, int cols, int[] countOut) {
        byte[] b = load(file);
        int magic = header(file, b, 0);
        if (magic != IMAGES_MAGIC)
            throw new ScnnException(file + ": wrong magic number 0x" + Integer.toHexString(magic) + " (an IDX image file has 0x00000803)");
        if (b.length < 16) throw new ScnnException(file + ": truncated IDX header");
        int n = header(file, b, 4), r = header(file, b, 8), c = header(file, b, 12);
        if (rows < 0) {
            if (n < 0 || r < 1 || c < 1 || (long) r * c > MAX_IMAGE_PIXELS)
                throw new ScnnException(file + ": unexpected dimensions " + n + "x" + r + "x" + c + " (expected a non-negative count of images of 1.." + MAX_IMAGE_PIXELS + " pixels)");
        } else if (n < 0 || r != rows || c != cols)
            throw new ScnnException(file + ": unexpected dimensions " + n + "x" + r + "x" + c + " (expected images of " + rows + "x" + cols + ")");
        long expect = 16L + (long) n * r * c;
        if (b.length != expect)
            throw new ScnnException(file + ": " + (b.length < expect ? "truncated" : "has trailing bytes") + ": " + b.length + " bytes, the header announces " + expect);
        countOut[0] = n;
        if (countOut.length >= 3) {
            countOut[1] = r;
            countOut[2] = c;
        }
        byte[] px = new byte[n * r * c];
        System.arraycopy(b, 16, px, 0, px.length);
        return px;
    }

    /** Labels: one byte each, each checked to be 0..9. */
    public static byte[] readLabels(Path file) {
        return readLabels(file, 10);
    }

    /** Labels: one byte each, each checked to be below {@code classes} (10: a digit 0..9; 256: any byte). */
    public static byte[] readLabels(Path file, int classes) {
        byte[] b = load(file);
        int magic = header(file, b, 0);
        if (magic != LABELS_MAGIC)
            throw new ScnnException(file + ": wrong magic number 0x" + Integer.toHexString(magic) + " (an IDX label file has 0x00000801)");
        if (b.length < 8) throw new ScnnException(file + ": truncated IDX header");
        int n = header(file, b, 4);
        if (n < 0) throw new ScnnException(file + ": the IDX header announces a negative count " + n);
        long expect = 8L + n;
        if (b.length != expect)
            throw new ScnnException(file + ": " + (b.length < expect ? "truncated" : "has trailing bytes") + ": " + b.length + " bytes, the header announces " + expect);
        byte[] labels = new byte[n];
        System.arraycopy(b, 8, labels, 0, n);
        for (int i = 0; i < n; i++)
            if ((labels[i] & 0xff) >= classes)
                throw new ScnnException(file + ": label " + i + " is " + (labels[i] & 0xff) + (classes == 10 ? ", not a digit 0..9" : ", not a class 0.." + (classes - 1)));
        return labels;
    }

    private static int header(Path file, byte[] b, int off) {
        if (b.length < off + 4) throw new ScnnException(file + ": truncated IDX header (" + b.length + " bytes)");
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static byte[] load(Path file) {
        scnn.core.io.InputFiles.check(file, scnn.core.io.InputFiles.MAX_BYTES);
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] all = scnn.core.io.InputFiles.readBytes(file);
            if (all.length >= 2 && (all[0] & 0xff) == 0x1f && (all[1] & 0xff) == 0x8b) {
                try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(all))) {
                    // bounded: a small gzip file must not inflate past the input limit
                    byte[] out = gz.readNBytes((int) scnn.core.io.InputFiles.MAX_BYTES + 1);
                    if (out.length > scnn.core.io.InputFiles.MAX_BYTES)
                        throw new ScnnException(file + ": inflates to more than 1 GiB, the most scnn reads");
                    return out;
                } catch (IOException e) {
                    throw new ScnnException(file + ": broken gzip data (" + e.getMessage() + ")");
                }
            }
            return all;
        } catch (NoSuchFileException e) {
            throw new ScnnException(file + ": no such file");
        } catch (IOException e) {
            throw new ScnnException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
