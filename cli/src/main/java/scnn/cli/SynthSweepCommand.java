package scnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.core.io.UsageException;
import scnn.core.mnist.MnistSet;
import scnn.core.weights.Activation;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.synth.Activity;
import scnn.generator.synth.Liberty;
import scnn.generator.synth.YosysSynth;
import scnn.generator.verilog.RtlWriter;

@Command(name = "synth-sweep", mixinStandardHelpOptions = true,
        description = "The area-latency trade-off: for every net and fold, generate the RTL, synthesize it to standard cells "
                + "(area, fmax, power from the simulated activity) and for Xilinx 7-series (LUTs), and tabulate area, fmax, latency at fmax "
                + "and at the s-MTJ period, logic energy (library and event model), s-MTJ energy and LUTs. Writes results.md, results.json "
                + "and area_latency.png into --out; finished points are kept under <out>/points/ and reused while scnn generates the same RTL "
                + "for them (its SHA-256) with the same --images and library. The s-MTJ cells are "
                + "black boxes (the device macro of an ASIC flow): area, cells and LUTs are the logic around them.")
final class SynthSweepCommand implements Callable<Integer> {
    @Option(names = "--weights", paramLabel = "W", split = ",", description = "Weights files (default: weights/mnist-1h-L5-sc.json,weights/mnist-3h-L5-sc.json).")
    List<Path> weights;

    @Option(names = "--bits", paramLabel = "N", defaultValue = "100", description = "Bitstream length (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--fold", paramLabel = "F", split = ",", defaultValue = "1,4,16,64", description = "Folds (default: ${DEFAULT-VALUE}).")
    List<Integer> folds;

    @Option(names = "--hidden", paramLabel = "H",
            description = "Keep only the first H neurons of every hidden layer (a smaller net of the same kind, for the scaling with size).")
    Integer hidden;

    @Option(names = "--liberty", paramLabel = "LIB", defaultValue = "osu018", description = "Standard-cell library (default: ${DEFAULT-VALUE}).")
    String liberty;

    @Option(names = "--no-xc7", description = "Skip the Xilinx 7-series synthesis.")
    boolean noXc7;

    @Option(names = "--images", paramLabel = "K", defaultValue = "64", description = "Test images simulated for the activity (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--timeout", paramLabel = "MIN", defaultValue = "60", description = "Time limit of each tool run in minutes (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: results/synth/).")
    Path out;

    @Option(names = "--fresh", description = "Recompute every point.")
    boolean fresh;

    @Option(names = "--stored", description = "Measure nothing: tabulate the stored points that are current and list the others.")
    boolean storedOnly;

    @Option(names = "--jobs", paramLabel = "J", defaultValue = "1",
            description = "Yosys sessions at once (1 or 2, default: ${DEFAULT-VALUE}): with 2 and an xc7 synthesis, synth_xilinx runs beside "
                    + "the standard-cell mapping (the 3h net's point: 35 instead of 54 minutes, but 13.8 instead of 9.5 GB at once); 1 runs them one after the other. "
                    + "The figures are the same.")
    int jobs;

    @Mixin DataOptions data;

    @Mixin ForceOption force;

