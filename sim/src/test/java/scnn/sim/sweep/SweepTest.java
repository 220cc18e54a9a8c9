package scnn.sim.sweep;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.SmtjModel;
import scnn.sim.EnergyModel;
import scnn.sim.TestNets;

/** The sweep: results per point, resumption, and its statistics. */
class SweepTest {
    static MnistSet test;
    @TempDir Path tmp;

    @BeforeAll
    static void data() {
        test = MnistFiles.defaultLocation(Path.of(System.getProperty("scnn.root", "..")).toAbsolutePath()).test();
    }

    private Sweep sweep(Path dir, List<Sweep.Net> nets, long seed) {
        return new Sweep(dir, nets, new int[] {4, 8}, 70, 2, EnergyModel.DEFAULT,
                n -> new ScConfig(n, Encoding.SIGN_MAGNITUDE, 1, seed, SmtjModel.DEFAULT), (net, cfg) -> ScBuilder.build(net, cfg, "t"));
    }

    private static List<Sweep.Net> nets() {
        Network a = TestNets.random(1, 5, 6, 10), b = TestNets.random(2, 11, 5, 10);
        return List.of(new Sweep.Net("a-sc", Path.of("a.json"), "aaaa", a), new Sweep.Net("a-nosc", Path.of("b.json"), "bbbb", b));
    }

    @Test
    void storesEveryPointAndResumesWithoutRecomputing() throws Exception {
        long[] prog = new long[3]; // total, advanced, finished
        Progress rec = new Progress() {
            @Override public void start(String task, long total) { prog[0] += total; }
            @Override public void advance(long n) { assertTrue(n >= 0); prog[1] += n; }
            @Override public void finish() { prog[2]++; }
        };
        List<Sweep.Point> first = sweep(tmp, nets(), 1).run(test, rec);
        assertEquals(4, first.size());
        long work = 0;
        for (Sweep.Point p : first) work += 70L * p.bits() * p.net().network().synapses() / 1_000_000L;
        assertTrue(work > 0);
        assertArrayEquals(new long[] {work, work, 1}, prog, "progress counts millions of synapse-bit operations, to the total");
        for (Sweep.Point p : first) {
            assertFalse(p.reused());
            assertEquals(70, p.images());
            assertEquals(70, p.predictions().length());
            assertEquals(2 * (p.bits() + 1), p.cycles(), "cycles = layers x (N + 1)");
            assertTrue(Files.isRegularFile(tmp.resolve("points").resolve(p.net().name() + "__N" + p.bits() + ".json")));
            double lo = p.json().get("accuracy_ci95").get("low").asDouble(), hi = p.json().get("accuracy_ci95").get("high").asDouble();
            assertTrue(lo <= p.accuracy() && p.accuracy() <= hi);
        }
        List<Sweep.Point> again = sweep(tmp, nets(), 1).run(test, Progress.NONE);
        for (int i = 0; i < 4; i++) {
            assertTrue(again.get(i).reused(), "stored point reused");
            assertEquals(first.get(i).json().get("accuracy"), again.get(i).json().get("accuracy"));
            assertEquals(first.get(i).predictions(), again.get(i).predictions());
        }
        // another seed is another experiment: recomputed, and it overwrites the stored point
        List<Sweep.Point> other = sweep(tmp, nets(), 2).run(test, Progress.NONE);
        assertTrue(other.stream().noneMatch(Sweep.Point::reused));
        // a damaged point file is recomputed, not an error
        Path f = tmp.resolve("points").resolve("a-sc__N4.json");
        Files.writeString(f, "{ not json");
        List<Sweep.Point> repaired = sweep(tmp, nets(), 2).run(test, Progress.NONE);
        assertFalse(repaired.get(0).reused());
        assertTrue(repaired.get(1).reused());
        assertEquals(other.get(0).predictions(), repaired.get(0).predictions(), "same seed, same result");
        String csv = Sweep.csv(repaired);
        assertEquals(5, csv.split("\n").length);
        assertTrue(csv.startsWith("net,hidden_layers,levels,bits,images,accuracy,"));
    }

