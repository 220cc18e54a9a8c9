package scnn.generator.arch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * One chip: device-to-device variation and stuck-at faults of its s-MTJs, drawn once per chip.
 *
 * <h2>The model</h2>
 * <ul>
 *   <li><b>Bias offset.</b> Device i has an offset {@code delta_i} of its sigmoid, in units of the
 *       sigmoid's width (the width is {@code iWidthUa} of {@link SmtjModel}, or {@code Ic / (2 Delta)}
 *       with device physics): a device that the calibration biases for P(1) = p gives
 *       {@code p_i = 1 / (1 + exp(-(logit p + delta_i)))}. {@code delta_i = sigma q_i / 16} with
 *       {@code q_i = round(16 z_i)} and {@code z_i} standard normal (Box-Muller from a hash of the
 *       chip seed and the device's index): the offset is quantized to steps of {@code sigma / 16},
 *       which adds a variance of {@code sigma^2 / 3072} (0.03 % of sigma^2) and lets the devices of a
 *       group share one table per step. Saturated biases (p = 0 or 1) stay saturated.</li>
 *   <li><b>Stuck-at faults.</b> Each device is stuck with probability {@code stuckRate}, at 0 or at 1
 *       with equal probability (independent hashes): its P(1) is 0 or 1 whatever its bias.</li>
 * </ul>
 * Device indices are the running indices of the builder (the same that pick each device's seed
 * constant), so a chip is a function of its seed and the design's structure, independent of
 * SEED (the streams): {@code --seed} and {@code --chip-seed} vary independently.
 *
 * <h2>In the netlist</h2>
 * The per-device parameters become constants, so the RTL and the simulator remain one IR:
 * a device with a constant bias (a weight-level device) gets its varied threshold
 * {@code round(p_i 2^16)} as its constant; a group whose biases change (pixel and hidden-neuron
 * devices) reads its threshold from a table {@code [class][code]} (a ROM in the RTL), where a
 * device's class is its offset step (or stuck at 0 / 1), a per-device constant. Approximation: only
 * the quantization of {@code delta} above; the table holds the exact threshold of each (step, code).
 *
 * @param variation sigma of the bias offset, in sigmoid widths (0: none)
 * @param stuckRate probability that a device is stuck (at 0 or at 1), 0..1
 * @param chipSeed  the chip (which draw)
 */
public record ChipVariation(double variation, double stuckRate, long chipSeed) implements java.io.Serializable {
    /** Ideal devices: no variation, no faults. */
    public static final ChipVariation IDEAL = new ChipVariation(0, 0, 1);

    /** Offset steps per sigma. */
    public static final int STEPS = 16;

    public ChipVariation {
        if (!(variation >= 0 && variation <= 100)) throw new IllegalArgumentException("variation must be in 0..100 sigmoid widths, got " + variation);
        if (!(stuckRate >= 0 && stuckRate <= 1)) throw new IllegalArgumentException("stuck rate must be in 0..1, got " + stuckRate);
    }

    public boolean ideal() {
        return variation == 0 && stuckRate == 0;
    }

    private static long mix(long x) {
        return ScBuilder.splitmix(x);
    }

    private long hash(long device, int stream) {
        return mix(mix(chipSeed * 0x9E3779B97F4A7C15L + stream) ^ (device * 0xD1B54A32D192ED03L));
    }

    private static double unit(long h) {
        return ((h >>> 11) + 0.5) / 9007199254740992.0;
    }

    /** The standard normal draw z_i of device {@code device} (StrictMath: the same on every JVM). */
    public double normal(long device) {
        double u1 = unit(hash(device, 0)), u2 = unit(hash(device, 1));
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /** The offset step q_i (delta_i = sigma q_i / 16); 0 without variation. */
    public long step(long device) {
        return variation == 0 ? 0 : Math.round(STEPS * normal(device));
    }

    /** delta_i in sigmoid widths. */
    public double offset(long device) {
        return variation * step(device) / STEPS;
    }

    /** -1 when device {@code device} works, else the value it is stuck at (0 or 1). */
    public int stuck(long device) {
        if (stuckRate == 0 || !(unit(hash(device, 2)) < stuckRate)) return -1;
        return (int) (hash(device, 3) >>> 63);
    }

    /** The threshold round(p_i 2^16) of a device of offset {@code delta} and fault {@code stuck} biased for {@code nominal} = round(p 2^16). */
    static int threshold(int nominal, double delta, int stuck) {
        if (stuck >= 0) return stuck == 0 ? 0 : 65536;
        if (nominal <= 0 || nominal >= 65536 || delta == 0) return nominal;
        double p = nominal / 65536.0;
        double x = StrictMath.log(p / (1 - p)) + delta;
        return (int) Math.round(65536.0 / (1 + StrictMath.exp(-x)));
    }

    /** The threshold of device {@code device} biased for the nominal threshold {@code nominal}. */
    public int threshold(long device, int nominal) {
        return threshold(nominal, offset(device), stuck(device));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "chip %d: bias offset sigma %.4g sigmoid widths, stuck rate %.4g", chipSeed, variation, stuckRate);
    }

    // ---- the netlist ---------------------------------------------------------------------------

    /**
     * Constant-bias devices {@code first .. first + nominal.length - 1}: their varied thresholds,
     * recorded in {@code report} as group {@code group}.
     */
    Bits[] constants(String group, long first, int[] nominal, Report report) {
        Bits[] b = new Bits[nominal.length];
        int[] actual = new int[nominal.length];
        for (int j = 0; j < nominal.length; j++) {
            actual[j] = threshold(first + j, nominal[j]);
            b[j] = Bits.of(17, actual[j]);
        }
        report.add(this, group, first, nominal.length, nominal, actual);
        return b;
    }

    /**
     * Variable-bias devices {@code first .. first + codes.count() - 1}: device j's threshold is
     * {@code table[class_j][codes_j]} with {@code nominal[c]} the ideal threshold of code c
     * (codes of {@code codes.width()} bits; codes past {@code nominal.length} read 0).
     */
    Node table(Design d, String group, long first, Node codes, int[] nominal, Report report) {
        return table(d, group, group, first, codes, nominal, report);
    }

    /** As {@link #table(Design, String, long, Node, int[], Report)}, its nodes named {@code prefix_chip_*} in {@code d}. */
    Node table(Design d, String prefix, String group, long first, Node codes, int[] nominal, Report report) {
        int n = codes.count(), cw = codes.width();
        // classes: 0 = stuck at 0, 1 = stuck at 1, then the offset steps in rising order
        TreeMap<Long, Integer> classOf = new TreeMap<>();
        long[] key = new long[n];
        for (int j = 0; j < n; j++) {
            int s = stuck(first + j);
            key[j] = s >= 0 ? Long.MIN_VALUE + s : step(first + j);
            classOf.put(key[j], 0);
        }
        int k = 0;
        List<Long> keys = new ArrayList<>(classOf.keySet());
        for (long x : keys) classOf.put(x, k++);
        int kw = ScBuilder.bitsFor(Math.max(1, k - 1));
        int per = 1 << cw;
        Bits[] rom = new Bits[k * per];
        for (int c = 0; c < k; c++) {
            long x = keys.get(c);
            int s = x == Long.MIN_VALUE ? 0 : x == Long.MIN_VALUE + 1 ? 1 : -1;
            double delta = s >= 0 ? 0 : variation * x / STEPS;
            for (int code = 0; code < per; code++)
                rom[c * per + code] = Bits.of(17, code < nominal.length ? threshold(nominal[code], delta, s) : 0);
        }
        Bits[] cls = new Bits[n];
        for (int j = 0; j < n; j++) cls[j] = Bits.of(kw, classOf.get(key[j]));
        Tag T = Tag.STREAM;
        Node romC = d.constArray(prefix + "_chip_rom", T, 17, rom);
        Node clsC = d.constArray(prefix + "_chip_class", T, kw, cls);
        Node idx = d.op(prefix + "_chip_idx", T, Op.CONCAT, kw + cw, n, new int[0], Ref.of(clsC), Ref.of(codes));
        report.add(this, group, first, n, null, null);
        return d.op(prefix + "_chip_p", T, Op.ARRAY_GET, 17, n, new int[0], Ref.array(romC), Ref.of(idx));
    }

    /**
     * Records devices {@code first .. first + offsets.length - 1} as group {@code group} with the
     * offsets they actually have (in sigmoid widths; the analog baseline's DAC-biased devices, whose
     * offsets are quantized to one DAC count instead of {@code sigma / 16}).
     */
    void report(String group, long first, double[] offsets, Report report) {
        report.add(this, group, first, offsets.length, null, null, offsets);
    }

    /** Records devices {@code first .. first + n - 1} (per-synapse devices, whose thresholds the caller took from {@link #threshold(long, int)}) as group {@code group}. */
    void report(String group, long first, long n, Report report) {
        report.add(this, group, first, Math.toIntExact(n), null, null);
    }

    /**
     * The affected devices of a chip, per source group: the stuck ones (by index in the group) and the
     * spread of the offsets; for constant-bias groups each device's threshold, nominal and on this chip.
     */
    public static final class Report implements java.io.Serializable {
        /** One group's devices. */
        public record Group(String group, long firstDevice, int devices, List<Integer> stuckAt0, List<Integer> stuckAt1,
                            double offsetMean, double offsetSd, double offsetMin, double offsetMax, int[] nominal, int[] actual)
                implements java.io.Serializable {}

        private final List<Group> groups = new ArrayList<>();

        void add(ChipVariation chip, String group, long first, int n, int[] nominal, int[] actual) {
            add(chip, group, first, n, nominal, actual, null);
        }

        void add(ChipVariation chip, String group, long first, int n, int[] nominal, int[] actual, double[] offsets) {
            List<Integer> s0 = new ArrayList<>(), s1 = new ArrayList<>();
            double sum = 0, sq = 0, mn = Double.POSITIVE_INFINITY, mx = Double.NEGATIVE_INFINITY;
            int working = 0;
            for (int j = 0; j < n; j++) {
                int s = chip.stuck(first + j);
                if (s == 0) s0.add(j);
                else if (s == 1) s1.add(j);
                else {
                    double x = offsets != null ? offsets[j] : chip.offset(first + j);
                    sum += x;
                    sq += x * x;
                    mn = Math.min(mn, x);
                    mx = Math.max(mx, x);
                    working++;
                }
            }
            double mean = working == 0 ? 0 : sum / working;
            double sd = working < 2 ? 0 : Math.sqrt(Math.max(0, (sq - working * mean * mean) / (working - 1)));
            groups.add(new Group(group, first, n, List.copyOf(s0), List.copyOf(s1), mean, sd,
                    working == 0 ? 0 : mn, working == 0 ? 0 : mx, nominal, actual));
        }

        public List<Group> groups() {
            return List.copyOf(groups);
        }

        public int stuckDevices() {
            return groups.stream().mapToInt(g -> g.stuckAt0().size() + g.stuckAt1().size()).sum();
        }

        public int devices() {
            return groups.stream().mapToInt(Group::devices).sum();
        }

        /** The {@code "chip"} object of {@code simulate --json}. */
        public ObjectNode toJson(ObjectMapper m, ChipVariation chip) {
            ObjectNode o = m.createObjectNode();
            o.put("chip_seed", chip.chipSeed());
            o.put("variation", chip.variation());
            o.put("stuck_rate", chip.stuckRate());
            o.put("devices", devices());
            o.put("stuck_devices", stuckDevices());
            ArrayNode gs = o.putArray("groups");
            for (Group g : groups) {
                ObjectNode x = gs.addObject();
                x.put("group", g.group());
                x.put("devices", g.devices());
                ArrayNode a0 = x.putArray("stuck_at_0");
                g.stuckAt0().forEach(a0::add);
                ArrayNode a1 = x.putArray("stuck_at_1");
                g.stuckAt1().forEach(a1::add);
                x.put("offset_mean", g.offsetMean());
                x.put("offset_sd", g.offsetSd());
                x.put("offset_min", g.offsetMin());
                x.put("offset_max", g.offsetMax());
                if (g.nominal() != null) {
                    ArrayNode pn = x.putArray("p_nominal"), pa = x.putArray("p_chip");
                    for (int j = 0; j < g.devices(); j++) {
                        pn.add(g.nominal()[j] / 65536.0);
                        pa.add(g.actual()[j] / 65536.0);
                    }
                }
            }
            return o;
        }
    }
}