    @Override
    public Integer call() throws IOException {
        if (bits < 1) throw new UsageException("--bits must be at least 1");
        if (jobs < 1 || jobs > 2) throw new UsageException("--jobs must be 1 or 2, got " + jobs);
        for (int f : folds) if (f < 1 || Integer.bitCount(f) != 1) throw new UsageException("--fold must be powers of two, got " + f);
        if (hidden != null && hidden < 1) throw new UsageException("--hidden must be at least 1");
        if (fresh && storedOnly) throw new UsageException("--fresh and --stored exclude each other");
        List<Path> ws = weights != null ? weights
                : List.of(Paths.root().resolve("weights/mnist-1h-L5-sc.json"), Paths.root().resolve("weights/mnist-3h-L5-sc.json"));
        Path dir = out != null ? out : Paths.root().resolve("results/synth");
        Path lib = Liberty.resolve(liberty);
        MnistSet test = data.files().test();
        scnn.core.io.OutputPolicy.claimDirectory(dir, force.replace(), "synth-sweep");
        Files.createDirectories(dir.resolve("points"));
        ArrayNode rows = Json.MAPPER.createArrayNode();
        List<String> missing = new ArrayList<>();
        for (Path w : ws) {
            Network net = truncate(WeightsIO.read(w), hidden);
            for (int f : folds) {
                String id = net.name() + "-N" + bits + "-f" + f;
                Path point = dir.resolve("points").resolve(id + ".json");
                if (storedOnly && !Files.isRegularFile(point)) {
                    System.err.println("scnn: synth-sweep: " + id + ": left out (not measured)");
                    missing.add(id);
                    continue;
                }
                long t0 = System.nanoTime();
                ScDesign sd;
                try {
                    sd = ScBuilder.build(net, ScConfig.of(bits).withFold(f), ScBuilder.topName(net.name()));
                } catch (IllegalArgumentException e) {
                    throw new ScnnException(w + ": " + e.getMessage());
                }
                Map<String, Object> facts = new java.util.TreeMap<>(sd.manifestFacts());
                facts.put("smtj_cell", "blackbox");
                // the s-MTJs are devices, not logic: black boxes (area 0), their energy the event model's device column
                Map<String, String> files = RtlWriter.render(sd.design(), List.of(), facts, java.util.Set.of(ScDesign.SMTJ_CELL));
                String digest = RtlWriter.digest(files);
                if (!fresh && Files.isRegularFile(point)) {
                    JsonNode stored = Json.MAPPER.readTree(point.toFile());
                    String why = notReusable(stored, digest, images, lib, !noXc7);
                    if (why == null) {
                        rows.add(stored);
                        System.err.println("scnn: synth-sweep: " + id + " (stored)");
                        continue;
                    }
                    if (storedOnly) {
                        System.err.println("scnn: synth-sweep: " + id + ": left out (" + why + ")");
                        missing.add(id);
                        continue;
                    }
                    System.err.println("scnn: synth-sweep: " + id + ": the stored point is measured again (" + why + ")");
                } else {
                    System.err.println("scnn: synth-sweep: " + id);
                }
                Path rtl = dir.resolve("rtl").resolve(id);
                RtlWriter.write(files, rtl, scnn.core.io.OutputPolicy.Replace.OWN);
                Activity a = SynthActivity.measure(sd, test, images, 2, false);
                YosysSynth.Options opt = YosysSynth.Options.defaults().withPnr(false).withTimeout(Duration.ofMinutes(timeoutMinutes))
                        .withLiberty(lib).withActivity(a).withXc7(!noXc7)
                        .withJobs(jobs);
                Map<String, Object> r = YosysSynth.run(rtl, opt);
                ObjectNode row = row(id, net, sd, Json.MAPPER.valueToTree(r));
                row.put("rtl_sha256", digest);
                row.put("images", images);
                row.put("liberty", lib.getFileName().toString());
                row.put("seconds", (System.nanoTime() - t0) / 1e9);
                AtomicFiles.writeString(point, Json.MAPPER.writeValueAsString(row) + "\n");
                rows.add(row);
            }
        }
        ObjectNode res = Json.MAPPER.createObjectNode();
        res.put("bits", bits);
        res.put("liberty", lib.toString());
        res.set("points", rows);
        res.set("missing", Json.MAPPER.valueToTree(missing));
        AtomicFiles.writeString(dir.resolve("results.json"), Json.MAPPER.writeValueAsString(res) + "\n");
        String md = table(rows, bits);
        if (!missing.isEmpty()) md += "\nNot in the table (no current stored point; measured by the same command without --stored): "
                + String.join(", ", missing) + ".\n";
        AtomicFiles.writeString(dir.resolve("results.md"), md);
        plot(rows, dir.resolve("area_latency.png"));
        System.out.print(md);
        System.out.println("wrote " + dir.resolve("results.md") + ", results.json, area_latency.png");
        return 0;
    }

    /**
     * Why a stored point does not stand for the point asked for, or null: it was measured on other
     * RTL (its {@code rtl_sha256}, {@link RtlWriter#digest}), with another number of activity images
     * or another library, or without the xc7 figures now asked for.
     */
    static String notReusable(JsonNode stored, String digest, int images, Path lib, boolean xc7) {
        if (!stored.hasNonNull("rtl_sha256")) return "it does not record the digest of its RTL";
        if (!stored.path("rtl_sha256").asText().equals(digest)) return "the RTL scnn generates for it has changed";
        if (stored.path("images").asInt(-1) != images) return "it was simulated on " + stored.path("images").asInt() + " images, not " + images;
        if (!stored.path("liberty").asText().equals(lib.getFileName().toString()))
            return "it was mapped to " + stored.path("liberty").asText() + ", not " + lib.getFileName();
        if (xc7 && !stored.has("xc7_luts")) return "it has no xc7 figures";
        return null;
    }

