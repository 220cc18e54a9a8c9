package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scnn.cli.MainTest.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.cli.MainTest.Run;
import scnn.core.weights.WeightsIO;

/**
 * The cases of "Nothing lost, nothing escapes", each as a command line: scnn never deletes or
 * replaces what it did not write, and every bad input is one line and a non-zero exit.
 */
class OutputSafetyTest {
    @TempDir Path tmp;
    private String oldRoot;
    private Path weights;

    @BeforeEach
    void setUp() {
        // a checkout of our own, so that default outputs (rtl-out/<name>/) land in the temporary directory;
        // data/mnist is a link to the real files
        oldRoot = System.getProperty("scnn.root");
        weights = tmp.resolve("tiny.json");
        WeightsIO.write(MainTest.tinyNet(), weights);
    }

    @AfterEach
    void restore() {
        System.setProperty("scnn.root", oldRoot);
    }

    private Path checkout() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Files.createDirectories(root.resolve("data"));
        Files.createSymbolicLink(root.resolve("data/mnist"), Path.of(oldRoot, "data", "mnist"));
        System.setProperty("scnn.root", root.toString());
        return root;
    }

    private Path weightsNamed(String name) throws IOException {
        String json = Files.readString(weights).replace("\"name\" : \"tiny-cli\"", "\"name\" : " + WeightsIO.mapper().writeValueAsString(name));
        assertTrue(json.contains(WeightsIO.mapper().writeValueAsString(name)), json);
        return Files.writeString(tmp.resolve("named.json"), json);
    }

    /** Every file under {@code dir} with its content (links as their target). */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String k = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) m.put(k, "-> " + Files.readSymbolicLink(p));
                else if (Files.isRegularFile(p)) m.put(k, Files.readString(p, StandardCharsets.ISO_8859_1));
                else m.put(k, "/");
            }
        }
        return m;
    }

    private static void refused(Run r, int code, String line) {
        assertEquals(code, r.code(), r.err());
        assertEquals(line, r.errLine());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void anEmptyOrProtectedOutIsRefusedAndNothingIsTouched() throws IOException {
        Path cwd = Path.of(System.getProperty("user.dir"));
        Map<String, String> before = snapshot(cwd.resolve("src"));
        refused(run("generate", "--bits", "8", "--weights", weights.toString(), "--out", ""), 1,
                "scnn: \"\": an empty path is not an output; name a file or directory");
        refused(run("generate", "--bits", "8", "--weights", weights.toString(), "--out", ".", "--force"), 1,
                "scnn: .: is the current directory; scnn never writes there");
        refused(run("generate", "--bits", "8", "--weights", weights.toString(), "--out", "..", "--force"), 1,
                "scnn: ..: is an ancestor of the current directory; scnn never writes there");
        refused(run("generate", "--bits", "8", "--weights", weights.toString(), "--out", "/", "--force"), 1,
                "scnn: /: is the root directory; scnn never writes there");
        String home = System.getProperty("user.home");
        assertTrue(run("generate", "--bits", "8", "--weights", weights.toString(), "--out", home, "--force").errLine()
                .matches("scnn: " + home + ": is (an ancestor of )?(the home|the current) directory; scnn never writes there"));
        Path root = Path.of(oldRoot);
        assertEquals(1, run("generate", "--bits", "8", "--weights", weights.toString(), "--out", root.toString(), "--force").code());
        assertEquals(before, snapshot(cwd.resolve("src")));
        assertTrue(Files.isDirectory(root.resolve("weights")) && Files.isRegularFile(root.resolve("pom.xml")));
    }

    @Test
    void aDesignNameIsOneFileNameComponentNeverAPath() throws IOException {
        Path root = checkout();
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        Files.writeString(victim.resolve("thesis.tex"), "precious");
        for (String name : List.of(victim.toString(), "../../elsewhere", ".", "..")) {
            Run r = run("generate", "--bits", "4", "--weights", weightsNamed(name).toString());
            assertEquals(0, r.code(), r.err());
        }
        assertEquals(Map.of("", "/", "thesis.tex", "precious"), snapshot(victim));
        try (Stream<Path> s = Files.list(root.resolve("rtl-out"))) {
            List<String> dirs = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(4, dirs.size(), dirs.toString());
            assertTrue(dirs.containsAll(List.of("______elsewhere", "net_", "net__")), dirs.toString());
            assertTrue(dirs.stream().anyMatch(d -> d.matches("_tmp_[A-Za-z0-9_-]*_victim")), dirs.toString());
        }
        assertFalse(Files.exists(tmp.resolve("elsewhere")));
        assertFalse(Files.exists(tmp.getParent().resolve("elsewhere")));
    }

    @Test
    void anExistingOutputIsReplacedOnlyWhenItIsScnns() throws IOException {
        String w = weights.toString();
        Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
        refused(run("generate", "--bits", "4", "--weights", w, "--out", file.toString()), 1,
                "scnn: " + file + ": is a file, not an scnn output directory; choose another path or add --force");
        assertEquals("mine", Files.readString(file));
        Path foreign = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(foreign.resolve("top.v"), "module mine; endmodule");
        refused(run("generate", "--bits", "4", "--weights", w, "--out", foreign.toString()), 1, "scnn: " + foreign
                + ": exists and is not an scnn output directory (no manifest.json written by scnn); choose another path or add --force");
        assertEquals(Map.of("", "/", "top.v", "module mine; endmodule"), snapshot(foreign));
        refused(run("generate", "--bits", "4", "--weights", w, "--out", "/dev/null", "--force"), 1,
                "scnn: /dev/null: is a device, FIFO or socket; scnn never replaces one");
        // scnn's own directory is replaced; so is a foreign one with --force
        Path own = tmp.resolve("rtl");
        assertEquals(0, run("generate", "--bits", "4", "--weights", w, "--out", own.toString()).code());
        assertEquals(0, run("generate", "--bits", "8", "--weights", w, "--out", own.toString()).code());
        assertTrue(Files.readString(own.resolve("manifest.json")).contains("\"generator\" : \"scnn\""));
        assertEquals(0, run("generate", "--bits", "4", "--weights", w, "--out", foreign.toString(), "--force").code());
        assertFalse(Files.exists(foreign.resolve("top.v")));
        // a link is not followed: refused, and with --force the link (never its target) is replaced
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.writeString(target.resolve("keep"), "k");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        refused(run("generate", "--bits", "4", "--weights", w, "--out", link.toString()), 1,
                "scnn: " + link + ": is a symbolic link; scnn replaces a link only with --force");
        assertEquals(Map.of("", "/", "keep", "k"), snapshot(target));
    }

    @Test
    void vcdAndTrainOutputsReplaceOnlyScnnsFiles() throws IOException {
        String w = weights.toString();
        Path thesis = Files.writeString(tmp.resolve("thesis.vcd"), "my own waveform");
        refused(run("simulate", "--bits", "2", "--images", "1", "--weights", w, "--vcd", thesis.toString()), 1,
                "scnn: " + thesis + ": exists and was not written by scnn; choose another path or add --force");
        assertEquals("my own waveform", Files.readString(thesis));
        refused(run("simulate", "--bits", "2", "--images", "1", "--weights", w, "--vcd", "/dev/null", "--force"), 1,
                "scnn: /dev/null: is a device, FIFO or socket; scnn never replaces one");
        Path vcd = tmp.resolve("wave.vcd");
        assertEquals(0, run("simulate", "--bits", "2", "--images", "1", "--weights", w, "--vcd", vcd.toString()).code());
        assertEquals(0, run("simulate", "--bits", "2", "--images", "1", "--weights", w, "--vcd", vcd.toString()).code(),
                "scnn's own VCD is replaced");
        refused(run("train", "--out", thesis.toString(), "--hidden", "4", "--epochs", "1", "--train-images", "64", "--val", "16"), 1,
                "scnn: " + thesis + ": exists and was not written by scnn; choose another path or add --force");
        assertEquals("my own waveform", Files.readString(thesis));
    }

    @Test
    void sweepOutMustBeScnnsAndIsNeverATrace() throws IOException {
        Path file = Files.writeString(tmp.resolve("results"), "x");
        refused(run("sweep", "--weights", weights.toString(), "--bits", "2", "--images", "8", "--out", file.toString()), 1,
                "scnn: " + file + ": is a file, not an scnn output directory; choose another path or add --force");
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.createDirectories(foreign.resolve("points"));
        Files.writeString(foreign.resolve("points/data.json"), "{}");
        Run r = run("sweep", "--weights", weights.toString(), "--bits", "2", "--images", "8", "--out", foreign.toString(), "--fresh");
        assertEquals(1, r.code());
        assertTrue(Files.exists(foreign.resolve("points/data.json")), "--fresh deletes nothing in a directory that is not scnn's");
    }

    @Test
    void badNumbersAreOneLineAndExitTwo() {
        String w = weights.toString();
        refused(run("generate", "--weights", w, "--bits", "1048576", "--fold", "2048"), 2,
                "scnn: --fold 2048 is larger than the widest layer of tiny-cli (784 inputs): at most 1024");
        refused(run("generate", "--weights", w, "--bits", "1048576", "--fold", "1024"), 2,
                "scnn: --bits 1048576 --fold 1024: 2 layers x (N x fold + 1) = 2147483650 cycles per inference, more than the 2147483647 a design may take");
        refused(run("generate", "--weights", w, "--fold", "1073741824"), 2,
                "scnn: --fold 1073741824 is larger than the widest layer of tiny-cli (784 inputs): at most 1024");
        refused(run("generate", "--weights", w, "--fold", "16777216"), 2,
                "scnn: --fold 16777216 is larger than the widest layer of tiny-cli (784 inputs): at most 1024");
        refused(run("simulate", "--weights", w, "--images", "99999"), 2, "scnn: --images 99999: the test set has 10000 images");
        refused(run("eval", "--weights", w, "--images", "99999"), 2, "scnn: --images 99999: the test set has 10000 images");
        refused(run("eval", "--weights", w, "--images", "0"), 2, "scnn: --images must be at least 1, got 0");
        refused(run("simulate", "--weights", w, "--images", "0"), 2, "scnn: --images must be at least 1, got 0");
        refused(run("simulate", "--weights", w, "--clock-ns", "Infinity"), 2,
                "scnn: --clock-ns must be a positive number of ns up to 1e9, got Infinity");
        refused(run("simulate", "--weights", w, "--tau-ns", "NaN"), 2, "scnn: --tau-ns must be a positive number of ns up to 1e9, got NaN");
    }

    @Test
    void badEnergyAndReplayFilesAreOneLine() throws IOException {
        String w = weights.toString();
        Path dup = Files.writeString(tmp.resolve("dup.json"), "{\"smtj_flip_pj\": 1, \"smtj_flip_pj\": 2}");
        Run r = run("simulate", "--weights", w, "--bits", "2", "--images", "1", "--energy", dup.toString());
        assertEquals(1, r.code());
        assertTrue(r.errLine().startsWith("scnn: " + dup + ": cannot read energy model (Duplicate field 'smtj_flip_pj'"), r.err());
        Path huge = Files.writeString(tmp.resolve("huge.json"), "{\"smtj_flip_pj\": 1e308}");
        refused(run("simulate", "--weights", w, "--bits", "2", "--images", "1", "--energy", huge.toString()), 1,
                "scnn: " + huge + ": \"smtj_flip_pj\" must be a number in 0..1000000000, got 1.0E308");
        Path bin = Files.write(tmp.resolve("trace.bin"), new byte[] {(byte) 0xc3, (byte) 0x28, 0, 7});
        refused(run("simulate", "--weights", w, "--bits", "2", "--images", "1", "--replay", bin.toString()), 1,
                "scnn: " + bin + ": not a text file (not UTF-8)");
        refused(run("generate", "--weights", "/dev/zero", "--bits", "2"), 1,
                "scnn: /dev/zero: not a regular file (a device, FIFO or socket); scnn reads only files");
        Path nested = Files.writeString(tmp.resolve("nested.json"), "[".repeat(100_000));
        Run n = run("generate", "--weights", nested.toString(), "--bits", "2");
        assertEquals(1, n.code());
        assertTrue(n.errLine().startsWith("scnn: " + nested + ": not valid JSON"), n.err());
    }

    @Test
    void anUnusedReplayTraceIsReported() throws IOException {
        Path trace = Files.writeString(tmp.resolve("trace.txt"), "0.3 " + "01".repeat(64) + "\n");
        Run r = run("generate", "--weights", weights.toString(), "--bits", "2", "--replay", trace.toString(), "--out",
                tmp.resolve("rtl").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("scnn: " + trace + ": warning: the trace recorded at p = 0.30000 matches no weight level of tiny-cli "
                + "(sign-magnitude encoding); it is not used", r.errLine());
    }

    @Test
    void aStandardOutputThatCannotBeWrittenIsAnError() {
        PrintStream old = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("No space left on device");
                }
            }, true));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute("eval", "--weights", weights.toString(), "--images", "10", "--json");
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        assertEquals(1, code);
        assertEquals("scnn: standard output: write error (disk full, or the pipe closed); the output is incomplete\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unexpectedErrorsAreOneLineWithAHint() {
        StringWriter sw = new StringWriter();
        assertEquals(1, Main.fail(new PrintWriter(sw), "scnn simulate", new OutOfMemoryError("Java heap space")));
        String line = sw.toString();
        assertTrue(line.matches("scnn: simulate: out of memory: the design needs more than the Java heap's \\d+ MiB; give more with "
                + "SCNN_JAVA_OPTS=-Xmx\\d+g \\(this machine has \\d+ GiB\\), or choose a smaller design \\(--fold, --bits\\)\n"), line);
        sw = new StringWriter();
        assertEquals(1, Main.fail(new PrintWriter(sw), "scnn generate", new RuntimeException(new IllegalStateException("bad\nstate"))));
        assertEquals("scnn: generate: internal error: IllegalStateException: bad (rerun with --debug or SCNN_DEBUG=1 for the stack trace, "
                + "and please report it)\n", sw.toString());
        sw = new StringWriter();
        Main.fail(new PrintWriter(sw), "scnn sweep", new java.util.concurrent.CompletionException(new scnn.core.io.ScnnException("x.json: bad")));
        assertEquals("scnn: x.json: bad\n", sw.toString());
    }
}
