package scnn.core.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scnn.core.TestSupport.assertMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.TestSupport;
import scnn.core.io.ScnnException;
import scnn.core.io.Sha256;

/**
 * {@code --dataset mnist|fashion-mnist|DIR}: Debian's Fashion-MNIST with its pinned SHA-256, and
 * directories of IDX files of any image size and label count, checked as MNIST's are.
 */
class DatasetTest {
    @TempDir Path tmp;

    /** Debian's Fashion-MNIST; its absence fails the test (./scnn test installs it). */
    static MnistFiles fashion() {
        boolean present = Files.isRegularFile(MnistFiles.FASHION_DIR.resolve("t10k-labels-idx1-ubyte.gz"));
        if (!present)
            throw new AssertionError(MnistFiles.FASHION_DIR + " is missing: ./scnn test installs " + MnistFiles.FASHION_PACKAGE);
        return MnistFiles.dataset(Path.of("/unused"), "fashion-mnist", null);
    }

    @Test
    void fashionMnistLoadsAndVerifies() {
        MnistFiles f = fashion();
        assertEquals(MnistFiles.Kind.FASHION_MNIST, f.kind());
        assertEquals("Fashion-MNIST", f.describe());
        assertTrue(f.ensure().startsWith("Fashion-MNIST is present in " + MnistFiles.FASHION_DIR), f.ensure());
        MnistSet test = f.test();
        assertEquals(10_000, test.size());
        assertEquals(28, test.rows());
        assertEquals(10, test.classes());
        // the first test images are an ankle boot (9), a pullover (2) and trousers (1), as the data set's documentation shows
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, new int[] {test.label(0), test.label(1), test.label(2), test.label(3), test.label(4)});
        assertEquals(60_000, f.train().size());
    }

    @Test
    void fashionMnistWithAlteredContentFailsItsHash() throws IOException {
        fashion();
        Path dir = Files.createDirectories(tmp.resolve("fm"));
        for (String n : MnistFiles.FASHION_SHA256.keySet()) {
            Path src = MnistFiles.FASHION_DIR.resolve(n + ".gz");
            if (n.equals("t10k-labels-idx1-ubyte")) {
                byte[] raw = new java.util.zip.GZIPInputStream(Files.newInputStream(src)).readAllBytes();
                raw[raw.length - 1] ^= 1;
                Files.write(dir.resolve(n), raw); // uncompressed: also accepted, and hashed as it is
            } else {
                Files.createSymbolicLink(dir.resolve(n + ".gz"), src);
            }
        }
        MnistFiles f = MnistFiles.fashion(dir);
        Path bad = dir.resolve("t10k-labels-idx1-ubyte");
        assertMessage(assertThrows(ScnnException.class, f::ensure), bad, "SHA-256 mismatch");
        assertMessage(assertThrows(ScnnException.class, f::test), bad, "reinstall dataset-fashion-mnist");
    }

    @Test
    void fashionMnistMissingNamesThePackage() {
        Path dir = tmp.resolve("empty");
        MnistFiles f = MnistFiles.fashion(dir);
        ScnnException e = assertThrows(ScnnException.class, f::test);
        assertMessage(e, dir.resolve("train-images-idx3-ubyte.gz"), "apt-get install -y dataset-fashion-mnist");
    }

    @Test
    void contentHashOfGzipIsTheHashOfTheDecompressedBytes() throws IOException {
        Path raw = Files.write(tmp.resolve("x"), "hello".getBytes());
        Path gz = tmp.resolve("x.gz");
        IdxTest.gzip(raw, gz);
        assertEquals(Sha256.of(raw), Sha256.ofContent(gz));
        assertEquals(Sha256.of(raw), Sha256.ofContent(raw));
        assertTrue(!Sha256.of(gz).equals(Sha256.of(raw)));
    }

    /** Writes a directory with a training and a test split of {@code rows x cols} images and the given labels. */
    private Path smallDir(String name, int rows, int cols, int[] trainLabels, int[] testLabels) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        writeSplit(d, "train", rows, cols, trainLabels);
        writeSplit(d, "t10k", rows, cols, testLabels);
        return d;
    }

    static void writeSplit(Path d, String prefix, int rows, int cols, int[] labels) throws IOException {
        byte[] im = IdxTest.images(labels.length, rows, cols);
        for (int i = 0; i < labels.length; i++) for (int p = 0; p < rows * cols; p++) im[16 + i * rows * cols + p] = (byte) (i * 31 + p * 7);
        Files.write(d.resolve(prefix + "-images-idx3-ubyte"), im);
        Files.write(d.resolve(prefix + "-labels-idx1-ubyte"), IdxTest.labels(labels));
    }

    @Test
    void directoryOfAnySizeAndLabelCount() throws IOException {
        Path d = smallDir("any", 5, 3, new int[] {0, 11, 3, 200}, new int[] {1, 2});
        MnistFiles f = MnistFiles.dataset(Path.of("/unused"), d.toString(), null);
        assertEquals(MnistFiles.Kind.DIRECTORY, f.kind());
        assertEquals("using the IDX files in " + d, f.ensure());
        MnistSet train = f.train();
        assertEquals(4, train.size());
        assertEquals(5, train.rows());
        assertEquals(3, train.cols());
        assertEquals(15, train.imageSize());
        assertEquals(201, train.classes(), "largest label + 1");
        assertEquals(200, train.label(3), "labels are unsigned");
        assertEquals((byte) (3 * 31 + 14 * 7) & 0xff, train.pixel(3, 14));
        assertEquals(15, train.image(2).length);
        assertEquals(3, train.slice(1, 4).size());
        assertEquals(5, train.slice(1, 4).rows());
        MnistSet test = f.test();
        assertEquals(3, test.classes());
        test.requireFits(15, 3, "d", "net");
        assertMessage(assertThrows(ScnnException.class, () -> test.requireFits(784, 10, "d", "net.json")), Path.of("d"),
                "images have 5x3 = 15 pixels, but net.json takes 784 inputs");
        assertMessage(assertThrows(ScnnException.class, () -> test.requireFits(15, 2, "d", "net.json")), Path.of("d"),
                "labels go up to 2, but net.json has only 2 classes");
    }

    @Test
    void directoryFilesAreCheckedAsMnistsAre() throws IOException {
        Path d = smallDir("bad", 4, 4, new int[] {0, 1}, new int[] {1, 0, 1});
        Path lb = d.resolve("t10k-labels-idx1-ubyte");
        Files.write(lb, IdxTest.labels(1, 0));
        MnistFiles f = MnistFiles.dataset(Path.of("/unused"), d.toString(), null);
        assertMessage(assertThrows(ScnnException.class, f::test), lb, "has 2 labels but");
        Path im = d.resolve("train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(im);
        Files.write(im, java.util.Arrays.copyOf(b, b.length - 1));
        assertMessage(assertThrows(ScnnException.class, f::train), im, "truncated");
        Files.delete(im);
        assertMessage(assertThrows(ScnnException.class, f::ensure), im, "missing");
        Path zero = smallDir("zero", 1, 1, new int[] {0}, new int[] {0});
        byte[] h = IdxTest.images(1, 1, 1);
        java.nio.ByteBuffer.wrap(h).putInt(8, 0);
        Path z = Files.write(zero.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(h, 16));
        assertMessage(assertThrows(ScnnException.class, () -> MnistFiles.dataset(Path.of("/"), zero.toString(), null).test()), z,
                "unexpected dimensions 1x0x1");
    }

    @Test
    void datasetNamesAndOptions() {
        Path root = Path.of("/some/root");
        assertEquals(root.resolve("data/mnist"), MnistFiles.dataset(root, null, null).dir());
        assertEquals(root.resolve("data/mnist"), MnistFiles.dataset(root, "mnist", null).dir());
        assertEquals(tmp, MnistFiles.dataset(root, "mnist", tmp).dir());
        assertEquals(MnistFiles.FASHION_DIR, MnistFiles.dataset(root, "fashion-mnist", null).dir());
        ScnnException e = assertThrows(ScnnException.class, () -> MnistFiles.dataset(root, "cifar", null));
        assertEquals("--dataset: cifar is neither mnist, fashion-mnist nor a directory of IDX files", e.getMessage());
        e = assertThrows(ScnnException.class, () -> MnistFiles.dataset(root, "fashion-mnist", tmp));
        assertEquals("--mnist: only for --dataset mnist (got --dataset fashion-mnist)", e.getMessage());
    }

    @Test
    void mnistSplitsStayMnistShaped() {
        MnistSet t = TestSupport.realMnist().test();
        assertEquals(10, t.classes());
        assertEquals(784, t.imageSize());
    }
}
