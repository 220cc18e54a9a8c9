package scnn.generator.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scnn.core.io.ScnnException;
import scnn.generator.tools.Tools;

/**
 * Static timing and power analysis of a mapped netlist with OpenSTA ({@code sta}).
 *
 * <p>Timing: one clock on port {@code clk} of period T, ideal (no clock tree), inputs arriving and
 * outputs required at the clock edge (zero external delay), no wire load (the library has none:
 * pre-layout figures). The worst setup path gives the critical path, the worst slack at T and
 * fmax = 1 / (T - slack).
 *
 * <p>Power: the switching activity of the given input ports (transitions per clock cycle) is
 * taken as given; OpenSTA propagates activity from them through the combinational logic
 * (probabilistically, from the cells' functions) and across flip-flops (D to Q); ports without an
 * activity get the default input activity.
 */
public final class Sta {
    private Sta() {}

    /** The worst setup path. */
    public record Timing(String startpoint, String endpoint, double arrivalNs, double requiredNs, double slackNs, double setupNs,
                         double clockNs, List<String> pins, List<String> cells, String report) {
        /** Shortest clock period the path allows: T - slack. */
        public double minPeriodNs() {
            return clockNs - slackNs;
        }

        public double fmaxMhz() {
            return 1000.0 / minPeriodNs();
        }
    }

    /** Power per group (W): internal, switching, leakage, total. */
    public record Power(Map<String, double[]> groups, String report) {
        public double[] total() {
            return groups.getOrDefault("Total", new double[4]);
        }
    }

    public static Timing timing(Path work, Liberty lib, List<Path> extraLibs, Path netlist, String top, double clockNs, Duration timeout) {
        String tcl = header(lib, extraLibs, netlist, top, clockNs)
                + "set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk]]\n"
                + "set_output_delay 0 -clock clk [all_outputs]\n"
                + "report_checks -path_delay max -format full -fields {input_pin} -digits 4\n";
        String out = run(work, "timing.tcl", tcl, timeout);
        return parseTiming(out, clockNs);
    }

    static Timing parseTiming(String out, double clockNs) {
        Matcher sp = Pattern.compile("(?m)^Startpoint: (\\S+)").matcher(out);
        Matcher ep = Pattern.compile("(?m)^Endpoint: (\\S+)").matcher(out);
        if (!sp.find() || !ep.find())
            throw new ScnnException("OpenSTA found no timing path (is the design clocked by port clk?): " + lastLine(out));
        Matcher arr = Pattern.compile("(?m)^\\s*(-?[0-9.]+)\\s+data arrival time").matcher(out);
        Matcher req = Pattern.compile("(?m)^\\s*(-?[0-9.]+)\\s+data required time").matcher(out);
        Matcher sl = Pattern.compile("(?m)^\\s*(-?[0-9.]+)\\s+slack \\((MET|VIOLATED)\\)").matcher(out);
        Matcher su = Pattern.compile("(?m)^\\s*(-?[0-9.]+)\\s+(-?[0-9.]+)\\s+library setup time").matcher(out);
        if (!arr.find() || !req.find() || !sl.find()) throw new ScnnException("cannot read OpenSTA's path report: " + lastLine(out));
        double setup = su.find() ? -Double.parseDouble(su.group(1)) : 0;
        // the data path: lines "  delay  time  [^|v] pin (CELL)" between the clock edge and "data arrival time"
        int a = out.indexOf("data arrival time");
        String body = out.substring(0, a);
        List<String> pins = new ArrayList<>(), cells = new ArrayList<>();
        Matcher pm = Pattern.compile("(?m)^\\s*-?[0-9.]+\\s+-?[0-9.]+\\s+[\\^v]\\s+(\\S+)\\s+\\((\\S+)\\)\\s*$").matcher(body);
        while (pm.find()) {
            pins.add(pm.group(1));
            cells.add(pm.group(2).equals("in") || pm.group(2).equals("out") ? "port" : pm.group(2));
        }
        return new Timing(sp.group(1), ep.group(1), Double.parseDouble(arr.group(1)), Double.parseDouble(req.group(1)),
                Double.parseDouble(sl.group(1)), setup, clockNs, pins, cells, out.substring(sp.start()));
    }

    /**
     * Power at the clock period with the given per-port activities (transitions per cycle, duty
     * 0.5) and a default activity for the other inputs.
     */
    public static Power power(Path work, Liberty lib, List<Path> extraLibs, Path netlist, String top, double clockNs,
                              Map<String, Double> portActivity, double defaultActivity, Duration timeout) {
        StringBuilder sb = new StringBuilder(header(lib, extraLibs, netlist, top, clockNs));
        // inputs clocked by clk: OpenSTA prices a pin's activity per period of the clock that reaches it
        sb.append("set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk]]\n");
        sb.append(String.format(Locale.ROOT, "set_power_activity -input -activity %.6g -duty 0.5\n", defaultActivity));
        for (Map.Entry<String, Double> e : portActivity.entrySet())
            sb.append(String.format(Locale.ROOT, "set_power_activity -input_ports [get_ports {%s}] -activity %.6g -duty 0.5\n", e.getKey(), e.getValue()));
        sb.append("report_power -digits 8\n");
        // per instance, in the format of `report_power -instances -digits 8` but unsorted: that command
        // re-parses the instance list as a string and sorts it with a Tcl comparator (3h net, 2.69 M
        // instances: about 130 of the session's 353 s and 1.7 GB; this loop 54 s)
        sb.append("set scnn_corner [sta::cmd_corner]\n")
                .append("set scnn_out [open ").append(tclPath(work.resolve("power-instances.txt"))).append(" w]\n")
                .append("foreach scnn_inst [get_cells *] {\n")
                .append("  lassign [sta::instance_power $scnn_inst $scnn_corner] scnn_i scnn_s scnn_l scnn_t\n")
                .append("  puts $scnn_out [format \" %14.8e %14.8e %14.8e %14.8e %s\" $scnn_i $scnn_s $scnn_l $scnn_t [get_full_name $scnn_inst]]\n")
                .append("}\n")
                .append("close $scnn_out\n");
        String out = run(work, "power.tcl", sb.toString(), timeout);
        return parsePower(out);
    }

