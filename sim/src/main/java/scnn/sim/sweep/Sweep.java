package scnn.sim.sweep;

import scnn.core.model.Encoding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.generator.arch.ChipVariation;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.sim.EnergyModel;
import scnn.sim.InferenceRunner;
import scnn.sim.SimResult;

/**
 * A design-space sweep: every network at every bitstream length through the cycle-accurate
 * simulator. Each finished point is stored at once as {@code <dir>/points/<net>__N<bits>.json}
 * (atomically), with a key of everything that determines its result (the network's SHA-256,
 * the generated netlist's fingerprint, the revision of the event accounting, N, images, seed,
 * encoding, fold, device model, energy model); a later run with the same key
 * loads the point instead of recomputing it, so an interrupted sweep resumes where it stopped.
 */
public final class Sweep {
    /**
     * One network of the sweep: a display name, its weights file, a SHA-256 that identifies the
     * network (the CLI hashes it without its provenance) and the parsed network.
     */
    public record Net(String name, Path file, String sha256, Network network) {}

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path dir;
    private final List<Net> nets;
    private final int[] bits;
    private final int images;
    private final int threads;
    private final EnergyModel energy;
    private final Function<Integer, ScConfig> config;
    private final Builder builder;
    private String dataset;
    private int chips = 1;
    private double[] variations = {0};
    private double[] stuckRates = {0};

    /** Builds the hardware of a network for a configuration (the generator's builder). */
    public interface Builder {
        ScDesign build(Network net, ScConfig cfg);
    }

    public Sweep(Path dir, List<Net> nets, int[] bits, int images, int threads, EnergyModel energy,
            Function<Integer, ScConfig> config, Builder builder) {
        this.dir = dir;
        this.nets = List.copyOf(nets);
        this.bits = bits.clone();
        this.images = images;
        this.threads = threads;
        this.energy = energy;
        this.config = config;
        this.builder = builder;
    }

    /**
     * Names the test set when it is not MNIST (e.g. {@code fashion-mnist}, or a SHA-256 of the
     * images and labels of another directory): it becomes part of every point's key, so points
     * of one data set are never reused for another. MNIST points keep the key they had before.
     */
    public Sweep dataset(String name) {
        this.dataset = name;
        return this;
    }

    /**
     * Adds chip instances to the grid ({@code --chips K --variation s1,... --stuck-rate f1,...}): every
     * (variation, stuck rate) pair other than (0, 0) is simulated on {@code k} chips (chip seeds
     * 1..k, {@link ChipVariation}); the pair (0, 0) is the one ideal chip, the point of a sweep without
     * chips. Analog-baseline nets, for which variation is not built, get only the ideal chip.
     */
    public Sweep chips(int k, double[] variations, double[] stuckRates) {
        if (k < 1) throw new IllegalArgumentException("chips must be at least 1, got " + k);
        this.chips = k;
        this.variations = variations.clone();
        this.stuckRates = stuckRates.clone();
        return this;
    }

    /** Whether the grid has chip instances (a variation or a stuck rate other than 0). */
    public boolean hasChips() {
        for (double v : variations) for (double f : stuckRates) if (v != 0 || f != 0) return true;
        return false;
    }

    /** The chips of a (net, N) point: the ideal one and {@link #chips} chips per varied (variation, stuck rate) pair. */
    List<ChipVariation> chipsOf(Net net, int n) {
        List<ChipVariation> l = new ArrayList<>();
        for (double v : variations)
            for (double f : stuckRates) {
                if (v == 0 && f == 0) {
                    if (!l.contains(ChipVariation.IDEAL)) l.add(ChipVariation.IDEAL);
                } else {
                    for (int c = 1; c <= chips; c++) l.add(new ChipVariation(v, f, c));
                }
            }
        return l;
    }

    /** The file of one point. */
    public Path pointFile(Net net, int n) {
        return pointFile(net, n, ChipVariation.IDEAL);
    }

    /** The file of one point on chip {@code chip} (an ideal chip's is the file of a sweep without chips). */
    public Path pointFile(Net net, int n, ChipVariation chip) {
        String c = chip.ideal() ? "" : String.format(Locale.ROOT, "__v%s_f%s_c%d", num(chip.variation()), num(chip.stuckRate()), chip.chipSeed());
        return dir.resolve("points").resolve(scnn.core.io.OutputPolicy.fileComponent(net.name()) + "__N" + n + c + ".json");
    }

