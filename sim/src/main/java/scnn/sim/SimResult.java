package scnn.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a simulation run measured. Event counts are totals over all images; the per-inference
 * figures divide by {@link #images()}.
 */
public final class SimResult {
    public int images;
    public int correct;
    public int bits;
    public long seed;
    public int[] predictions;
    public int[] labels;
    /** Output scores (the {@code score} port for every class) per image. */
    public long[][] scores;
    public int cyclesPerInference;
    public double clockNs;
    /** Toggles of every bit of every IR net, per tag (wires included, each net counted). */
    public final Map<String, Long> netToggles = new TreeMap<>();
    /** Toggles of logic-gate outputs (each distinct gate once), per tag. */
    public final Map<String, Long> gateToggles = new TreeMap<>();
    /** Toggles of flip-flops, per tag. */
    public final Map<String, Long> ffToggles = new TreeMap<>();
    /** Flip-flop bits per tag (for clock energy). */
    public final Map<String, Long> ffBits = new TreeMap<>();
    /**
     * Per-bit toggles (totals over all images) of every register, RAM and input node, index
     * {@code g * width + b} for bit b of element g; filled only when
     * {@link InferenceRunner#recordBitToggles(boolean)} was set (for power analysis).
     */
    public final Map<String, long[]> stateBitToggles = new TreeMap<>();
    public long memBitsRead;
    public long smtjSamples;
    public long smtjFlips;
    /** DAC conversions (analog baseline: one per hidden neuron per inference), total. */
    public long dacConversions;
    /** Architecture of the simulated design: quantized or analog. */
    public String arch = "quantized";
    /**
     * Cycles from the edge that ends a hidden layer's accumulation to the edge after which the next
     * layer's first input bit is valid (per hidden layer; 0 without hidden layers).
     */
    public int activationLatencyCycles;
    /** Energy per inference per class, pJ. */
    public final Map<String, Double> energyPj = new TreeMap<>();
    /**
     * The same energy per inference by module instance path ({@code top}, {@code top.in1}, ...: the
     * hierarchy of the IR; an instance array is one path), pJ; sums to the same total.
     */
    public final Map<String, Double> energyByModulePj = new TreeMap<>();
    /** The chip's affected devices ({@code ChipVariation.Report#toJson}), or null on an ideal chip. */
    public com.fasterxml.jackson.databind.JsonNode chip;
    public double wallSeconds;
    public double compileSeconds;
    public long synapses;
    public int threads;

    public double accuracy() {
        return images == 0 ? 0 : (double) correct / images;
    }

    public double latencyNs() {
        return cyclesPerInference * clockNs;
    }

    public double activationLatencyNs() {
        return activationLatencyCycles * clockNs;
    }

    public double energyPjPerInference() {
        return energyPj.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** synapses x bitstream bits x images / wall seconds. */
    public double synapseBitOpsPerSecond() {
        return wallSeconds == 0 ? 0 : (double) synapses * bits * images / wallSeconds;
    }

    public double imageCyclesPerSecond() {
        return wallSeconds == 0 ? 0 : (double) images * cyclesPerInference / wallSeconds;
    }

    /** Peak resident memory of this process (VmHWM on Linux), or -1 when unknown. */
    public static long peakRssBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The {@code --json} object of {@code simulate}. */
    public ObjectNode toJson(ObjectMapper m, boolean withPredictions) {
        ObjectNode o = m.createObjectNode();
        o.put("accuracy", accuracy());
        o.put("images", images);
        o.put("correct", correct);
        o.put("bits", bits);
        o.put("seed", seed);
        o.put("cycles_per_inference", cyclesPerInference);
        o.put("clock_ns", clockNs);
        o.put("latency_ns", latencyNs());
        o.put("arch", arch);
        o.put("activation_latency_cycles", activationLatencyCycles);
        o.put("activation_latency_ns", activationLatencyNs());
        o.put("energy_pj_per_inference", energyPjPerInference());
        ObjectNode eb = o.putObject("energy_breakdown_pj");
        energyPj.forEach(eb::put);
        ObjectNode em = o.putObject("energy_by_module_pj");
        energyByModulePj.forEach(em::put);
        ObjectNode sw = o.putObject("switching_events");
        sw.put("smtj_samples", (double) smtjSamples / images);
        sw.put("smtj_flips", (double) smtjFlips / images);
        sw.put("memory_bits_read", (double) memBitsRead / images);
        if (dacConversions > 0) sw.put("dac_conversions", (double) dacConversions / images);
        ObjectNode nt = sw.putObject("net_toggles");
        netToggles.forEach((k, v) -> nt.put(k, (double) v / images));
        ObjectNode gt = sw.putObject("gate_toggles");
        gateToggles.forEach((k, v) -> gt.put(k, (double) v / images));
        ObjectNode ft = sw.putObject("flipflop_toggles");
        ffToggles.forEach((k, v) -> ft.put(k, (double) v / images));
        if (chip != null) o.set("chip", chip);
        ObjectNode perf = o.putObject("performance");
        perf.put("threads", threads);
        perf.put("compile_s", compileSeconds);
        perf.put("wall_s", wallSeconds);
        perf.put("synapses", synapses);
        perf.put("synapse_bit_ops_per_s", synapseBitOpsPerSecond());
        perf.put("image_cycles_per_s", imageCyclesPerSecond());
        long rss = peakRssBytes();
        if (rss > 0) perf.put("peak_rss_mib", rss / (1024.0 * 1024.0));
        if (withPredictions) {
            var a = o.putArray("predictions");
            for (int p : predictions) a.add(p);
        }
        return o;
    }
}