    /** Chips in the grid: stored per chip, resumed, independent of the thread count, and summarized over the chips. */
    @Test
    void chipsAreStoredResumedAndSummarized() {
        List<Sweep.Net> one = List.of(nets().get(0));
        Sweep a = new Sweep(tmp.resolve("a"), one, new int[] {8}, 64, 2, EnergyModel.DEFAULT,
                n -> new ScConfig(n, Encoding.SIGN_MAGNITUDE, 1, 1, SmtjModel.DEFAULT), (net, cfg) -> ScBuilder.build(net, cfg, "t"))
                .chips(3, new double[] {0, 0.8}, new double[] {0, 0.1});
        List<Sweep.Point> pa = a.run(test, Progress.NONE);
        assertEquals(1 + 3 * 3, pa.size(), "the ideal chip and 3 chips per varied pair");
        assertTrue(pa.get(0).chip().ideal());
        assertTrue(Files.isRegularFile(tmp.resolve("a/points/a-sc__N8.json")), "the ideal chip's point is the point of a sweep without chips");
        assertTrue(Files.isRegularFile(tmp.resolve("a/points/a-sc__N8__v0.8_f0.1_c3.json")));
        // one thread instead of two: the same figures
        Sweep b = new Sweep(tmp.resolve("b"), one, new int[] {8}, 64, 1, EnergyModel.DEFAULT,
                n -> new ScConfig(n, Encoding.SIGN_MAGNITUDE, 1, 1, SmtjModel.DEFAULT), (net, cfg) -> ScBuilder.build(net, cfg, "t"))
                .chips(3, new double[] {0, 0.8}, new double[] {0, 0.1});
        List<Sweep.Point> pb = b.run(test, Progress.NONE);
        for (int i = 0; i < pa.size(); i++) {
            assertEquals(pa.get(i).chip(), pb.get(i).chip());
            assertEquals(pa.get(i).predictions(), pb.get(i).predictions());
            assertEquals(pa.get(i).json().get("switching_events"), pb.get(i).json().get("switching_events"));
        }
        // resumed: every chip point reused
        assertTrue(a.run(test, Progress.NONE).stream().allMatch(Sweep.Point::reused));
        // the chips differ (faults at 10 %), and the summary is computed from them
        List<com.fasterxml.jackson.databind.node.ObjectNode> rows = a.chipSummary(pa);
        assertEquals(4, rows.size());
        var r = rows.stream().filter(o -> o.get("variation").asDouble() == 0.8 && o.get("stuck_rate").asDouble() == 0.1).findFirst().orElseThrow();
        double[] acc = pa.stream().filter(p -> p.chip().variation() == 0.8 && p.chip().stuckRate() == 0.1).mapToDouble(Sweep.Point::accuracy).sorted().toArray();
        assertEquals(3, acc.length);
        assertEquals(3, r.get("chips").asInt());
        assertEquals((acc[0] + acc[1] + acc[2]) / 3, r.get("accuracy_mean").asDouble(), 1e-12);
        assertEquals(acc[0], r.get("accuracy_min").asDouble());
        assertEquals(acc[1], r.get("accuracy_median").asDouble());
        assertEquals(acc[2], r.get("accuracy_max").asDouble());
        assertTrue(r.get("stuck_devices_mean").asDouble() > 0);
        double m = r.get("accuracy_mean").asDouble(), sd = r.get("accuracy_sd").asDouble();
        assertEquals(Math.max(0, m - 4.303 * sd / Math.sqrt(3)), r.get("chips_ci95").get("low").asDouble(), 1e-12);
        long correct = pa.stream().filter(p -> p.chip().variation() == 0.8 && p.chip().stuckRate() == 0.1).mapToLong(p -> p.json().get("correct").asLong()).sum();
        assertEquals(Sweep.wilson(correct, 3 * 64)[0], r.get("binomial_ci95").get("low").asDouble(), 1e-12);
        assertEquals(1, rows.get(0).get("chips").asInt(), "the ideal chip is one chip");
        String csv = Sweep.csv(pa);
        assertTrue(csv.split("\n")[0].endsWith(",variation,stuck_rate,chip_seed"));
    }

    @Test
    void wilsonIntervalMatchesTheFormula() {
        // 90 of 100: Wilson 95 % interval (0.8256, 0.9448) (standard tables)
        double[] w = Sweep.wilson(90, 100);
        assertEquals(0.8256, w[0], 1e-4);
        assertEquals(0.9448, w[1], 1e-4);
        double[] all = Sweep.wilson(100, 100);
        assertTrue(all[1] > 0.9999 && all[0] > 0.96 && all[0] < 0.97);
    }

    @Test
    void pairedDifferenceCountsDiscordantImages() {
        int n = 200;
        StringBuilder a = new StringBuilder(), b = new StringBuilder();
        int n10 = 0, n01 = 0;
        for (int i = 0; i < n; i++) {
            int label = test.label(i), wrong = (label + 1) % 10;
            boolean ra = i % 4 != 0, rb = i % 5 != 0; // a wrong on multiples of 4, b on multiples of 5
            a.append((char) ('0' + (ra ? label : wrong)));
            b.append((char) ('0' + (rb ? label : wrong)));
            if (ra && !rb) n10++;
            if (rb && !ra) n01++;
        }
        double[] d = Sweep.pairedDifference(a.toString(), b.toString(), test);
        double diff = (double) (n10 - n01) / n;
        assertEquals(diff, d[0], 1e-12);
        assertEquals(n10, (int) d[3]);
        assertEquals(n01, (int) d[4]);
        double half = 1.959963984540054 * Math.sqrt(((double) (n10 + n01) / n - diff * diff) / n);
        assertEquals(diff - half, d[1], 1e-12);
        assertEquals(diff + half, d[2], 1e-12);
        double[] same = Sweep.pairedDifference(a.toString(), a.toString(), test);
        assertEquals(0, same[0]);
        assertEquals(0, same[1]);
        assertEquals(0, same[2]);
    }
}