    static Power parsePower(String out) {
        Map<String, double[]> g = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^(Sequential|Combinational|Macro|Pad|Total)\\s+([-0-9.eE+]+)\\s+([-0-9.eE+]+)\\s+([-0-9.eE+]+)\\s+([-0-9.eE+]+)").matcher(out);
        while (m.find())
            g.put(m.group(1), new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)),
                    Double.parseDouble(m.group(5))});
        if (!g.containsKey("Total")) throw new ScnnException("cannot read OpenSTA's power report: " + lastLine(out));
        int i = out.indexOf("Group");
        return new Power(g, i < 0 ? out : out.substring(i));
    }

    /**
     * Total power (W) per instance from a report in the format of {@code report_power -instances} (lines
     * {@code internal switching leakage total name}).
     */
    static Map<String, Double> instancePower(Path report) throws IOException {
        Map<String, Double> m = new java.util.HashMap<>();
        if (!Files.exists(report)) return m;
        try (java.io.BufferedReader r = Files.newBufferedReader(report)) {
            for (String l; (l = r.readLine()) != null; ) {
                String[] f = l.strip().split("\\s+");
                if (f.length != 5) continue;
                try {
                    m.put(f[4], Double.parseDouble(f[3]));
                } catch (NumberFormatException e) {
                    // a header line
                }
            }
        }
        return m;
    }

    private static String header(Liberty lib, List<Path> extraLibs, Path netlist, String top, double clockNs) {
        StringBuilder sb = new StringBuilder();
        sb.append("read_liberty ").append(tclPath(lib.file())).append('\n');
        for (Path p : extraLibs) sb.append("read_liberty ").append(tclPath(p)).append('\n');
        sb.append("read_verilog ").append(tclPath(netlist)).append('\n');
        sb.append("link_design ").append(top).append('\n');
        sb.append(String.format(Locale.ROOT, "create_clock -name clk -period %.6g [get_ports clk]\n", clockNs));
        return sb.toString();
    }

    private static String tclPath(Path p) {
        return "{" + p.toAbsolutePath() + "}";
    }

    private static String run(Path work, String name, String tcl, Duration timeout) {
        Path script = work.resolve(name);
        try {
            Files.writeString(script, tcl + "exit\n");
        } catch (IOException e) {
            throw new ScnnException(work + ": cannot write " + name + " (" + e.getMessage() + ")");
        }
        if (!Tools.available("sta")) throw new ScnnException("sta (OpenSTA) is not installed: " + Tools.installHint("sta"));
        Tools.Result r = Tools.run(work, timeout, "sta", "-no_splash", "-exit", script.toString());
        String out = r.stdout() + "\n" + r.stderr();
        try {
            Files.writeString(work.resolve(name.replace(".tcl", ".log")), out);
        } catch (IOException ignored) {
            // the log is a convenience
        }
        if (r.timedOut()) throw new ScnnException("OpenSTA did not finish " + name + " within " + timeout.toMinutes() + " min");
        for (String l : out.split("\n"))
            if (l.startsWith("Error")) throw new ScnnException("OpenSTA failed (" + name + "): " + l.strip());
        // died of a signal without reporting an error first
        if (r.exitCode() > 128) throw new Crashed(name, r.exitCode() - 128);
        if (!r.ok()) throw new ScnnException("OpenSTA failed (" + name + "): " + lastLine(out));
        return out;
    }

    /** OpenSTA died of a signal (a crash of the tool, not an error it reported). */
    public static final class Crashed extends ScnnException {
        private static final long serialVersionUID = 1L;

        Crashed(String script, int signal) {
            super("OpenSTA crashed (signal " + signal + ") running " + script);
        }
    }

    static String lastLine(String out) {
        String[] l = out.strip().split("\n");
        return l.length == 0 ? "(no output)" : l[l.length - 1].strip();
    }

    /** Cells on the path (instances of the pins, in order, without repeats). */
    static List<String> instances(List<String> pins) {
        List<String> out = new ArrayList<>();
        for (String p : pins) {
            int s = p.lastIndexOf('/');
            String i = s < 0 ? p : p.substring(0, s);
            if (out.isEmpty() || !out.get(out.size() - 1).equals(i)) out.add(i);
        }
        return out;
    }

    static Map<String, Object> toMap(Timing t) {
        Map<String, Object> m = new TreeMap<>();
        m.put("startpoint", t.startpoint());
        m.put("endpoint", t.endpoint());
        m.put("delay_ns", t.arrivalNs());
        m.put("setup_ns", t.setupNs());
        m.put("clock_ns", t.clockNs());
        m.put("slack_ns", t.slackNs());
        m.put("min_period_ns", t.minPeriodNs());
        m.put("fmax_mhz", t.fmaxMhz());
        m.put("pins", t.pins());
        m.put("cells", instances(t.pins()).size());
        return m;
    }
}