    private static String num(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    /** Everything a point's result depends on; a stored point is reused only when it matches. */
    ObjectNode key(Net net, int n, int k, ScDesign sd) {
        ScConfig c = sd.config();
        ObjectNode o = mapper.createObjectNode();
        o.put("network_sha256", net.sha256());
        o.put("design_sha256", sd.design().fingerprint());
        o.put("events_revision", InferenceRunner.EVENTS_REVISION);
        o.put("bits", n);
        o.put("images", k);
        o.put("seed", c.seed());
        Encoding enc = c.encoding();
        o.put("encoding", enc.key());
        o.put("fold", c.fold());
        o.put("clock_ns", c.device().clockNs());
        o.put("tau_corr_ns", c.device().tauCorrNs());
        o.put("replay", c.replay() == null ? "" : c.replay().name());
        o.set("energy_model", energy.toJson(mapper));
        if (dataset != null) o.put("dataset", dataset);
        if (c.weightSources() != scnn.generator.arch.WeightSources.LAYER) o.put("weight_sources", c.weightSources().key());
        if (!c.chip().ideal()) {
            o.put("variation", c.chip().variation());
            o.put("stuck_rate", c.chip().stuckRate());
            o.put("chip_seed", c.chip().chipSeed());
        }
        return o;
    }

    /** A finished point: its key, the simulator's results and the predictions (one digit per image). */
    public record Point(Net net, int bits, ObjectNode json, boolean reused, ChipVariation chip) {
        public Point(Net net, int bits, ObjectNode json, boolean reused) {
            this(net, bits, json, reused, ChipVariation.IDEAL);
        }

        public double accuracy() {
            return json.get("accuracy").asDouble();
        }

        public int images() {
            return json.get("images").asInt();
        }

        public double energyPj() {
            return json.get("energy_pj_per_inference").asDouble();
        }

        public double latencyNs() {
            return json.get("latency_ns").asDouble();
        }

        public int cycles() {
            return json.get("cycles_per_inference").asInt();
        }

        /** "quantized" or "analog" (the architecture the point's design was built with). */
        public String arch() {
            return json.path("arch").asText("quantized");
        }

        public int hiddenLayers() {
            return json.get("hidden_layers").asInt();
        }

        /** Cycles from a hidden layer's last accumulate cycle to its outputs' first stream bit. */
        public int activationLatencyCycles() {
            return json.path("activation_latency_cycles").asInt(0);
        }

        /** Predicted class of every image, in test-set order. */
        public String predictions() {
            return json.get("predictions").asText();
        }
    }

    /**
     * Runs every (net, N) point not already stored, in the order lengths x nets; {@code progress}
     * counts millions of synapse-bit operations (synapses x N x images) over the whole sweep (stored
     * points count as done at once). The points are computed on this machine's thread pool.
     */
    public List<Point> run(MnistSet test, Progress progress) {
        return run(test, progress, LOCAL);
    }

    /**
     * One point to compute: its place in the sweep's order, the net, N, the image count, the
     * built design and the key it is stored under.
     */
    public record Task(int index, Net net, int bits, int images, ScDesign design, ObjectNode key) {
        /** The generation options of the point (its chip included). */
        public ScConfig config() {
            return design.config();
        }

        /** The chip of the point. */
        public ChipVariation chip() {
            return design.config().chip();
        }

        /** The work of the point in millions of synapse-bit operations (the progress unit). */
        public long work() {
            return Sweep.work(net, bits, images);
        }
    }

    /**
     * Computes the points of a sweep: the local thread pool ({@link #LOCAL}) or a cluster (the
     * {@code spark} module). An executor hands each finished point to {@code done} (from any
     * thread, in any order) as soon as it has it, so that it is stored at once.
     */
    public interface Executor {
        void run(Sweep sweep, List<Task> tasks, MnistSet test, Progress progress, java.util.function.BiConsumer<Task, ObjectNode> done);
    }

    /**
     * An executor found with {@link java.util.ServiceLoader} (the {@code spark} module provides
     * {@code spark}), so that the sweep does not depend on the cluster's libraries.
     */
    public interface ExecutorProvider {
        /** The name that selects it (e.g. {@code spark}). */
        String name();

        /** An executor for {@code master} (e.g. a Spark master URL such as {@code local[2]}). */
        Executor create(String master);
    }

    /** The provider named {@code name} on the class path, or null. */
    public static ExecutorProvider provider(String name) {
        for (ExecutorProvider p : java.util.ServiceLoader.load(ExecutorProvider.class))
            if (p.name().equals(name)) return p;
        return null;
    }

    /** The points one after the other, each on the sweep's worker threads. */
    public static final Executor LOCAL = (sweep, tasks, test, progress, done) -> {
        for (Task t : tasks) {
            progress.status(t.net().name() + " N=" + t.bits() + (t.chip().ideal() ? "" : " " + t.chip()));
            done.accept(t, simulate(t.design(), test, t.images(), sweep.threads, sweep.energy,
                    inner(progress, (long) t.bits() * t.net().network().synapses(), t.work())));
        }
    };

    /**
     * The simulated figures of one point: {@link SimResult#toJson} with the predicted class of every
     * image as a string of digits. A pure function of the design, the images and the energy model
     * (the threads change only the {@code performance} timings).
     */
    public static ObjectNode simulate(ScDesign sd, MnistSet test, int images, int threads, EnergyModel energy, Progress progress) {
        SimResult r = new InferenceRunner(sd).run(test, images, threads, energy, progress);
        ObjectNode o = r.toJson(new ObjectMapper(), false);
        StringBuilder sb = new StringBuilder(r.images);
        for (int p : r.predictions) sb.append((char) ('0' + p));
        o.put("predictions", sb.toString());
        return o;
    }

    /** {@link #run(MnistSet, Progress)} with the points computed by {@code executor}. */
    public List<Point> run(MnistSet test, Progress progress, Executor executor) {
        int k = Math.min(images, test.size());
        // progress in millions of synapse-bit operations (synapses x N x images): the work of a
        // point grows with N and with the net's size
        long total = 0;
        int count = 0;
        for (int n : bits)
            for (Net net : nets) {
                int c = chipsOf(net, n).size();
                total += c * work(net, n, k);
                count += c;
            }
        progress.start("sweep (M synapse-bit-ops)", total);
        Point[] out = new Point[count];
        try {
            // lengths outer, nets inner, chips innermost: an interrupted sweep has every net at the short lengths
            List<Task> tasks = new ArrayList<>();
            int idx = 0;
            for (int n : bits) {
                for (Net net : nets) {
                    for (ChipVariation chip : chipsOf(net, n)) {
                        ScDesign sd = builder.build(net.network(), config.apply(n).withChip(chip));
                        ObjectNode key = key(net, n, k, sd);
                        ObjectNode stored = load(pointFile(net, n, chip), key);
                        if (stored != null) {
                            out[idx] = new Point(net, n, stored, true, chip);
                            progress.advance(work(net, n, k));
                        } else {
                            tasks.add(new Task(idx, net, n, k, sd, key));
                        }
                        idx++;
                    }
                }
            }
            executor.run(this, tasks, test, progress, (t, sim) -> {
                ObjectNode o = store(t, sim);
                synchronized (out) {
                    out[t.index()] = new Point(t.net(), t.bits(), o, false, t.chip());
                }
            });
        } finally {
            progress.finish();
        }
        List<Point> l = new ArrayList<>();
        for (Point p : out) {
            if (p == null) throw new ScnnException(dir + ": the sweep's executor left a point uncomputed");
            l.add(p);
        }
        return l;
    }

    /** Completes a computed point with the net's facts, the interval and its key, and stores it atomically. */
    private ObjectNode store(Task t, ObjectNode sim) {
        ObjectNode o = sim.deepCopy();
        String predictions = o.remove("predictions").asText();
        Net net = t.net();
        o.put("net", net.name());
        o.put("weights", net.file().toString());
        o.put("levels", net.network().levels());
        o.put("hidden_layers", net.network().layers().size() - 1);
        o.put("shape", net.network().shape());
        if (!t.chip().ideal()) {
            o.put("variation", t.chip().variation());
            o.put("stuck_rate", t.chip().stuckRate());
            o.put("chip_seed", t.chip().chipSeed());
        }
        ObjectNode ci = o.putObject("accuracy_ci95");
        double[] w = wilson(o.get("correct").asLong(), o.get("images").asLong());
        ci.put("low", w[0]);
        ci.put("high", w[1]);
        o.put("predictions", predictions);
        o.set("key", t.key());
        try {
            AtomicFiles.writeString(pointFile(net, t.bits(), t.chip()), mapper.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new ScnnException(dir + ": cannot write sweep results (" + e.getMessage() + ")");
        }
        return o;
    }

    /** The sweep's worker threads per point (on this machine). */
    public int threads() {
        return threads;
    }

    /** The energy model of every point. */
    public EnergyModel energy() {
        return energy;
    }

    /** The configuration of the points of length {@code n}. */
    public ScConfig config(int n) {
        return config.apply(n);
    }

    /** A stored point with the same key, or null (missing, unreadable or made with other settings). */
    private ObjectNode load(Path f, ObjectNode key) {
        if (!Files.isRegularFile(f)) return null;
        try {
            JsonNode j = mapper.readTree(f.toFile());
            // compare as text: a stored long reads back as an int node, which equals() tells apart
            if (j instanceof ObjectNode o && o.hasNonNull("key") && o.hasNonNull("predictions")
                    && mapper.writeValueAsString(key).equals(mapper.writeValueAsString(o.get("key")))) return o;
        } catch (IOException e) {
            // a damaged point (e.g. from an older version) is simply recomputed
        }
        return null;
    }

    /** A point's work in millions of synapse-bit operations (the progress unit). */
    private static long work(Net net, int bits, int images) {
        return (long) images * bits * net.network().synapses() / 1_000_000L;
    }

    /**
     * Forwards a point's image counts to the sweep's progress, as millions of synapse-bit operations
     * ({@code perImage} operations per image; the remainder carried, so a point adds exactly
     * {@code points}), and ignores the runner's own start/finish.
     */
    private static Progress inner(Progress outer, long perImage, long points) {
        return new Progress() {
            long ops, sent;

            @Override public void start(String task, long total) {}

            // synchronized: the runner's worker threads report their images concurrently (a race here
            // once advanced a point past its share, and the sweep's total past 100 %)
            @Override public synchronized void advance(long n) {
                ops += n * perImage;
                long now = Math.min(points, ops / 1_000_000L);
                outer.advance(now - sent);
                sent = now;
            }

            @Override public void finish() {}
        };
    }

    /** Wilson score interval (95 %) of a proportion. */
    public static double[] wilson(long correct, long n) {
        double z = 1.959963984540054, p = (double) correct / n, z2 = z * z;
        double c = (p + z2 / (2 * n)) / (1 + z2 / n);
        double h = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] {c - h, c + h};
    }

    /**
     * Paired comparison of two points on the same images: the accuracy difference a - b and its 95 %
     * confidence interval from the discordant pairs (images one gets right and the other wrong):
     * var(d) = ((n10 + n01) / n - d^2) / n.
     */
    public static double[] pairedDifference(String predA, String predB, MnistSet test) {
        int n = Math.min(predA.length(), predB.length());
        long n10 = 0, n01 = 0;
        for (int i = 0; i < n; i++) {
            boolean a = predA.charAt(i) - '0' == test.label(i), b = predB.charAt(i) - '0' == test.label(i);
            if (a && !b) n10++;
            if (b && !a) n01++;
        }
        double d = (double) (n10 - n01) / n;
        double var = ((double) (n10 + n01) / n - d * d) / n;
        double h = 1.959963984540054 * Math.sqrt(Math.max(0, var));
        return new double[] {d, d - h, d + h, n10, n01};
    }

    /** The rows of results.csv (with chips: three more columns, variation, stuck_rate and chip_seed). */
    public static String csv(List<Point> points) {
        StringBuilder sb = new StringBuilder();
        boolean chips = points.stream().anyMatch(p -> !p.chip().ideal());
        sb.append("net,hidden_layers,levels,bits,images,accuracy,accuracy_ci95_low,accuracy_ci95_high,cycles_per_inference,latency_ns,energy_pj_per_inference,smtj_flips_per_inference,synapse_bit_ops_per_s")
                .append(chips ? ",variation,stuck_rate,chip_seed\n" : "\n");
        for (Point p : points) {
            JsonNode j = p.json();
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.4f,%.4f,%.4f,%d,%.1f,%.2f,%.1f,%.4g", p.net().name(),
                    j.get("hidden_layers").asInt(), j.get("levels").asInt(), p.bits(), p.images(), p.accuracy(),
                    j.get("accuracy_ci95").get("low").asDouble(), j.get("accuracy_ci95").get("high").asDouble(), p.cycles(),
                    p.latencyNs(), p.energyPj(), j.get("switching_events").get("smtj_flips").asDouble(),
                    j.get("performance").get("synapse_bit_ops_per_s").asDouble()));
            if (chips) sb.append(String.format(Locale.ROOT, ",%s,%s,%s", p.chip().variation(), p.chip().stuckRate(),
                    p.chip().ideal() ? "" : Long.toString(p.chip().chipSeed())));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** results.json: the settings, every point (without its predictions) and the paired twin comparisons. */
    /**
     * Every analog-baseline point against every quantized point with the same number of hidden
     * layers, length and images: the ratios analog / quantized of energy per inference, latency and
     * activation latency (all from the simulated events and cycles), and both accuracies with the
     * paired difference (quantized minus analog) and its 95 % interval.
     */
    public List<ObjectNode> baselines(List<Point> points, MnistSet test) {
        List<ObjectNode> out = new ArrayList<>();
        for (Point a : points) {
            if (!a.arch().equals("analog") || !a.chip().ideal()) continue;
            for (Point q : points) {
                if (!q.chip().ideal() || !q.arch().equals("quantized") || q.hiddenLayers() != a.hiddenLayers() || q.bits() != a.bits() || q.images() != a.images()) continue;
                ObjectNode o = mapper.createObjectNode();
                o.put("analog", a.net().name());
                o.put("quantized", q.net().name());
                o.put("bits", a.bits());
                o.put("images", a.images());
                o.put("energy_pj_analog", a.energyPj());
                o.put("energy_pj_quantized", q.energyPj());
                o.put("energy_ratio", a.energyPj() / q.energyPj());
                o.put("latency_ratio", (double) a.cycles() / q.cycles());
                o.put("activation_latency_cycles_analog", a.activationLatencyCycles());
                o.put("activation_latency_cycles_quantized", q.activationLatencyCycles());
                if (q.activationLatencyCycles() > 0)
                    o.put("activation_latency_ratio", (double) a.activationLatencyCycles() / q.activationLatencyCycles());
                o.put("accuracy_analog", a.accuracy());
                o.put("accuracy_quantized", q.accuracy());
                double[] d = pairedDifference(q.predictions(), a.predictions(), test);
                o.put("difference", d[0]);
                o.put("difference_ci95_low", d[1]);
                o.put("difference_ci95_high", d[2]);
                out.add(o);
            }
        }
        return out;
    }

    /**
     * The Monte Carlo over chips: per (net, N, variation, stuck rate) the accuracy over its chips
     * (mean, standard deviation, min, median, max), a 95 % interval across chips (Student's t on the
     * chips' accuracies: where the mean over all chips of this kind lies, given the chip-to-chip
     * spread), and the binomial one (Wilson, of all the chips' images pooled: the test set's sampling
     * noise alone); the ideal chip is the row of variation 0 and stuck rate 0 (one chip). Empty when
     * the sweep has no chips.
     */
    public List<ObjectNode> chipSummary(List<Point> points) {
        List<ObjectNode> out = new ArrayList<>();
        if (!hasChips()) return out;
        java.util.Map<String, List<Point>> groups = new java.util.LinkedHashMap<>();
        for (Point p : points)
            groups.computeIfAbsent(p.net().name() + "|" + p.bits() + "|" + p.chip().variation() + "|" + p.chip().stuckRate(), x -> new ArrayList<>()).add(p);
        for (List<Point> g : groups.values()) {
            Point p0 = g.get(0);
            double[] acc = g.stream().mapToDouble(Point::accuracy).sorted().toArray();
            int k = acc.length;
            double mean = java.util.Arrays.stream(acc).average().orElse(0), ss = 0;
            for (double a : acc) ss += (a - mean) * (a - mean);
            double sd = k > 1 ? Math.sqrt(ss / (k - 1)) : 0;
            double median = k % 2 == 1 ? acc[k / 2] : (acc[k / 2 - 1] + acc[k / 2]) / 2;
            long correct = 0, images = 0, stuck = 0;
            double energy = 0;
            for (Point p : g) {
                correct += p.json().get("correct").asLong();
                images += p.images();
                energy += p.energyPj() / k;
                stuck += p.json().path("chip").path("stuck_devices").asLong(0);
            }
            ObjectNode o = mapper.createObjectNode();
            o.put("net", p0.net().name());
            o.put("bits", p0.bits());
            o.put("variation", p0.chip().variation());
            o.put("stuck_rate", p0.chip().stuckRate());
            o.put("chips", k);
            o.put("images", p0.images());
            o.put("accuracy_mean", mean);
            o.put("accuracy_sd", sd);
            o.put("accuracy_min", acc[0]);
            o.put("accuracy_median", median);
            o.put("accuracy_max", acc[k - 1]);
            ObjectNode ci = o.putObject("chips_ci95");
            double h = k > 1 ? tQuantile975(k - 1) * sd / Math.sqrt(k) : 0;
            ci.put("low", Math.max(0, mean - h));
            ci.put("high", Math.min(1, mean + h));
            double[] w = wilson(correct, images);
            ObjectNode bi = o.putObject("binomial_ci95");
            bi.put("low", w[0]);
            bi.put("high", w[1]);
            o.put("stuck_devices_mean", (double) stuck / k);
            o.put("energy_pj_mean", energy);
            ArrayNode a = o.putArray("chip_accuracies");
            for (Point p : g) a.add(p.accuracy());
            out.add(o);
        }
        return out;
    }

    /** The 97.5 % quantile of Student's t with {@code df} degrees of freedom (table to 30, then the Cornish-Fisher expansion). */
    static double tQuantile975(int df) {
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
        if (df <= t.length) return t[df - 1];
        double z = 1.959963984540054, z3 = z * z * z, z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
    }

    public ObjectNode summary(List<Point> points, List<ObjectNode> twins, List<ObjectNode> baselines) {
        ObjectNode o = mapper.createObjectNode();
        o.put("format", "scnn-sweep/1");
        ArrayNode bs = o.putArray("bits");
        for (int b : bits) bs.add(b);
        o.put("images", images);
        ArrayNode ns = o.putArray("nets");
        for (Net n : nets) ns.addObject().put("name", n.name()).put("weights", n.file().toString()).put("network_sha256", n.sha256());
        ArrayNode ps = o.putArray("points");
        for (Point p : points) {
            ObjectNode c = p.json().deepCopy();
            c.remove("predictions");
            ps.add(c);
        }
        ArrayNode tw = o.putArray("twins");
        twins.forEach(tw::add);
        ArrayNode bl = o.putArray("analog_baseline");
        baselines.forEach(bl::add);
        if (hasChips()) {
            ObjectNode cg = o.putObject("chip_grid");
            cg.put("chips", chips);
            ArrayNode va = cg.putArray("variation");
            for (double v : variations) va.add(v);
            ArrayNode fa = cg.putArray("stuck_rate");
            for (double f : stuckRates) fa.add(f);
            ArrayNode cs = o.putArray("chips");
            chipSummary(points).forEach(cs::add);
        }
        o.put("points_seconds", pointSeconds(points));
        return o;
    }

    /**
     * The simulation time of the points, reused or not: the sum of each point's compile and run
     * seconds as measured when it was computed (what a fresh sweep of them costs on that machine).
     */
    public static double pointSeconds(List<Point> points) {
        double t = 0;
        for (Point p : points) {
            JsonNode perf = p.json().path("performance");
            t += perf.path("wall_s").asDouble(0) + perf.path("compile_s").asDouble(0);
        }
        return t;
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
