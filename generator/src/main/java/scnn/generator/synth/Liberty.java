package scnn.generator.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import scnn.core.io.ScnnException;

/**
 * What the flows need of a Liberty (.lib) standard-cell library: per cell its area, leakage,
 * whether it holds state, its pins (direction, capacitance, clock) and its internal-energy tables,
 * and the library's units and nominal voltage. A small parser of the Liberty group syntax
 * ({@code name (args) { ... }}, {@code attr : value ;}, {@code attr (values) ;}, comments, line
 * continuations); attributes it does not need are read and ignored.
 */
public final class Liberty {
    /** Debian's qflow-tech-osu018: the OSU 0.18 um library (1.8 V). */
    public static final Path OSU018 = Path.of("/usr/share/qflow/tech/osu018/osu018_stdcells.lib");

    /**
     * An internal-energy table of one pin: energy per transition of {@code pin} (for an output: per
     * output transition caused through {@code relatedPin}; for an input such as a clock: per
     * transition of that input), in the library's energy unit (capacitance unit x voltage unit^2).
     *
     * @param loadIndex output-capacitance axis (empty for one-dimensional tables)
     * @param slewIndex input-transition axis
     * @param rise      values for a rising transition, {@code [load][slew]}
     * @param fall      values for a falling transition
     */
    public record EnergyTable(String pin, String relatedPin, double[] loadIndex, double[] slewIndex, double[][] rise, double[][] fall) {
        /** Mean of rise and fall energy at the given load and input slew (bilinear, clamped to the table). */
        public double energy(double loadPf, double slewNs) {
            return (lookup(rise, loadPf, slewNs) + lookup(fall, loadPf, slewNs)) / 2;
        }

        private double lookup(double[][] v, double load, double slew) {
            if (v == null || v.length == 0) return 0;
            double[] li = loadIndex.length == 0 ? new double[] {0} : loadIndex;
            int i = seg(li, load), j = seg(slewIndex, slew);
            double fi = frac(li, i, load), fj = frac(slewIndex, j, slew);
            int i1 = Math.min(i + 1, v.length - 1), j1 = Math.min(j + 1, v[0].length - 1);
            double a = v[i][j] + (v[i][j1] - v[i][j]) * fj, b = v[i1][j] + (v[i1][j1] - v[i1][j]) * fj;
            return a + (b - a) * fi;
        }

        private static int seg(double[] x, double t) {
            int k = 0;
            while (k + 2 < x.length && t > x[k + 1]) k++;
            return k;
        }

        private static double frac(double[] x, int k, double t) {
            if (x.length < 2) return 0;
            double f = (t - x[k]) / (x[k + 1] - x[k]);
            return Math.max(0, Math.min(1, f));
        }
    }

    public record Pin(String name, String direction, double capacitancePf, boolean clock, String function) {}

    /**
     * @param name     cell name
     * @param area     area in the library's unit (um^2 for OSU 0.18 um)
     * @param leakage  cell leakage power in the library's leakage unit
     * @param sequential holds state (has an {@code ff} or {@code latch} group)
     * @param pins     by name, in file order
     * @param energy   internal-energy tables
     */
    public record Cell(String name, double area, double leakage, boolean sequential, Map<String, Pin> pins, List<EnergyTable> energy) {
        public List<Pin> outputs() {
            return pins.values().stream().filter(p -> p.direction().equals("output")).toList();
        }

        public List<Pin> inputs() {
            return pins.values().stream().filter(p -> p.direction().equals("input")).toList();
        }
    }

    private final Path file;
    private final String name;
    private final Map<String, Cell> cells;
    private final double nominalVoltage;
    private final String timeUnit, leakageUnit, capacitanceUnit;

    private Liberty(Path file, String name, Map<String, Cell> cells, double v, String timeUnit, String leakageUnit, String capUnit) {
        this.file = file;
        this.name = name;
        this.cells = cells;
        this.nominalVoltage = v;
        this.timeUnit = timeUnit;
        this.leakageUnit = leakageUnit;
        this.capacitanceUnit = capUnit;
    }

    /** {@code osu018} (Debian's qflow-tech-osu018) or the path of a .lib file. */
    public static Path resolve(String spec) {
        if (spec.equals("osu018")) {
            if (!Files.isRegularFile(OSU018))
                throw new ScnnException("--liberty osu018: " + OSU018 + " is missing (apt-get install -y qflow-tech-osu018)");
            return OSU018;
        }
        Path p = Path.of(spec);
        if (!Files.isRegularFile(p)) throw new ScnnException("--liberty " + spec + ": no such file (a .lib file, or osu018)");
        return p;
    }