    /** The first {@code h} neurons of every hidden layer (and the matching inputs of the layer after it). */
    static Network truncate(Network n, Integer h) {
        if (h == null) return n;
        List<Layer> out = new ArrayList<>();
        int in = n.inputSize();
        for (int k = 0; k < n.layers().size(); k++) {
            Layer l = n.layers().get(k);
            boolean last = k == n.layers().size() - 1;
            int outs = last ? l.outputs() : Math.min(h, l.outputs());
            byte[] codes = new byte[outs * in];
            for (int o = 0; o < outs; o++)
                for (int i = 0; i < in; i++) codes[o * in + i] = (byte) l.code(o, i);
            double[] bias = null;
            if (l.hasBias()) {
                bias = new double[outs];
                for (int o = 0; o < outs; o++) bias[o] = l.bias(o);
            }
            out.add(new Layer(in, outs, codes, l.scale(), bias, l.activation()));
            in = outs;
        }
        return new Network(n.name() + "-h" + h, n.levels(), n.levelValues(), n.inputSize(), n.pixelScale(), out, null);
    }

    private static ObjectNode row(String id, Network net, ScDesign sd, JsonNode r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        JsonNode asic = r.path("asic"), t = asic.path("timing"), p = asic.path("power"), c = asic.path("energy_comparison");
        int cycles = sd.cyclesPerInference();
        double smtjNs = sd.config().device().clockNs();
        double fmax = t.path("fmax_mhz").asDouble(), minNs = 1000.0 / fmax;
        double clockNs = Math.max(minNs, smtjNs);
        o.put("id", id);
        o.put("network", net.name());
        o.put("shape", net.shape());
        o.put("bits", sd.config().bits());
        o.put("fold", sd.config().fold());
        o.put("cycles_per_inference", cycles);
        o.put("area_um2", asic.path("area_um2").asDouble());
        o.put("flip_flops", asic.path("flip_flops").asLong());
        o.put("cells", asic.path("cells").asLong());
        o.put("fmax_mhz", fmax);
        o.put("latency_at_fmax_ns", cycles * minNs);
        o.put("latency_at_smtj_ns", cycles * smtjNs);
        o.put("clock_ns", clockNs);
        o.put("latency_ns", cycles * clockNs);
        double dyn = p.path("dynamic_energy_pj_per_inference").asDouble(), leakW = p.path("leakage_w").asDouble();
        // dynamic energy per inference does not depend on the period (activity is per cycle); leakage does
        o.put("library_logic_pj", dyn + leakW * cycles * clockNs * 1e-9 * 1e12);
        o.put("event_model_logic_pj", c.path("event_model_logic_pj").asDouble());
        o.put("smtj_pj", c.path("event_model_device_pj").asDouble());
        JsonNode x = r.path("fpga").path("xc7");
        if (!x.isMissingNode()) {
            o.put("xc7_luts", x.path("luts").asLong() + x.path("lutram_luts").asLong());
            o.put("xc7_flip_flops", x.path("flip_flops").asLong());
            o.put("xc7_part", x.path("smallest_part").isNull() ? "none" : x.path("smallest_part").asText());
        }
        o.put("black_boxes", asic.path("black_boxes").asLong());
        o.put("yosys_seconds", r.path("yosys_seconds").asDouble());
        o.put("sta_seconds", asic.path("seconds").asDouble());
        return o;
    }

