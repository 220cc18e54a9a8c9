package scnn.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.core.io.Sha256;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.weights.WeightsIO;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.SmtjModel;
import scnn.sim.EnergyModel;
import scnn.sim.sweep.Sweep;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Design-space sweep with the cycle-accurate simulator: every network (default: every weights/mnist-*.json) "
                + "at every bitstream length on the MNIST test set. Writes results.csv, results.json, results.md and PNG plots "
                + "(accuracy, energy and latency against N, accuracy against energy with its Pareto front) into --out. "
                + "Resumable: a finished point is stored at once under <out>/points/ and not recomputed.")
final class SweepCommand implements Callable<Integer> {
    static final int[] DEFAULT_BITS = {8, 16, 32, 64, 100, 200, 300, 400, 500};

    @Mixin DataOptions data;
    @Mixin ForceOption force;

    @Option(names = "--weights", paramLabel = "W", split = ",",
            description = "Weights files, comma-separated (default: every weights/mnist-*.json, the 8 shipped nets and any baseline).")
    List<Path> weights;

    @Option(names = "--bits", paramLabel = "N", split = ",", description = "Bitstream lengths (default: 8,16,32,64,100,200,300,400,500).")
    int[] bits;

    @Option(names = "--images", paramLabel = "K", defaultValue = "10000", description = "Test images per point (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "SEED of the random sources (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--encoding", paramLabel = "E", defaultValue = "sign-magnitude", description = "Stream encoding (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = "--energy", paramLabel = "FILE", description = "Energy model overrides (JSON; see README).")
    Path energy;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: results/sweep).")
    Path out;

    @Option(names = "--fresh", description = "Recompute every point, ignoring stored ones.")
    boolean fresh;

    @Option(names = "--json", description = "Print results.json instead of the table.")
    boolean json;

    @Option(names = "--record-provenance",
            description = "Write each net's swept accuracies into its weights file's provenance (object cycle_accurate_test_accuracy).")
    boolean record;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the points as Apache Spark jobs on MASTER (local[K] on this machine, spark://host:7077 or yarn on a cluster; "
                    + "the spark module, see docs/spark.md). Same points, same stored results as a local run.")
    String spark;

    @Option(names = "--chips", paramLabel = "K", defaultValue = "1",
            description = "Chips per varied grid point (chip seeds 1..K): each (--variation, --stuck-rate) pair other than (0, 0) is "
                    + "simulated on K chips and summarized over them (docs/devices.md). Default: ${DEFAULT-VALUE}.")
    int chips;

    @Option(names = "--variation", paramLabel = "SIGMA", split = ",",
            description = "Device variations to sweep (sigma of each s-MTJ's bias offset, in sigmoid widths), comma-separated. Default: 0.")
    double[] variation;

    @Option(names = "--stuck-rate", paramLabel = "F", split = ",",
            description = "Stuck-at fault rates to sweep (fraction of s-MTJs stuck at 0 or 1), comma-separated. Default: 0.")
    double[] stuckRate;

    @Option(names = "--weight-sources", paramLabel = "M", defaultValue = "layer",
            description = "Random sources of the quantized nets' weight streams: layer, neuron or synapse (README). Default: ${DEFAULT-VALUE}.")
    String weightSources;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Sweep.Executor executor = Sweep.LOCAL;
        if (spark != null) {
            if (spark.isBlank()) throw new scnn.core.io.UsageException("--spark needs a master URL, e.g. local[2]");
            Sweep.ExecutorProvider p = Sweep.provider("spark");
            if (p == null) return SparkLauncher.relaunch(spec.commandLine().getParseResult().originalArgs());
            executor = p.create(spark);
        }
        if (images < 1) throw new scnn.core.io.UsageException("--images must be at least 1, got " + images);
        if (threads < 1) throw new scnn.core.io.UsageException("--threads must be at least 1, got " + threads);
        int[] ns = bits == null ? DEFAULT_BITS : bits;
        for (int n : ns) if (n < 1 || n > 1 << 20) throw new scnn.core.io.UsageException("--bits: lengths must be in 1..1048576, got " + n);
        Encoding enc;
        try {
            enc = Encoding.parse(encoding);
        } catch (IllegalArgumentException e) {
            throw new scnn.core.io.UsageException("--encoding: " + e.getMessage());
        }
        scnn.generator.arch.WeightSources ws = DesignOptions.weightSources(weightSources);
        EnergyModel em = energy != null ? EnergyModel.read(energy) : EnergyModel.DEFAULT;
        scnn.core.mnist.MnistFiles files = data.files();
        MnistFiles.Kind kind = files.kind();
        Path dir = out != null ? out : Paths.root().resolve("results").resolve(kind == MnistFiles.Kind.MNIST ? "sweep" : "sweep-" + kind.key());
        List<Sweep.Net> nets = new ArrayList<>();
        for (Path w : weightFiles(kind)) {
            String name = w.getFileName().toString().replaceFirst("\\.json$", "");
            scnn.core.weights.Network net = WeightsIO.read(w);
            // the key hashes the network without its provenance, so that recording results there keeps the points valid
            String hash = Sha256.ofString(WeightsIO.toJsonString(net.withProvenance(WeightsIO.mapper().createObjectNode())));
            nets.add(new Sweep.Net(name, w, hash, net));
        }
        MnistSet test = files.test();
        for (Sweep.Net n : nets)
            test.requireFits(n.network().inputSize(), n.network().outputSize(), files.dir().toString(), n.file().toString());
        DataOptions.images(images, test);
        scnn.core.io.OutputPolicy.claimDirectory(dir, force.replace(), "sweep");
        if (!Files.isWritable(dir)) throw new ScnnException(dir + ": output directory is not writable");
        if (fresh) AtomicFiles.deleteTree(dir.resolve("points"));
        Sweep sw = new Sweep(dir, nets, ns, images, threads, em,
                n -> new ScConfig(n, enc, 1, seed, SmtjModel.DEFAULT).withWeightSources(ws),
                (net, cfg) -> ScBuilder.build(net, cfg, ScBuilder.topName(net.name())));
        if (chips < 1) throw new scnn.core.io.UsageException("--chips must be at least 1, got " + chips);
        double[] vs = variation == null ? new double[] {0} : variation, fs = stuckRate == null ? new double[] {0} : stuckRate;
        for (double v : vs) DesignOptions.chip(v, 0, 1);
        for (double f : fs) DesignOptions.chip(0, f, 1);
        sw.chips(chips, vs, fs);
        if (kind == MnistFiles.Kind.FASHION_MNIST) sw.dataset(kind.key());
        else if (kind == MnistFiles.Kind.DIRECTORY) sw.dataset("idx-sha256:" + testSetHash(test));
        long t0 = System.nanoTime();
        List<Sweep.Point> all = sw.run(test, json ? scnn.core.progress.Progress.NONE : new ConsoleProgress(), executor);
        double wall = (System.nanoTime() - t0) / 1e9;
        // the tables, twins, baselines and plots of a sweep without chips are those of its ideal chips
        List<Sweep.Point> points = all.stream().filter(p -> p.chip().ideal()).toList();
        List<ObjectNode> twins = twins(points, test, sw);
        List<ObjectNode> baselines = sw.baselines(points, test);
        ObjectNode summary = sw.summary(all, twins, baselines);
        List<ObjectNode> chipRows = sw.chipSummary(all);
        long computed = all.stream().filter(p -> !p.reused()).count();
        summary.put("points_computed", computed);
        summary.put("points_reused", all.size() - computed);
        summary.put("wall_s", wall);
        String md = markdown(points, twins, baselines, ns, files.describe()) + ChipTables.markdown(chipRows);
        AtomicFiles.writeString(dir.resolve("results.json"), Json.MAPPER.writeValueAsString(summary) + "\n");
        AtomicFiles.writeString(dir.resolve("results.csv"), Sweep.csv(all));
        AtomicFiles.writeString(dir.resolve("results.md"), md);
        if (!points.isEmpty()) plots(points, dir);
        ChipTables.plots(chipRows, dir);
        if (record) recordProvenance(points, ns, seed, enc);
        if (json) {
            Json.print(summary);
        } else {
            System.out.print(md);
            System.out.printf(Locale.ROOT, "%d points (%d computed, %d reused) in %.0f s; written to %s%n", all.size(), computed,
                    all.size() - computed, wall, dir);
        }
        return 0;
    }