    public static Liberty read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScnnException(file + ": cannot read (" + e.getMessage() + ")");
        }
        Group lib;
        try {
            List<Group> top = new Parser(text).groups();
            lib = top.stream().filter(g -> g.name.equals("library")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no library group"));
        } catch (IllegalArgumentException e) {
            throw new ScnnException(file + ": not a Liberty file (" + e.getMessage() + ")");
        }
        Map<String, Group> templates = new LinkedHashMap<>();
        for (Group g : lib.children)
            if ((g.name.equals("power_lut_template") || g.name.equals("lu_table_template")) && !g.args.isEmpty()) templates.put(g.args.get(0), g);
        Map<String, Cell> cells = new TreeMap<>();
        for (Group c : lib.children) {
            if (!c.name.equals("cell") || c.args.isEmpty()) continue;
            Map<String, Pin> pins = new LinkedHashMap<>();
            List<EnergyTable> energy = new ArrayList<>();
            boolean seq = false;
            for (Group g : c.children) {
                if (g.name.equals("ff") || g.name.equals("latch") || g.name.equals("ff_bank") || g.name.equals("latch_bank")) seq = true;
                if (g.name.equals("pin")) {
                    for (String pn : g.args) {
                        pins.put(pn, new Pin(pn, g.attr("direction", ""), num(g.attr("capacitance", "0")),
                                g.attr("clock", "false").equals("true"), g.attr("function", null)));
                    }
                    for (Group ip : g.children) {
                        if (!ip.name.equals("internal_power")) continue;
                        EnergyTable t = table(g.args.get(0), ip, templates);
                        if (t != null) energy.add(t);
                    }
                }
            }
            String n = c.args.get(0);
            cells.put(n, new Cell(n, num(c.attr("area", "0")), num(c.attr("cell_leakage_power", "0")), seq,
                    Collections.unmodifiableMap(pins), List.copyOf(energy)));
        }
        if (cells.isEmpty()) throw new ScnnException(file + ": the Liberty library has no cells");
        return new Liberty(file, lib.args.isEmpty() ? "library" : lib.args.get(0), Collections.unmodifiableMap(cells),
                num(lib.attr("nom_voltage", "0")), lib.attr("time_unit", "1ns"), lib.attr("leakage_power_unit", "1nW"),
                lib.complexAttr("capacitive_load_unit"));
    }

    private static EnergyTable table(String pin, Group ip, Map<String, Group> templates) {
        Group rise = ip.child("rise_power"), fall = ip.child("fall_power");
        if (rise == null && fall == null) return null;
        Group any = rise != null ? rise : fall;
        Group tpl = any.args.isEmpty() ? null : templates.get(any.args.get(0));
        boolean loadFirst = true;
        if (tpl != null) loadFirst = !tpl.attr("variable_1", "").contains("transition");
        double[] i1 = nums(any.complexAttr("index_1")), i2 = nums(any.complexAttr("index_2"));
        double[] load, slew;
        if (i2.length == 0) {
            load = new double[0];
            slew = i1;
        } else if (loadFirst) {
            load = i1;
            slew = i2;
        } else {
            load = i2;
            slew = i1;
        }
        return new EnergyTable(pin, ip.attr("related_pin", ""), load, slew, values(rise, loadFirst, i2.length == 0),
                values(fall, loadFirst, i2.length == 0));
    }

    /** A table's values as [load][slew]. */
    private static double[][] values(Group g, boolean loadFirst, boolean oneD) {
        if (g == null) return null;
        String v = g.complexAttr("values");
        List<double[]> rs = new ArrayList<>();
        for (String r : v.replace("\\", "").split("\"")) {
            String s = r.strip();
            if (s.isEmpty() || s.equals(",")) continue;
            rs.add(nums(s));
        }
        if (rs.isEmpty()) return null;
        double[][] m = rs.toArray(new double[0][]);
        if (oneD) return new double[][] {m.length == 1 ? m[0] : flatten(m)};
        if (loadFirst) return m;
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++)
            for (int j = 0; j < m[0].length; j++) t[j][i] = m[i][j];
        return t;
    }

    private static double[] flatten(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static double num(String s) {
        try {
            return Double.parseDouble(s.replace("\"", "").strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double[] nums(String s) {
        if (s == null) return new double[0];
        String t = s.replace("\"", " ").replace("\\", " ").strip();
        if (t.isEmpty()) return new double[0];
        String[] parts = t.split("[,\\s]+");
        List<Double> out = new ArrayList<>();
        for (String p : parts) if (!p.isBlank()) out.add(num(p));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** This library with the cells of {@code other} added (units and file of this one). */
    public Liberty with(Liberty other) {
        Map<String, Cell> m = new TreeMap<>(cells);
        for (Map.Entry<String, Cell> e : other.cells.entrySet()) m.putIfAbsent(e.getKey(), e.getValue());
        return new Liberty(file, name, Collections.unmodifiableMap(m), nominalVoltage, timeUnit, leakageUnit, capacitanceUnit);
    }

    public Path file() {
        return file;
    }

    public String name() {
        return name;
    }

    public Map<String, Cell> cells() {
        return cells;
    }

    public Cell cell(String n) {
        return cells.get(n);
    }

    public double nominalVoltage() {
        return nominalVoltage;
    }

    public String timeUnit() {
        return timeUnit;
    }

    public String leakageUnit() {
        return leakageUnit;
    }

    /** e.g. {@code 1,pf}. */
    public String capacitanceUnit() {
        return capacitanceUnit;
    }

    /** Energy unit of the internal-power tables in pJ (capacitance unit x V^2): 1 for pF and V. */
    public double energyUnitPj() {
        String c = capacitanceUnit == null ? "1,pf" : capacitanceUnit.toLowerCase().replace("\"", "").replace(" ", "");
        String[] p = c.split(",");
        double scale = p.length > 0 ? num(p[0]) : 1;
        if (scale == 0) scale = 1;
        String u = p.length > 1 ? p[1] : "pf";
        double pf = switch (u) {
            case "ff" -> 1e-3;
            case "nf" -> 1e3;
            default -> 1;
        };
        return scale * pf;
    }

    /** Capacitance unit in pF. */
    public double capacitanceUnitPf() {
        return energyUnitPj();
    }

    /** Leakage unit in W. */
    public double leakageUnitW() {
        String u = leakageUnit.replace("\"", "").strip().toLowerCase();
        double s = num(u.replaceAll("[a-z]+$", ""));
        if (s == 0) s = 1;
        if (u.endsWith("nw")) return s * 1e-9;
        if (u.endsWith("uw")) return s * 1e-6;
        if (u.endsWith("mw")) return s * 1e-3;
        if (u.endsWith("pw")) return s * 1e-12;
        return s;
    }

    // ---- the Liberty group syntax ---------------------------------------------------------------

    static final class Group {
        final String name;
        final List<String> args;
        final Map<String, String> attrs = new LinkedHashMap<>();
        final Map<String, String> complex = new LinkedHashMap<>();
        final List<Group> children = new ArrayList<>();

        Group(String name, List<String> args) {
            this.name = name;
            this.args = args;
        }

        String attr(String k, String def) {
            String v = attrs.get(k);
            return v == null ? def : v.replace("\"", "").strip();
        }

        String complexAttr(String k) {
            return complex.get(k);
        }

        Group child(String n) {
            for (Group g : children) if (g.name.equals(n)) return g;
            return null;
        }
    }

    static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        List<Group> groups() {
            List<Group> out = new ArrayList<>();
            Group root = new Group("", List.of());
            body(root, true);
            out.addAll(root.children);
            return out;
        }

        private void body(Group g, boolean top) {
            while (true) {
                skip();
                if (i >= s.length()) {
                    if (!top) throw new IllegalArgumentException("unexpected end of file in group " + g.name);
                    return;
                }
                if (s.charAt(i) == '}') {
                    if (top) throw new IllegalArgumentException("unbalanced '}'");
                    i++;
                    return;
                }
                String id = ident();
                if (id.isEmpty()) throw new IllegalArgumentException("unexpected '" + s.charAt(i) + "' at offset " + i);
                skip();
                if (i < s.length() && s.charAt(i) == ':') {
                    i++;
                    int start = i;
                    boolean q = false;
                    while (i < s.length()) {
                        char c = s.charAt(i);
                        if (c == '"') q = !q;
                        else if (!q && (c == ';' || c == '\n')) break;
                        i++;
                    }
                    g.attrs.put(id, s.substring(start, i).strip());
                    if (i < s.length() && s.charAt(i) == ';') i++;
                } else if (i < s.length() && s.charAt(i) == '(') {
                    String raw = parens();
                    skip();
                    if (i < s.length() && s.charAt(i) == '{') {
                        i++;
                        List<String> args = new ArrayList<>();
                        for (String a : raw.split(",")) if (!a.isBlank()) args.add(a.replace("\"", "").strip());
                        Group child = new Group(id, args);
                        body(child, false);
                        g.children.add(child);
                    } else {
                        g.complex.put(id, raw);
                        if (i < s.length() && s.charAt(i) == ';') i++;
                    }
                } else {
                    throw new IllegalArgumentException("expected ':' or '(' after " + id + " at offset " + i);
                }
            }
        }

        private String parens() {
            int depth = 0, start = i + 1;
            boolean q = false;
            for (; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') q = !q;
                if (q) continue;
                if (c == '(') depth++;
                else if (c == ')' && --depth == 0) {
                    String r = s.substring(start, i);
                    i++;
                    return r;
                }
            }
            throw new IllegalArgumentException("unbalanced '('");
        }

        private String ident() {
            int st = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) i++;
            return s.substring(st, i);
        }

        private void skip() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c) || c == '\\' || c == ';') i++;
                else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                    int e = s.indexOf("*/", i + 2);
                    i = e < 0 ? s.length() : e + 2;
                } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                    int e = s.indexOf('\n', i);
                    i = e < 0 ? s.length() : e + 1;
                } else return;
            }
        }
    }
}