    static String table(ArrayNode rows, int bits) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Area-latency trade-off at N = %d (OSU 0.18 um, 1.8 V; latency at fmax and at the 10 ns s-MTJ period, the "
                + "slower of the two sets the clock; energies per inference)%n%n", bits));
        sb.append("| net | shape | fold | cycles | area (mm^2) | fmax (MHz) | latency at fmax (ns) | latency at s-MTJ period (ns) | clock (ns) | "
                + "logic energy, library (pJ) | logic energy, event model (pJ) | s-MTJ energy (pJ) | xc7 LUTs | smallest xc7 part |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (JsonNode r : rows)
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %.3f | %.1f | %,.0f | %,.0f | %.2f | %,.1f | %,.1f | %,.1f | %s | %s |%n",
                    r.path("network").asText(), r.path("shape").asText(), r.path("fold").asInt(), r.path("cycles_per_inference").asInt(),
                    r.path("area_um2").asDouble() / 1e6, r.path("fmax_mhz").asDouble(), r.path("latency_at_fmax_ns").asDouble(),
                    r.path("latency_at_smtj_ns").asDouble(), r.path("clock_ns").asDouble(), r.path("library_logic_pj").asDouble(),
                    r.path("event_model_logic_pj").asDouble(), r.path("smtj_pj").asDouble(),
                    r.has("xc7_luts") ? String.format(Locale.ROOT, "%,d", r.path("xc7_luts").asLong()) : "-", r.path("xc7_part").asText("-")));
        return sb.toString();
    }

    /**
     * Area against latency (each axis logarithmic when the points span a decade): one marker shape per net, the colour the quarter
     * (on a log scale) of the library logic energy per inference the point falls in, every point
     * labelled with its net and fold.
     */
    static void plot(ArrayNode rows, Path file) {
        XYChart ch = new XYChartBuilder().width(900).height(600).title("Area against latency (colour: library logic energy per inference)")
                .xAxisTitle("latency per inference (ns)").yAxisTitle("area (mm^2, OSU 0.18 um)").build();
        // logarithmic where the points span a decade or more (below that a log axis has no tick labels)
        boolean logX = span(rows, r -> r.path("latency_ns").asDouble()) >= 10;
        ch.getStyler().setXAxisLogarithmic(logX);
        ch.getStyler().setYAxisLogarithmic(span(rows, r -> r.path("area_um2").asDouble()) >= 10);
        ch.getStyler().setXAxisDecimalPattern("#,##0");
        ch.getStyler().setYAxisDecimalPattern("#,##0.0");
        ch.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        ch.getStyler().setMarkerSize(12);
        List<Double> es = new ArrayList<>();
        for (JsonNode r : rows) es.add(r.path("library_logic_pj").asDouble());
        if (es.isEmpty()) return;
        double lo = es.stream().mapToDouble(Double::doubleValue).min().orElse(0), hi = es.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        java.awt.Color[] colours = {new java.awt.Color(0x2c7bb6), new java.awt.Color(0xabd9e9), new java.awt.Color(0xfdae61), new java.awt.Color(0xd7191c)};
        org.knowm.xchart.style.markers.Marker[] shapes = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE,
                SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};
        List<String> nets = new ArrayList<>();
        for (JsonNode r : rows) if (!nets.contains(r.path("network").asText())) nets.add(r.path("network").asText());
        int bins = colours.length;
        for (int ni = 0; ni < nets.size(); ni++)
            for (int b = 0; b < bins; b++) {
                double a = energyEdge(lo, hi, b, bins), z = energyEdge(lo, hi, b + 1, bins);
                List<Double> x = new ArrayList<>(), y = new ArrayList<>();
                for (JsonNode r : rows) {
                    double e = r.path("library_logic_pj").asDouble();
                    if (r.path("network").asText().equals(nets.get(ni)) && energyBin(e, lo, hi, bins) == b) {
                        x.add(r.path("latency_ns").asDouble());
                        y.add(r.path("area_um2").asDouble() / 1e6);
                    }
                }
                if (x.isEmpty()) continue;
                XYSeries s = ch.addSeries(String.format(Locale.ROOT, "%s, %s-%s uJ", nets.get(ni), uj(a), uj(z)), x, y);
                s.setMarker(shapes[ni % shapes.length]);
                s.setMarkerColor(colours[b]);
            }
        double xLo = Double.POSITIVE_INFINITY, xHi = 0;
        for (JsonNode r : rows) {
            xLo = Math.min(xLo, r.path("latency_ns").asDouble());
            xHi = Math.max(xHi, r.path("latency_ns").asDouble());
        }
        for (JsonNode r : rows) {
            double x = r.path("latency_ns").asDouble();
            ch.addAnnotation(new org.knowm.xchart.AnnotationText(shortName(r.path("network").asText()) + " f" + r.path("fold").asInt(),
                    logX ? x * 1.12 : x + 0.04 * Math.max(xHi - xLo, x * 0.1), r.path("area_um2").asDouble() / 1e6, false));
        }
        Plots.save(ch, file);
    }

    /** Largest over smallest positive value of {@code f} over the rows (1 when there are none). */
    static double span(ArrayNode rows, java.util.function.ToDoubleFunction<JsonNode> f) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (JsonNode r : rows) {
            double v = f.applyAsDouble(r);
            if (v > 0) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return hi > 0 ? hi / lo : 1;
    }

    /** The lower edge of energy quarter {@code b} of [lo, hi] on a log scale. */
    static double energyEdge(double lo, double hi, int b, int bins) {
        double l = Math.max(lo, 1e-12);
        return l * Math.pow(Math.max(hi, l) / l, (double) b / bins);
    }

    /** The energy quarter (0 .. bins-1, on a log scale of [lo, hi]) of {@code e}. */
    static int energyBin(double e, double lo, double hi, int bins) {
        for (int b = bins - 1; b > 0; b--) if (e >= energyEdge(lo, hi, b, bins) * (1 - 1e-9)) return b;
        return 0;
    }

    private static String uj(double pj) {
        return String.format(Locale.ROOT, "%.3g", pj / 1e6);
    }

    /** {@code 1h} of {@code mnist-1h-L5-sc}: the part between the first two dashes, or the whole name. */
    static String shortName(String net) {
        String[] p = net.split("-");
        return p.length >= 3 ? p[1] : net;
    }
}
