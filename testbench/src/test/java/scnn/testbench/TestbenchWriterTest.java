package scnn.testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.ScnnException;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Tag;
import scnn.sim.SimResult;
import scnn.testbench.verilog.RtlResults;
import scnn.testbench.verilog.TestbenchWriter;

/** The testbench text, the results format and the comparison, without any simulator. */
class TestbenchWriterTest {
    private static ScDesign design(Encoding e, int fold, int... sizes) {
        return ScBuilder.build(RandomNets.random("tw", 3, 5, sizes), new ScConfig(8, e, fold, 1, SmtjModel.DEFAULT), "scnn_tw");
    }

    @Test
    void monitorsComeFromTheIr() {
        ScDesign sd = design(Encoding.SIGN_MAGNITUDE, 2, 5, 4, 10);
        List<TestbenchWriter.Monitor> m = TestbenchWriter.monitors(sd);
        Set<String> smtj = m.stream().filter(x -> x.kind() == TestbenchWriter.Kind.SMTJ_FLIPS).map(TestbenchWriter.Monitor::register)
                .collect(Collectors.toSet());
        Set<String> acc = m.stream().filter(x -> x.kind() == TestbenchWriter.Kind.ACC_TOGGLES).map(TestbenchWriter.Monitor::register)
                .collect(Collectors.toSet());
        assertEquals(sd.sources().stream().map(ScDesign.SourceGroup::state).collect(Collectors.toSet()), smtj);
        Set<String> accRegs = sd.flat().design().nodes().stream().filter(n -> n.op() == Op.REG && n.tag() == Tag.ACCUMULATOR)
                .map(Node::name).collect(Collectors.toSet());
        assertEquals(accRegs, acc);
        assertEquals(3, acc.size(), "one accumulator array per layer");
        String tb = TestbenchWriter.testbench(sd, "MEM_DIR");
        for (TestbenchWriter.Monitor x : m) {
            Node n = sd.flat().design().node(x.register());
            assertEquals(n.width(), x.width());
            assertEquals(n.count(), x.count());
            if (x.origin().arrayAt() >= 0) // a register of the s-MTJ cells: the copies gathered from the instance array
                assertTrue(tb.contains("= dut." + x.origin().verilogName("mg_" + x.register()) + ";"), "tb gathers " + x.register());
            else assertTrue(tb.contains("dut." + x.origin().verilogName(0)), "tb reads " + x.register());
        }
        assertTrue(tb.contains("= dut.l1.in[mg_l1_in_state].state;"), "the pixel devices' states, inside the cell instances");
        // the s-MTJ samples: the cells' sample-enable (the layer's activity) for all 784 pixel devices
        assertTrue(tb.contains("smtj_samples = smtj_samples + (dut.l1.active ? 64'd784 : 64'd0);"), tb);
        assertTrue(tb.contains("scnn_tw #(.MEM_DIR(MEM_DIR)) dut"));
        assertTrue(tb.contains("wire signed [" + (sd.scoreWidth() - 1) + ":0] score;"));
        assertTrue(tb.contains("localparam integer CLASSES = 10;"));
        assertTrue(tb.contains("dut." + sd.pixelMemory() + "[p]"));
    }

    @Test
    void imagesFileHasOneLinePerImage(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("images.hex");
        TestbenchWriter.writeImages(CosimFixture.test(), 3, f);
        List<String> lines = Files.readAllLines(f);
        assertEquals(3, lines.size());
        String[] px = lines.get(0).split(" ");
        assertEquals(784, px.length);
        for (int p = 0; p < 784; p++) assertEquals(CosimFixture.test().pixel(0, p), Integer.parseInt(px[p], 16));
    }

    @Test
    void resultsParseAndErrors(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("r.txt");
        Files.writeString(f, "0 3 18 -1 2 3\n1 0 18 4 -5 6\nevents smtj_flips 10 acc_toggles 20\n");
        RtlResults r = RtlResults.parse(f, 3);
        assertEquals(2, r.images().size());
        assertEquals(-5, r.images().get(1).scores()[1]);
        assertEquals(10L, r.smtjFlips());
        assertEquals(RtlResults.format(r.images(), 10L, 20L), Files.readString(f));
        Files.writeString(f, "0 3 18 -1 2 3\n");
        assertTrue(assertThrows(ScnnException.class, () -> RtlResults.parse(f, 3)).getMessage().contains("incomplete"));
        Files.writeString(f, "0 3 18 x 2 3\nevents off\n");
        assertTrue(assertThrows(ScnnException.class, () -> RtlResults.parse(f, 3)).getMessage().contains("X or Z"));
        Files.writeString(f, "timeout 0 88\n");
        assertTrue(assertThrows(ScnnException.class, () -> RtlResults.parse(f, 3)).getMessage().contains("done did not rise"));
    }

    @Test
    void compareFindsEveryField() {
        SimResult j = new SimResult();
        j.images = 2;
        j.predictions = new int[] {3, 0};
        j.scores = new long[][] {{-1, 2, 3}, {4, -5, 6}};
        j.cyclesPerInference = 18;
        j.smtjFlips = 10;
        j.ffToggles.put("accumulator", 20L);
        RtlResults same = new RtlResults(List.of(new RtlResults.Image(0, 3, 18, new long[] {-1, 2, 3}),
                new RtlResults.Image(1, 0, 18, new long[] {4, -5, 6})), 10L, 20L);
        assertEquals(List.of(), Cosim.compare(same, j));
        RtlResults diff = new RtlResults(List.of(new RtlResults.Image(0, 2, 19, new long[] {-1, 2, 3}),
                new RtlResults.Image(1, 0, 18, new long[] {4, -4, 6})), 11L, 20L);
        List<Cosim.Mismatch> m = Cosim.compare(diff, j);
        assertEquals(List.of(new Cosim.Mismatch(0, "class", 2, 3), new Cosim.Mismatch(0, "cycles", 19, 18),
                new Cosim.Mismatch(1, "score1", -4, -5), new Cosim.Mismatch(null, "smtj_flips", 11, 10)), m);
    }
}
