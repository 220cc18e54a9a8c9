package scnn.sim.axis;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened on the AXI4-Stream ports of a run, in the text form that the Verilog testbench
 * writes too (so that the two are compared line by line). Cycles are numbered from 0, the first
 * cycle after reset; an event "at edge t" is sampled by the rising edge that ends cycle t. Lines:
 * <ul>
 *   <li>{@code beat <i> <t>}: beat i (in sending order) transferred at edge t;</li>
 *   <li>{@code valid <n> <t>}: result n became valid after edge t (m_axis_tvalid first high for it in cycle t + 1);</li>
 *   <li>{@code result <n> <tdata> <tlast> <t>}: result n transferred at edge t (tdata in decimal);</li>
 *   <li>{@code frame_error <t>}: frame_error rose after edge t;</li>
 *   <li>{@code waits <s> <m>}: cycles in which the source offered a beat that was not taken
 *       (s_axis_tvalid and not s_axis_tready), and in which a result waited for the sink (m_axis_tvalid
 *       and not m_axis_tready), over the whole run;</li>
 *   <li>{@code end <t>}: the run stopped after cycle t ({@code timeout <t>} when it ran out of cycles).</li>
 * </ul>
 *
 * @param lines the lines in order
 */
public record AxisTrace(List<String> lines) {
    /** A result beat. */
    public record Result(int index, long tdata, int tlast, long validEdge, long edge) {}

    public static AxisTrace parse(String text) {
        List<String> l = new ArrayList<>();
        for (String s : text.split("\n")) if (!s.isBlank()) l.add(s.strip());
        return new AxisTrace(List.copyOf(l));
    }

    public String text() {
        return String.join("\n", lines) + "\n";
    }

    /** The results, in order. */
    public List<Result> results() {
        List<long[]> valid = new ArrayList<>();
        List<Result> out = new ArrayList<>();
        java.util.Map<Integer, Long> v = new java.util.HashMap<>();
        for (String s : lines) {
            String[] f = s.split(" ");
            if (f[0].equals("valid")) v.put(Integer.parseInt(f[1]), Long.parseLong(f[2]));
            if (f[0].equals("result")) {
                int n = Integer.parseInt(f[1]);
                out.add(new Result(n, Long.parseLong(f[2]), Integer.parseInt(f[3]), v.getOrDefault(n, -1L), Long.parseLong(f[4])));
            }
        }
        return out;
    }

    /** Edge of each beat transfer, by beat index. */
    public long[] beatEdges() {
        List<Long> e = new ArrayList<>();
        for (String s : lines) {
            String[] f = s.split(" ");
            if (f[0].equals("beat")) e.add(Long.parseLong(f[2]));
        }
        long[] a = new long[e.size()];
        for (int i = 0; i < a.length; i++) a[i] = e.get(i);
        return a;
    }

    /** The edge after which frame_error rose, or -1. */
    public long frameErrorEdge() {
        for (String s : lines) if (s.startsWith("frame_error ")) return Long.parseLong(s.split(" ")[1]);
        return -1;
    }

    /** The {@code waits} line's two counts (source waiting, result waiting), or null. */
    public long[] waits() {
        for (String s : lines)
            if (s.startsWith("waits ")) {
                String[] f = s.split(" ");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        return null;
    }

    /** True when the run ended normally (not by its cycle limit). */
    public boolean ended() {
        return !lines.isEmpty() && lines.get(lines.size() - 1).startsWith("end ");
    }

    /**
     * The latency of the first image: edges from the transfer of its first beat (beat 0) to the edge
     * after which result 0 is valid.
     */
    public long firstLatency() {
        List<Result> r = results();
        long[] b = beatEdges();
        if (r.isEmpty() || b.length == 0) throw new IllegalStateException("no result or no beat");
        return r.get(0).validEdge() - b[0];
    }

    /** The intervals between the valid edges of results 0..k-1 (k - 1 of them). */
    public long[] intervals(int k) {
        List<Result> r = results();
        if (r.size() < k) throw new IllegalStateException("only " + r.size() + " results, need " + k);
        long[] a = new long[Math.max(0, k - 1)];
        for (int i = 1; i < k; i++) a[i - 1] = r.get(i).validEdge() - r.get(i - 1).validEdge();
        return a;
    }
}
