package scnn.core.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static scnn.core.TestSupport.assertMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.TestSupport;
import scnn.core.io.ScnnException;

/** The IDX reader on the real MNIST files and on every kind of damaged file. */
class IdxTest {
    static Path mnist;
    static Path testImages, testLabels, trainImages, trainLabels;

    @TempDir Path tmp;

    @BeforeAll
    static void locate() {
        mnist = TestSupport.realMnist().dir();
        testImages = mnist.resolve("t10k-images-idx3-ubyte");
        testLabels = mnist.resolve("t10k-labels-idx1-ubyte");
        trainImages = mnist.resolve("train-images-idx3-ubyte");
        trainLabels = mnist.resolve("train-labels-idx1-ubyte");
    }

    // ---- the real files ----------------------------------------------------------------

    @Test
    void readsTheRealTestSet() {
        MnistSet s = MnistSet.read(testImages, testLabels);
        assertEquals(10_000, s.size());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4}, firstLabels(s, 5));
        int[] img = s.image(0);
        assertEquals(784, img.length);
        assertEquals(18454, Arrays.stream(img).sum(), "sum of the pixels of the first test image");
        assertEquals(84, s.pixel(0, 202), "first non-zero pixel of the first test image (row 7, column 6)");
        assertEquals(0, s.pixel(0, 0));
        assertEquals(255, Arrays.stream(img).max().getAsInt());
    }

    @Test
    void readsTheRealTrainingSet() {
        int[] n = new int[1];
        byte[] px = Idx.readImages(trainImages, 28, 28, n);
        assertEquals(60_000, n[0]);
        assertEquals(60_000L * 28 * 28, px.length);
        byte[] labels = Idx.readLabels(trainLabels);
        assertEquals(60_000, labels.length);
        assertArrayEquals(new byte[] {5, 0, 4, 1, 9}, Arrays.copyOf(labels, 5));
        int sum = 0;
        for (int p = 0; p < 784; p++) sum += px[p] & 0xff;
        assertEquals(27525, sum, "sum of the pixels of the first training image");
    }

    @Test
    void gzipInputGivesTheSameData() throws IOException {
        Path gi = gzip(testImages, tmp.resolve("t10k-images-idx3-ubyte.gz"));
        Path gl = gzip(testLabels, tmp.resolve("t10k-labels-idx1-ubyte.gz"));
        MnistSet raw = MnistSet.read(testImages, testLabels);
        MnistSet gz = MnistSet.read(gi, gl);
        assertEquals(raw.size(), gz.size());
        assertArrayEquals(raw.rawPixels(), gz.rawPixels());
        for (int i = 0; i < raw.size(); i++) assertEquals(raw.label(i), gz.label(i));
    }

    // ---- damaged real files --------------------------------------------------------------

    @Test
    void imagesCutMidHeader() throws IOException {
        Path f = prefix(testImages, 10);
        assertMessage(assertThrows(ScnnException.class, () -> readImages(f)), f, "truncated IDX header");
        Path g = prefix(testImages, 2);
        assertMessage(assertThrows(ScnnException.class, () -> readImages(g)), g, "truncated IDX header (2 bytes)");
    }

    @Test
    void labelsCutMidHeader() throws IOException {
        Path f = prefix(testLabels, 6);
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "truncated IDX header");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = Files.write(tmp.resolve("empty"), new byte[0]);
        assertMessage(assertThrows(ScnnException.class, () -> readImages(f)), f, "truncated IDX header (0 bytes)");
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "truncated IDX header (0 bytes)");
    }

    @Test
    void imagesCutMidPayload() throws IOException {
        int len = 16 + 784 * 5 + 100;
        Path f = prefix(testImages, len);
        ScnnException e = assertThrows(ScnnException.class, () -> readImages(f));
        assertMessage(e, f, "truncated: " + len + " bytes, the header announces 7840016");
    }

    @Test
    void labelsCutMidPayload() throws IOException {
        Path f = prefix(testLabels, 5000);
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "truncated: 5000 bytes, the header announces 10008");
    }

    @Test
    void trailingBytes() throws IOException {
        Path f = tmp.resolve("labels-plus");
        Files.write(f, concat(Files.readAllBytes(testLabels), new byte[] {1, 2, 3}));
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "has trailing bytes: 10011 bytes, the header announces 10008");
        Path g = tmp.resolve("images-plus");
        Files.write(g, concat(images(2, 28, 28), new byte[] {0}));
        assertMessage(assertThrows(ScnnException.class, () -> readImages(g)), g, "has trailing bytes");
    }

    @Test
    void imagesFilePassedAsLabels() {
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(testImages)), testImages,
                "wrong magic number 0x803 (an IDX label file has 0x00000801)");
    }

    @Test
    void labelsFilePassedAsImages() {
        assertMessage(assertThrows(ScnnException.class, () -> readImages(testLabels)), testLabels,
                "wrong magic number 0x801 (an IDX image file has 0x00000803)");
    }

    @Test
    void setWithSwappedFiles() {
        // MnistSet.read(labels, images): the first file is checked first and named.
        assertMessage(assertThrows(ScnnException.class, () -> MnistSet.read(testLabels, testImages)), testLabels, "wrong magic number");
    }

    // ---- synthetic damaged files ---------------------------------------------------------

    @Test
    void wrongDimensions() throws IOException {
        Path f = Files.write(tmp.resolve("27x28"), images(2, 27, 28));
        assertMessage(assertThrows(ScnnException.class, () -> readImages(f)), f, "unexpected dimensions 2x27x28 (expected images of 28x28)");
        Path g = Files.write(tmp.resolve("28x29"), images(1, 28, 29));
        assertMessage(assertThrows(ScnnException.class, () -> readImages(g)), g, "unexpected dimensions 1x28x29");
    }

    @Test
    void negativeImageCount() throws IOException {
        byte[] b = images(0, 28, 28);
        ByteBuffer.wrap(b).putInt(4, -1);
        Path f = Files.write(tmp.resolve("neg"), b);
        assertMessage(assertThrows(ScnnException.class, () -> readImages(f)), f, "unexpected dimensions -1x28x28");
    }

    @Test
    void negativeLabelCount() throws IOException {
        byte[] b = labels(1, 2, 3);
        ByteBuffer.wrap(b).putInt(4, -5);
        Path f = Files.write(tmp.resolve("neg"), b);
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "negative count -5");
    }

    @Test
    void labelAboveNine() throws IOException {
        Path f = Files.write(tmp.resolve("ten"), labels(3, 9, 10, 0));
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "label 2 is 10, not a digit 0..9");
    }

    @Test
    void labelAbove127IsReportedUnsigned() throws IOException {
        Path f = Files.write(tmp.resolve("200"), labels(1, (byte) 200));
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "label 1 is 200, not a digit 0..9");
    }

    @Test
    void imageLabelCountMismatch() throws IOException {
        Path im = Files.write(tmp.resolve("images"), images(3, 28, 28));
        Path lb = Files.write(tmp.resolve("labels"), labels(1, 2));
        ScnnException e = assertThrows(ScnnException.class, () -> MnistSet.read(im, lb));
        assertMessage(e, lb, "has 2 labels but " + im + " has 3 images");
    }

    @Test
    void smallValidSynthetic() throws IOException {
        byte[] b = images(2, 28, 28);
        b[16 + 784 + 5] = (byte) 255;
        Path im = Files.write(tmp.resolve("images"), b);
        Path lb = Files.write(tmp.resolve("labels"), labels(9, 0));
        MnistSet s = MnistSet.read(im, lb);
        assertEquals(2, s.size());
        assertEquals(9, s.label(0));
        assertEquals(255, s.pixel(1, 5), "pixels are unsigned");
        assertEquals(1, s.head(1).size());
        assertEquals(255, s.slice(1, 2).pixel(0, 5));
    }

    @Test
    void missingFile() {
        Path f = tmp.resolve("nope-idx3-ubyte");
        assertMessage(assertThrows(ScnnException.class, () -> readImages(f)), f, "no such file");
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "no such file");
        assertMessage(assertThrows(ScnnException.class, () -> MnistSet.read(f, testLabels)), f, "no such file");
    }

    @Test
    void directoryInsteadOfFile() {
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(tmp)), tmp, "is a directory, expected a file");
    }

    @Test
    void truncatedGzip() throws IOException {
        byte[] gz = gzipBytes(Files.readAllBytes(testLabels));
        Path f = Files.write(tmp.resolve("labels.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "broken gzip data");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] gz = gzipBytes(Files.readAllBytes(testLabels));
        for (int i = 20; i < gz.length - 20; i += 7) gz[i] ^= 0x5a;
        Path f = Files.write(tmp.resolve("labels.gz"), gz);
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "broken gzip data");
        // the gzip magic number followed by garbage
        Path g = Files.write(tmp.resolve("garbage.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        assertMessage(assertThrows(ScnnException.class, () -> readImages(g)), g, "broken gzip data");
    }

    @Test
    void gzipOfDamagedContentIsCheckedToo() throws IOException {
        Path f = Files.write(tmp.resolve("short.gz"), gzipBytes(Arrays.copyOf(Files.readAllBytes(testLabels), 100)));
        assertMessage(assertThrows(ScnnException.class, () -> Idx.readLabels(f)), f, "truncated: 100 bytes");
    }

    // ---- helpers --------------------------------------------------------------------------

    private static byte[] readImages(Path f) {
        return Idx.readImages(f, 28, 28, new int[1]);
    }

    private static int[] firstLabels(MnistSet s, int k) {
        int[] a = new int[k];
        for (int i = 0; i < k; i++) a[i] = s.label(i);
        return a;
    }

    private Path prefix(Path src, int len) throws IOException {
        Path f = tmp.resolve(src.getFileName() + "-cut" + len);
        byte[] all = Files.readAllBytes(src);
        return Files.write(f, Arrays.copyOf(all, len));
    }

    static byte[] images(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(Idx.IMAGES_MAGIC).putInt(n).putInt(rows).putInt(cols);
        return b.array();
    }

    static byte[] labels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(Idx.LABELS_MAGIC).putInt(values.length);
        for (int v : values) b.put((byte) v);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] gzipBytes(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(data);
        }
        return bo.toByteArray();
    }

    static Path gzip(Path src, Path dst) throws IOException {
        return Files.write(dst, gzipBytes(Files.readAllBytes(src)));
    }
}