    /**
     * Adds {@code cycle_accurate_test_accuracy} to each swept net's provenance: the command, images,
     * seed, encoding and the accuracy at every swept length. The network itself is unchanged (the
     * sweep's keys hash it without provenance, so stored points stay valid).
     */
    private static void recordProvenance(List<Sweep.Point> points, int[] ns, long seed, Encoding enc) {
        Map<Path, List<Sweep.Point>> byFile = new LinkedHashMap<>();
        for (Sweep.Point p : points) byFile.computeIfAbsent(p.net().file(), k -> new ArrayList<>()).add(p);
        byFile.forEach((file, ps) -> {
            scnn.core.weights.Network net = WeightsIO.read(file);
            ObjectNode prov = net.provenance();
            ObjectNode ca = prov.putObject("cycle_accurate_test_accuracy");
            ca.put("command", "./scnn sweep --bits " + String.join(",", Arrays.stream(ns).mapToObj(Integer::toString).toList())
                    + " --images " + ps.get(0).images() + " --seed " + seed + " --encoding " + enc.key());
            ca.put("images", ps.get(0).images());
            ca.put("seed", seed);
            ca.put("encoding", enc.key());
            ObjectNode acc = ca.putObject("accuracy_by_bits");
            for (Sweep.Point p : ps) acc.put(Integer.toString(p.bits()), Math.round(p.accuracy() * 1e6) / 1e6);
            WeightsIO.write(net.withProvenance(prov), file);
        });
    }

