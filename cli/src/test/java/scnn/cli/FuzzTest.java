package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import scnn.core.io.ScnnException;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.Replay;
import scnn.sim.EnergyModel;

/**
 * Property-based fuzzing (jqwik, fixed seeds, bounded tries) of everything a user hands scnn: the
 * weights, IDX, replay and energy readers get valid files cut short, with flipped bits, with
 * inserted bytes, deep nesting, huge numbers and values of the wrong type; the option parser gets
 * random command lines. Each case must be accepted, or refused with one {@link ScnnException} line
 * {@code <file>: <problem>} (one line on standard error and a non-zero exit for a command line);
 * never another exception, never a stack trace, and nothing written or removed.
 */
class FuzzTest {
    private static Path dir;
    private static byte[] weights, images, labels, replay, energy;

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("scnn-fuzz");
        Path w = dir.resolve("base.json");
        WeightsIO.write(MainTest.tinyNet(), w);
        weights = Files.readAllBytes(w);
        images = idx(0x803, 3, 28, 28);
        labels = idx(0x801, 3);
        replay = ("# recorded\n0.25 " + "0110".repeat(20) + "\n0.5 " + "01".repeat(40) + "\n").getBytes(StandardCharsets.UTF_8);
        energy = "{\"smtj_sample_pj\": 0.2, \"gate_toggle_pj\": 0.001, \"clock_ns\": 10, \"_comment\": \"x\"}".getBytes(StandardCharsets.UTF_8);
    }

    @AfterContainer
    static void tearDown() {
        scnn.core.io.AtomicFiles.deleteTree(dir);
    }

    /** A small valid IDX file: magic, dimensions, then bytes 0..255 cycling (labels mod 10). */
    private static byte[] idx(int magic, int... dims) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int n = 1;
        writeInt(b, magic);
        for (int d : dims) {
            writeInt(b, d);
            n *= d;
        }
        for (int i = 0; i < n; i++) b.write(magic == 0x801 ? i % 10 : i & 0xff);
        return b.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream b, int v) {
        b.write(v >>> 24);
        b.write(v >>> 16);
        b.write(v >>> 8);
        b.write(v);
    }

    // ---- mutations ---------------------------------------------------------------------------

    enum Kind { TRUNCATE, FLIP_BIT, INSERT, NEST, HUGE_NUMBER, WRONG_TYPE, DELETE }

    /** One mutation: a kind, a relative position in [0, 1), and a parameter. */
    record Mutation(Kind kind, double at, int param) {
        byte[] apply(byte[] in) {
            int pos = (int) Math.min(in.length, Math.floor(at * (in.length + 1)));
            String text = new String(in, StandardCharsets.ISO_8859_1);
            switch (kind) {
                case TRUNCATE:
                    return java.util.Arrays.copyOf(in, pos);
                case FLIP_BIT: {
                    byte[] out = in.clone();
                    if (out.length > 0) out[Math.min(pos, out.length - 1)] ^= (byte) (1 << (param & 7));
                    return out;
                }
                case INSERT:
                    return splice(in, pos, 0, new byte[] {(byte) param, (byte) (param >> 8), (byte) (param * 31)});
                case NEST: {
                    String s = (param % 2 == 0 ? "[" : "{\"a\":").repeat(10 + param * 37 % 100_000);
                    return splice(in, pos, 0, s.getBytes(StandardCharsets.ISO_8859_1));
                }
                case HUGE_NUMBER: {
                    int d = firstDigitAtOrAfter(text, pos);
                    if (d < 0) return in;
                    String[] huge = {"1e999", "-1e999", "9".repeat(400), "1e-999", "2147483648", "-2147483649", "1E308", "0.0000000000000000001"};
                    return splice(in, d, numberLength(text, d), huge[Math.floorMod(param, huge.length)].getBytes(StandardCharsets.ISO_8859_1));
                }
                case WRONG_TYPE: {
                    int d = firstDigitAtOrAfter(text, pos);
                    if (d < 0) return in;
                    String[] other = {"\"x\"", "[]", "{}", "null", "true", "\"\"", "[1,2]"};
                    return splice(in, d, numberLength(text, d), other[Math.floorMod(param, other.length)].getBytes(StandardCharsets.ISO_8859_1));
                }
                case DELETE:
                    return splice(in, pos, Math.min(in.length - pos, 1 + Math.floorMod(param, 64)), new byte[0]);
                default:
                    throw new AssertionError(kind);
            }
        }
    }

    private static int firstDigitAtOrAfter(String s, int pos) {
        for (int i = pos; i < s.length(); i++) if (Character.isDigit(s.charAt(i))) return i;
        for (int i = 0; i < Math.min(pos, s.length()); i++) if (Character.isDigit(s.charAt(i))) return i;
        return -1;
    }

    private static int numberLength(String s, int d) {
        int e = d;
        while (e < s.length() && "0123456789.eE+-".indexOf(s.charAt(e)) >= 0) e++;
        return e - d;
    }

    private static byte[] splice(byte[] in, int pos, int remove, byte[] insert) {
        byte[] out = new byte[in.length - remove + insert.length];
        System.arraycopy(in, 0, out, 0, pos);
        System.arraycopy(insert, 0, out, pos, insert.length);
        System.arraycopy(in, pos + remove, out, pos + insert.length, in.length - pos - remove);
        return out;
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 0.999999).ofScale(6),
                Arbitraries.integers().between(0, 1 << 20)).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    private static byte[] mutate(byte[] base, List<Mutation> ms) {
        byte[] b = base;
        for (Mutation m : ms) b = m.apply(b);
        return b;
    }

    /** Runs a reader on the mutated file: it returns, or throws one ScnnException line naming the file. */
    private static void readerContract(String name, byte[] content, java.util.function.Consumer<Path> reader) throws IOException {
        readerContract(name, content, reader, null);
    }

    /** {@link #readerContract(String, byte[], java.util.function.Consumer)}; the message may also name {@code alsoNamed}. */
    private static void readerContract(String name, byte[] content, java.util.function.Consumer<Path> reader, Path alsoNamed) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        Map<String, String> before = snapshot(dir);
        try {
            reader.accept(f);
        } catch (ScnnException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith(f + ": ") || m.startsWith(f.getFileName() + ": ") || (alsoNamed != null && m.startsWith(alsoNamed + ": ")), m);
            assertFalse(m.contains("\n"), m);
        } catch (Throwable t) {
            fail(name + ": the reader threw " + t + " instead of a one-line ScnnException", t);
        }
        assertEquals(before, snapshot(dir), "a reader writes nothing");
    }

    @Property(tries = 300, seed = "1201")
    void weightsReader(@ForAll("mutations") List<Mutation> ms) throws IOException {
        readerContract("w.json", mutate(weights, ms), WeightsIO::read);
    }

    @Property(tries = 200, seed = "1202")
    void idxReader(@ForAll("mutations") List<Mutation> ms, @ForAll boolean mutateLabels) throws IOException {
        Path im = dir.resolve("images.idx"), lb = dir.resolve("labels.idx");
        Files.write(mutateLabels ? im : lb, mutateLabels ? images : labels);
        Path other = mutateLabels ? im : lb;
        readerContract(mutateLabels ? "labels.idx" : "images.idx", mutate(mutateLabels ? labels : images, ms),
                f -> scnn.core.mnist.MnistSet.read(mutateLabels ? other : f, mutateLabels ? f : other), other);
    }

    @Property(tries = 200, seed = "1203")
    void replayReader(@ForAll("mutations") List<Mutation> ms) throws IOException {
        readerContract("trace.txt", mutate(replay, ms), Replay::read);
    }

    @Property(tries = 200, seed = "1204")
    void energyReader(@ForAll("mutations") List<Mutation> ms) throws IOException {
        readerContract("energy.json", mutate(energy, ms), EnergyModel::read);
    }

    // ---- command lines -------------------------------------------------------------------------

    private static final String[] VALUES = {"", "0", "1", "-1", "2", "4", "3.5", "1e999", "NaN", "Infinity", "99999999999",
            "2147483648", "1048576", "1024", "..", ".", "/", "/dev/null", "/dev/zero", "bipolar", "sign-magnitude", "analog",
            "quantized", "xor", "x", "--json"};

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> command = Arbitraries.of("generate", "eval");
        Arbitrary<String> option = Arbitraries.of("--bits", "--fold", "--encoding", "--seed", "--clock-ns", "--tau-ns", "--arch",
                "--synapse-rng", "--images", "--weights", "--json", "--force", "--backend", "--out");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(VALUES), Arbitraries.strings().ofMaxLength(6),
                Arbitraries.integers().map(String::valueOf));
        Arbitrary<List<String>> pairs = Combinators.combine(option, value).as(List::of).list().ofMaxSize(4)
                .map(l -> l.stream().flatMap(List::stream).toList());
        return Combinators.combine(command, pairs).as((c, p) -> {
            List<String> args = new ArrayList<>();
            args.add(c);
            args.addAll(p);
            return args;
        });
    }

    /**
     * Random command lines: exit 0, 1 or 2; a failure is exactly one line on standard error; no
     * stack trace; nothing outside the output directory appears, changes or disappears.
     */
    @Property(tries = 60, seed = "1205")
    void optionParser(@ForAll("commandLines") List<String> generated) throws IOException {
        Path work = Files.createDirectories(dir.resolve("cli"));
        Path w = work.resolve("tiny.json");
        if (!Files.exists(w)) Files.write(w, weights);
        Path out = work.resolve("out");
        List<String> args = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            String a = generated.get(i);
            // an --out of the generator goes into the work directory; --weights names one of a few files
            if (a.equals("--out") && i + 1 < generated.size()) {
                args.add(a);
                args.add(out.resolve(scnn.core.io.OutputPolicy.fileComponent(generated.get(++i))).toString());
            } else if (a.equals("--weights") && i + 1 < generated.size()) {
                String v = generated.get(++i);
                args.add(a);
                args.add(v.equals("/dev/zero") || v.equals("/") || v.isEmpty() ? v : w.toString());
            } else {
                args.add(a);
            }
        }
        if (!args.contains("--weights")) {
            args.add("--weights");
            args.add(w.toString());
        }
        if (args.get(0).equals("generate") && !args.contains("--out")) {
            args.add("--out");
            args.add(out.resolve("default").toString());
        }
        Map<String, String> before = snapshot(work);
        before.keySet().removeIf(k -> k.startsWith("out"));
        MainTest.Run r = MainTest.run(args.toArray(new String[0]));
        assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 2, args + ": exit " + r.code());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), args + ": " + r.err());
        if (r.code() != 0) {
            String line = r.errLine();
            assertTrue(line.startsWith("scnn"), args + ": " + line);
        }
        Map<String, String> after = snapshot(work);
        after.keySet().removeIf(k -> k.startsWith("out"));
        assertEquals(before, after, args + ": only the output directory may change");
        scnn.core.io.AtomicFiles.deleteTree(out);
    }

    private static Map<String, String> snapshot(Path d) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : (Iterable<Path>) s::iterator)
                m.put(d.relativize(p).toString(), Files.isRegularFile(p) ? Files.size(p) + ":" + Files.getLastModifiedTime(p) : "/");
        }
        return m;
    }
}
