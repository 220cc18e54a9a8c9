package scnn.generator.verilog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scnn.core.io.OutputPolicy;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.core.model.Encoding;
import scnn.generator.arch.Replay;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.generator.arch.SynapseRng;
import scnn.generator.tools.Tools;

/**
 * Every design kind the generator writes, on the shipped nets: {@code verilator --lint-only -Wall}
 * is silent on every file of the hierarchy (the top, and every sub-module as the top) and Icarus
 * compiles it ({@code iverilog -g2005}, with and without {@code -Wall}): quantized 1h and 3h, both encodings, fold > 1, replayed weight
 * levels, device physics, the analog baseline (both random-word schemes) and the s-MTJ cell as a
 * black box.
 */
class DesignKindsLintTest {
    static final Path ROOT = Path.of(System.getProperty("scnn.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    record Kind(String name, String weights, ScConfig cfg, boolean blackbox) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() throws IOException {
        ScConfig n16 = ScConfig.of(16);
        return Stream.of(
                new Kind("quantized_1h", "mnist-1h-L5-sc.json", n16, false),
                new Kind("quantized_3h", "mnist-3h-L11-sc.json", n16, false),
                new Kind("bipolar_1h", "mnist-1h-L5-sc.json", n16.withEncoding(Encoding.BIPOLAR), false),
                new Kind("bipolar_fold4_3h", "mnist-3h-L5-sc.json", n16.withEncoding(Encoding.BIPOLAR).withFold(4), false),
                new Kind("fold8_1h", "mnist-1h-L11-sc.json", n16.withFold(8), false),
                new Kind("replay_1h", "mnist-1h-L5-sc.json", new ScConfig(16, Encoding.SIGN_MAGNITUDE, 1, 1, SmtjModel.DEFAULT, replay()), false),
                new Kind("physics_1h", "mnist-1h-L5-sc.json", new ScConfig(16, Encoding.SIGN_MAGNITUDE, 1, 1,
                        SmtjModel.of(scnn.generator.arch.DevicePhysics.MEASURED_5NS)), false),
                new Kind("analog_rotate_1h", "mnist-1h-analog.json", n16, false),
                new Kind("analog_xor_3h", "mnist-3h-analog.json", n16.withSynapseRng(SynapseRng.XOR), false),
                new Kind("blackbox_1h", "mnist-1h-L5-sc.json", n16, true),
                new Kind("blackbox_analog_1h", "mnist-1h-analog.json", n16, true));
    }

    /** Recorded traces (random, fixed seed) for the magnitude 0.5 of the 5-level nets. */
    static Replay replay() {
        try {
            Path f = Files.createTempFile("scnn-replay", ".txt");
            SplittableRandom r = new SplittableRandom(7);
            StringBuilder sb = new StringBuilder("0.5 ");
            for (int t = 0; t < 64; t++) sb.append(r.nextDouble() < 0.5 ? '1' : '0');
            Files.writeString(f, sb.append('\n').toString());
            Replay rp = Replay.read(f);
            Files.delete(f);
            return rp;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Execution(ExecutionMode.CONCURRENT)

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyFileLintsCleanAndCompiles(Kind k) throws IOException {
        Tools.need("verilator", "iverilog");
        Network net = WeightsIO.read(ROOT.resolve("weights").resolve(k.weights()));
        ScDesign sd = ScBuilder.build(net, k.cfg(), ScBuilder.topName(net.name()) + "_" + k.name());
        if (k.cfg().replay() != null) assertTrue(sd.sources().stream().anyMatch(g -> g.name().endsWith("_rp")), "some level replays");
        Path dir = tmp.resolve(k.name());
        List<Path> files = RtlWriter.write(sd.design(), dir, Map.of(), OutputPolicy.Replace.OWN, k.blackbox() ? Set.of(ScDesign.SMTJ_CELL) : Set.of());
        assertTrue(files.stream().filter(f -> f.toString().endsWith(".v")).count() >= 4, "the top, the control, the layers and the cell: " + files);
        String top = sd.design().name();
        Hdl.lintVerilator(dir, top);
        // Icarus: the simulation bodies (the -DSYNTHESIS bodies of the full nets take Icarus minutes
        // each; the emitter tests compile those on smaller designs)
        Hdl.assertClean("iverilog -g2005", Tools.run(dir, Hdl.TIMEOUT, "iverilog", "-g2005", "-s", top, "-o", "lint.vvp", "-c", RtlWriter.FILE_LIST));
        Hdl.assertClean("iverilog -g2005 -Wall", Tools.run(dir, Hdl.TIMEOUT, "iverilog", "-g2005", "-Wall", "-Wno-sensitivity-entire-array",
                "-s", top, "-o", "lint.vvp", "-c", RtlWriter.FILE_LIST));
        // each file on its own, too (a sub-module lint-clean only in the context of its parent would hide a warning)
        for (String f : Hdl.readLines(dir.resolve(RtlWriter.FILE_LIST))) {
            String mod = f.substring(0, f.length() - 2);
            if (mod.equals(top)) continue;
            Hdl.assertClean("verilator --lint-only -Wall " + f, Tools.run(dir, Hdl.TIMEOUT, "verilator", "--lint-only", "-Wall", "--top-module", mod,
                    "-f", RtlWriter.FILE_LIST));
        }
        System.out.printf("[lint] %s: %d Verilog files clean (verilator -Wall, iverilog)%n", k.name(), Hdl.readLines(dir.resolve(RtlWriter.FILE_LIST)).size());
    }
}
