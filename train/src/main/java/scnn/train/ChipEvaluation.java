package scnn.train;

import scnn.core.model.Encoding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.train.kernel.Workers;

/**
 * Two networks on the same chips of varied devices ({@link ChipNoise}, the model of
 * {@code --variation}/{@code --stuck-rate}): per (sigma, stuck rate) the mean and the worst chip of
 * each, and the paired difference B - A over the chips with its 95 % interval (Student t over the
 * chips; both nets see exactly the same devices and images). Each device carries the mean of its
 * stream (no SC noise): the cycle-accurate simulator's {@code sweep --chips} measures the hardware.
 *
 * <pre>java -Dscnn.root=. -cp cli/target/scnn.jar scnn.train.ChipEvaluation A.json B.json [chips [sigma:stuck,...]]</pre>
 *
 * <p>The same pairing for the cycle-accurate chips of a sweep ({@code ./scnn sweep --weights A,B --chips K
 * --variation ... --stuck-rate ...}): the two nets' points with equal N, variation, stuck rate and chip
 * seed are the same devices and images.
 *
 * <pre>java -cp cli/target/scnn.jar scnn.train.ChipEvaluation --sweep DIR/results.json NET_A NET_B</pre>
 */
public final class ChipEvaluation {
    private ChipEvaluation() {}

    /** One grid point. */
    public record Row(double sigma, double stuckRate, double[] a, double[] b) {
        public double meanA() { return mean(a); }
        public double meanB() { return mean(b); }
        public double minA() { return java.util.Arrays.stream(a).min().orElse(Double.NaN); }
        public double minB() { return java.util.Arrays.stream(b).min().orElse(Double.NaN); }
        /** Mean of b - a. */
        public double diff() { return meanB() - meanA(); }
        /** Half-width of the 95 % interval of {@link #diff()} (Student t, chips - 1 degrees of freedom). */
        public double halfWidth() {
            int k = a.length;
            if (k < 2) return Double.NaN;
            double m = diff(), s2 = 0;
            for (int c = 0; c < k; c++) s2 += (b[c] - a[c] - m) * (b[c] - a[c] - m);
            return t975(k - 1) * Math.sqrt(s2 / (k - 1) / k);
        }
        /** Chips on which B is more accurate than A. */
        public int wins() {
            int w = 0;
            for (int c = 0; c < a.length; c++) if (b[c] > a[c]) w++;
            return w;
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** The 97.5 % quantile of Student's t with {@code nu} degrees of freedom (Cornish-Fisher; within 0.2 % for nu >= 3). */
    static double t975(int nu) {
        double z = 1.959963984540054, z3 = z * z * z, z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * nu * nu)
                + (3 * z5 * z * z + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * nu * nu * nu);
    }

    /** Both nets on chips {@code 0..chips-1} of {@code chipSeed} at every (sigma, stuck) of {@code grid}. */
    public static List<Row> compare(Network a, Network b, Encoding enc, List<double[]> grid, long chipSeed, int chips, MnistSet test, Workers w) {
        List<Row> rows = new ArrayList<>();
        for (double[] g : grid) {
            double[] pa = new double[chips], pb = new double[chips];
            ExactInference.chipAccuracy(a, enc, g[0], g[1], chipSeed, chips, test, 0, test.size(), w, pa);
            ExactInference.chipAccuracy(b, enc, g[0], g[1], chipSeed, chips, test, 0, test.size(), w, pb);
            rows.add(new Row(g[0], g[1], pa, pb));
        }
        return rows;
    }

    /** Pairs the chip points of nets {@code a} and {@code b} in a sweep's results.json, per (N, variation, stuck rate). */
    public static List<Row> fromSweep(Path resultsJson, String a, String b) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(resultsJson.toFile());
        java.util.Map<String, java.util.TreeMap<Long, Double>> byKey = new java.util.TreeMap<>();
        java.util.Map<String, double[]> grid = new java.util.HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode p : root.path("points")) {
            if (!p.has("chip_seed")) continue;
            String net = p.path("net").asText();
            if (!net.equals(a) && !net.equals(b)) continue;
            String key = p.path("bits").asInt() + "/" + p.path("variation").asDouble() + "/" + p.path("stuck_rate").asDouble();
            grid.put(key, new double[] {p.path("variation").asDouble(), p.path("stuck_rate").asDouble()});
            byKey.computeIfAbsent(key + "/" + net, k -> new java.util.TreeMap<>()).put(p.path("chip_seed").asLong(), p.path("accuracy").asDouble());
        }
        List<Row> rows = new ArrayList<>();
        for (var e : grid.entrySet()) {
            var ma = byKey.get(e.getKey() + "/" + a);
            var mb = byKey.get(e.getKey() + "/" + b);
            if (ma == null || mb == null) continue;
            List<Long> seeds = new ArrayList<>(ma.keySet());
            seeds.retainAll(mb.keySet());
            double[] pa = new double[seeds.size()], pb = new double[seeds.size()];
            for (int i = 0; i < seeds.size(); i++) {
                pa[i] = ma.get(seeds.get(i));
                pb[i] = mb.get(seeds.get(i));
            }
            rows.add(new Row(e.getValue()[0], e.getValue()[1], pa, pb));
        }
        rows.sort(java.util.Comparator.comparingDouble(Row::stuckRate).thenComparingDouble(Row::sigma));
        return rows;
    }

    private static void print(List<Row> rows) {
        System.out.println("| sigma | stuck rate | A mean | A worst chip | B mean | B worst chip | B - A (95 % interval) | B better on |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Row r : rows)
            System.out.printf(Locale.ROOT, "| %.2f | %.2f | %.2f %% | %.2f %% | %.2f %% | %.2f %% | %+.2f [%+.2f, %+.2f] | %d / %d |%n",
                    r.sigma(), r.stuckRate(), 100 * r.meanA(), 100 * r.minA(), 100 * r.meanB(), 100 * r.minB(),
                    100 * r.diff(), 100 * (r.diff() - r.halfWidth()), 100 * (r.diff() + r.halfWidth()), r.wins(), r.a().length);
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length == 4 && args[0].equals("--sweep")) {
            System.out.printf(Locale.ROOT, "A = %s, B = %s, chips of %s (cycle-accurate)%n", args[2], args[3], args[1]);
            print(fromSweep(Path.of(args[1]), args[2], args[3]));
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: ChipEvaluation A.json B.json [chips [sigma:stuck,...]]");
            System.exit(2);
        }
        Network a = WeightsIO.read(Path.of(args[0])), b = WeightsIO.read(Path.of(args[1]));
        int chips = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        List<double[]> grid = new ArrayList<>();
        String spec = args.length > 3 ? args[3] : "0:0,1:0,2:0,0:0.01,0:0.05,1:0.05,2:0.05,1:0.1";
        for (String p : spec.split(",")) {
            String[] f = p.split(":");
            grid.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
        }
        Path root = Path.of(System.getProperty("scnn.root", ".")).toAbsolutePath().normalize();
        MnistFiles files = MnistFiles.defaultLocation(root);
        files.ensure();
        MnistSet test = files.test();
        System.out.printf(Locale.ROOT, "A = %s, B = %s, %d chips (chip seed 1000), all %d test images, device means (no SC noise)%n",
                a.name(), b.name(), chips, test.size());
        try (Workers w = new Workers(2)) {
            print(compare(a, b, Encoding.SIGN_MAGNITUDE, grid, 1000, chips, test, w));
        }
    }
}
