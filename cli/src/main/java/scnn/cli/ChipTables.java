package scnn.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The Monte Carlo over chips of a sweep ({@code Sweep#chipSummary}): its markdown table and its plots. */
final class ChipTables {
    private ChipTables() {}

    /** One row per (net, N, variation, stuck rate): accuracy over the chips and both 95 % intervals. Empty without chips. */
    static String markdown(List<ObjectNode> rows) {
        if (rows.isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        sb.append("\nMonte Carlo over chips: accuracy (%) per chip (mean, min / median / max), 95 % interval across chips "
                + "(Student's t of the chips' accuracies) and binomial (Wilson, the chips' images pooled)\n\n");
        sb.append("| net | N | variation | stuck rate | chips | mean | min / median / max | across chips | binomial | stuck devices | energy (pJ) |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---|---|---|---:|---:|\n");
        for (ObjectNode o : rows)
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %d | %.2f | %.2f / %.2f / %.2f | [%.2f, %.2f] | [%.2f, %.2f] | %.1f | %.0f |%n",
                    o.get("net").asText(), o.get("bits").asInt(), o.get("variation").asText(), o.get("stuck_rate").asText(), o.get("chips").asInt(),
                    100 * o.get("accuracy_mean").asDouble(), 100 * o.get("accuracy_min").asDouble(), 100 * o.get("accuracy_median").asDouble(),
                    100 * o.get("accuracy_max").asDouble(), 100 * o.get("chips_ci95").get("low").asDouble(),
                    100 * o.get("chips_ci95").get("high").asDouble(), 100 * o.get("binomial_ci95").get("low").asDouble(),
                    100 * o.get("binomial_ci95").get("high").asDouble(), o.get("stuck_devices_mean").asDouble(), o.get("energy_pj_mean").asDouble()));
        return sb.toString();
    }

    /**
     * Per net: mean accuracy over the chips against the variation, one line per N (at the smallest
     * stuck rate), {@code chips_<net>_variation.png}, and against the stuck rate (at the smallest
     * variation), {@code chips_<net>_stuck.png}, each when it has at least two values.
     */
    static void plots(List<ObjectNode> rows, Path dir) {
        Map<String, List<ObjectNode>> byNet = new LinkedHashMap<>();
        for (ObjectNode o : rows) byNet.computeIfAbsent(o.get("net").asText(), k -> new ArrayList<>()).add(o);
        byNet.forEach((net, l) -> {
            double f0 = l.stream().mapToDouble(o -> o.get("stuck_rate").asDouble()).min().orElse(0);
            double v0 = l.stream().mapToDouble(o -> o.get("variation").asDouble()).min().orElse(0);
            plot(net, l, "variation", "stuck_rate", f0, "device variation sigma (sigmoid widths)",
                    String.format(Locale.ROOT, "%s: accuracy over chips vs variation (stuck rate %s)", net, f0), dir.resolve(file(net, "variation")));
            plot(net, l, "stuck_rate", "variation", v0, "stuck-at fault rate",
                    String.format(Locale.ROOT, "%s: accuracy over chips vs stuck rate (variation %s)", net, v0), dir.resolve(file(net, "stuck")));
        });
    }

    static String file(String net, String what) {
        return "chips_" + scnn.core.io.OutputPolicy.fileComponent(net) + "_" + what + ".png";
    }

    private static void plot(String net, List<ObjectNode> l, String x, String fixed, double at, String xTitle, String title, Path file) {
        Map<Integer, TreeMap<Double, double[]>> byN = new TreeMap<>();
        for (ObjectNode o : l) {
            if (o.get(fixed).asDouble() != at) continue;
            byN.computeIfAbsent(o.get("bits").asInt(), k -> new TreeMap<>()).put(o.get(x).asDouble(), new double[] {
                    100 * o.get("accuracy_mean").asDouble(), 100 * o.get("accuracy_min").asDouble(), 100 * o.get("accuracy_max").asDouble()});
        }
        if (byN.values().stream().allMatch(m -> m.size() < 2)) return;
        XYChart c = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xTitle).yAxisTitle("accuracy (%): mean over chips, bars to the farthest chip").build();
        byN.forEach((n, m) -> {
            double[] xs = m.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] ys = m.values().stream().mapToDouble(v -> v[0]).toArray();
            double[] err = m.values().stream().mapToDouble(v -> Math.max(v[0] - v[1], v[2] - v[0])).toArray();
            c.addSeries("N=" + n, xs, ys, err);
        });
        Plots.save(c, file);
    }
}