    private List<Path> weightFiles(MnistFiles.Kind kind) throws IOException {
        if (weights != null && !weights.isEmpty()) {
            for (Path w : weights) if (!Files.isRegularFile(w)) throw new ScnnException(w + ": weights file does not exist");
            return weights;
        }
        if (kind == MnistFiles.Kind.DIRECTORY) throw new ScnnException("--weights: a sweep over a --dataset directory needs the weights files named");
        String prefix = kind.key() + "-";
        Path wd = Paths.root().resolve("weights");
        try (Stream<Path> s = Files.list(wd)) {
            List<Path> l = s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".json")).sorted().toList();
            if (l.isEmpty()) throw new ScnnException(wd + ": no " + prefix + "*.json weights files");
            return l;
        }
    }

    /** SHA-256 of a test set's shape, pixels and labels. */
    private static String testSetHash(MnistSet t) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update((t.rows() + "x" + t.cols() + ":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            md.update(t.rawPixels());
            for (int i = 0; i < t.size(); i++) md.update((byte) t.label(i));
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each "-sc" net against its "-nosc" twin at every length: paired accuracy difference with its 95 % interval. */
    static List<ObjectNode> twins(List<Sweep.Point> points, MnistSet test, Sweep sw) {
        Map<String, Sweep.Point> byKey = new LinkedHashMap<>();
        for (Sweep.Point p : points) byKey.put(p.net().name() + "@" + p.bits(), p);
        List<ObjectNode> out = new ArrayList<>();
        for (Sweep.Point p : points) {
            String name = p.net().name();
            if (!name.endsWith("-sc")) continue;
            Sweep.Point q = byKey.get(name.substring(0, name.length() - 3) + "-nosc@" + p.bits());
            if (q == null || q.images() != p.images()) continue;
            double[] d = Sweep.pairedDifference(p.predictions(), q.predictions(), test);
            ObjectNode o = sw.mapper().createObjectNode();
            o.put("sc", name);
            o.put("nosc", q.net().name());
            o.put("bits", p.bits());
            o.put("images", p.images());
            o.put("accuracy_sc", p.accuracy());
            o.put("accuracy_nosc", q.accuracy());
            o.put("difference", d[0]);
            o.put("difference_ci95_low", d[1]);
            o.put("difference_ci95_high", d[2]);
            o.put("only_sc_correct", (long) d[3]);
            o.put("only_nosc_correct", (long) d[4]);
            out.add(o);
        }
        return out;
    }

    /** Accuracy table (nets x lengths), latency and energy table, twin comparison, analog baseline ratios. */
    static String markdown(List<Sweep.Point> points, List<ObjectNode> twins, List<ObjectNode> baselines, int[] ns, String dataset) {
        Map<String, Map<Integer, Sweep.Point>> t = new LinkedHashMap<>();
        for (Sweep.Point p : points) t.computeIfAbsent(p.net().name(), k -> new LinkedHashMap<>()).put(p.bits(), p);
        StringBuilder sb = new StringBuilder();
        sb.append("Accuracy (%) on the " + dataset + " test set, cycle-accurate simulation\n\n");
        table(sb, t, ns, p -> String.format(Locale.ROOT, "%.2f", 100 * p.accuracy()));
        sb.append("\nLatency (cycles / ns) and energy per inference (pJ)\n\n");
        table(sb, t, ns, p -> String.format(Locale.ROOT, "%d / %.0f ns / %.0f pJ", p.cycles(), p.latencyNs(), p.energyPj()));
        if (!twins.isEmpty()) {
            sb.append("\nTrained with SC minus trained without SC (paired, same images; 95 % interval)\n\n| net | N | SC | no SC | difference (points) |\n|---|---:|---:|---:|---|\n");
            for (ObjectNode o : twins)
                sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %+.2f [%+.2f, %+.2f] |%n", o.get("sc").asText().replaceFirst("-sc$", ""),
                        o.get("bits").asInt(), 100 * o.get("accuracy_sc").asDouble(), 100 * o.get("accuracy_nosc").asDouble(),
                        100 * o.get("difference").asDouble(), 100 * o.get("difference_ci95_low").asDouble(), 100 * o.get("difference_ci95_high").asDouble()));
        }
        sb.append(String.format(Locale.ROOT, "%nSimulation time of these %d points: %.0f s (each point's compile and run time when it was computed)%n",
                points.size(), Sweep.pointSeconds(points)));
        if (!baselines.isEmpty()) {
            // rows: analog baseline vs quantized net; columns: lengths
            Map<String, Map<Integer, ObjectNode>> rows = new LinkedHashMap<>();
            for (ObjectNode o : baselines)
                rows.computeIfAbsent(o.get("analog").asText() + " / " + o.get("quantized").asText(), k -> new LinkedHashMap<>()).put(o.get("bits").asInt(), o);
            sb.append("\nAnalog baseline / quantized net: energy per inference, latency and activation latency (ratios of the simulated figures)\n\n");
            ratioTable(sb, rows, ns, o -> String.format(Locale.ROOT, "%.1fx / %.2f / %s", o.get("energy_ratio").asDouble(),
                    o.get("latency_ratio").asDouble(), o.has("activation_latency_ratio") ? String.format(Locale.ROOT, "%.2f", o.get("activation_latency_ratio").asDouble()) : "-"));
            sb.append("\nQuantized net minus analog baseline, accuracy (points; paired, same images; 95 % interval)\n\n");
            ratioTable(sb, rows, ns, o -> String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]", 100 * o.get("difference").asDouble(),
                    100 * o.get("difference_ci95_low").asDouble(), 100 * o.get("difference_ci95_high").asDouble()));
        }
        return sb.toString();
    }

    /** A markdown table of comparisons: one row per pair, one column per length (empty when missing). */
    private static void ratioTable(StringBuilder sb, Map<String, Map<Integer, ObjectNode>> rows, int[] ns,
            java.util.function.Function<ObjectNode, String> cell) {
        sb.append("| analog / quantized |");
        for (int n : ns) sb.append(" N=").append(n).append(" |");
        sb.append("\n|---|");
        for (int n : ns) sb.append("---:|");
        sb.append('\n');
        rows.forEach((pair, row) -> {
            sb.append("| ").append(pair).append(" |");
            for (int n : ns) {
                ObjectNode o = row.get(n);
                sb.append(o == null ? " |" : " " + cell.apply(o) + " |");
            }
            sb.append('\n');
        });
    }

    /** A markdown table: one row per net, one column per length, {@code cell} of each point (empty when missing). */
    private static void table(StringBuilder sb, Map<String, Map<Integer, Sweep.Point>> t, int[] ns,
            java.util.function.Function<Sweep.Point, String> cell) {
        sb.append("| net |");
        for (int n : ns) sb.append(" N=").append(n).append(" |");
        sb.append("\n|---|");
        for (int n : ns) sb.append("---:|");
        sb.append('\n');
        t.forEach((net, row) -> {
            sb.append("| ").append(net).append(" |");
            for (int n : ns) {
                Sweep.Point p = row.get(n);
                sb.append(p == null ? " |" : " " + cell.apply(p) + " |");
            }
            sb.append('\n');
        });
    }

    static void plots(List<Sweep.Point> points, Path dir) {
        Map<String, List<Sweep.Point>> byNet = new LinkedHashMap<>();
        for (Sweep.Point p : points) byNet.computeIfAbsent(p.net().name(), k -> new ArrayList<>()).add(p);
        Plots.save(lines("Accuracy vs bitstream length", "bitstream length N", "accuracy (%)", byNet, p -> 100 * p.accuracy(), true),
                dir.resolve("accuracy_vs_bits.png"));
        Plots.save(lines("Energy per inference vs bitstream length", "bitstream length N", "energy per inference (pJ)", byNet,
                Sweep.Point::energyPj, true), dir.resolve("energy_vs_bits.png"));
        Plots.save(lines("Latency per inference vs bitstream length", "bitstream length N", "latency (ns)", byNet,
                Sweep.Point::latencyNs, true), dir.resolve("latency_vs_bits.png"));
        // accuracy against energy: every point, and the Pareto front (no other point is both cheaper and more accurate)
        XYChart c = new XYChartBuilder().width(900).height(600).title("Accuracy vs energy per inference (all nets and lengths)")
                .xAxisTitle("energy per inference (pJ)").yAxisTitle("accuracy (%)").build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        byNet.forEach((net, ps) -> c.addSeries(net, ps.stream().mapToDouble(Sweep.Point::energyPj).toArray(),
                ps.stream().mapToDouble(p -> 100 * p.accuracy()).toArray()));
        List<Sweep.Point> sorted = new ArrayList<>(points);
        sorted.sort((a, b) -> a.energyPj() != b.energyPj() ? Double.compare(a.energyPj(), b.energyPj()) : Double.compare(b.accuracy(), a.accuracy()));
        List<Sweep.Point> front = new ArrayList<>();
        double best = -1;
        for (Sweep.Point p : sorted) {
            if (p.accuracy() > best) {
                front.add(p);
                best = p.accuracy();
            }
        }
        if (front.size() >= 1) {
            XYSeries s = c.addSeries("Pareto front", front.stream().mapToDouble(Sweep.Point::energyPj).toArray(),
                    front.stream().mapToDouble(p -> 100 * p.accuracy()).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
        }
        Plots.save(c, dir.resolve("accuracy_vs_energy.png"));
    }

    private static XYChart lines(String title, String x, String y, Map<String, List<Sweep.Point>> byNet,
            java.util.function.ToDoubleFunction<Sweep.Point> f, boolean logX) {
        XYChart c = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setXAxisLogarithmic(logX);
        byNet.forEach((net, ps) -> {
            List<Sweep.Point> s = new ArrayList<>(ps);
            s.sort((a, b) -> Integer.compare(a.bits(), b.bits()));
            c.addSeries(net, s.stream().mapToDouble(Sweep.Point::bits).toArray(), s.stream().mapToDouble(f).toArray());
        });
        return c;
    }

    static String bitsList() {
        return Arrays.toString(DEFAULT_BITS);
    }
}
