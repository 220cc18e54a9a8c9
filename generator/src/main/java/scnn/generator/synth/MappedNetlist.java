package scnn.generator.synth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;

/**
 * A flat gate-level netlist as Yosys writes it ({@code write_json}) after technology mapping: cell
 * instances of library cells (and black boxes), their pin connections as net-bit ids, the top
 * ports and the names of the nets. Read with a streaming parser (the netlists of the full networks
 * are large).
 */
public final class MappedNetlist {
    /** One cell instance; {@code pins[k]} connects to {@code bits[k]} (one id per bit; 0/1 = constants). */
    public record Inst(String name, String type, String[] pins, int[][] bits) {}

    /** A top-level port. */
    public record Port(String name, String direction, int[] bits) {}

    private final String top;
    private final List<Inst> cells;
    private final Map<String, Port> ports;
    /** Bit id to its best name ({@code net} or {@code net[i]}); bits without a public name are absent. */
    private final Map<Integer, String> bitNames;
    /** Name ({@code net} or {@code net[i]}) to bit id, public names only. */
    private final Map<String, Integer> namedBits;
    private final int maxBit;

    private MappedNetlist(String top, List<Inst> cells, Map<String, Port> ports, Map<Integer, String> bitNames,
                          Map<String, Integer> namedBits, int maxBit) {
        this.top = top;
        this.cells = cells;
        this.ports = ports;
        this.bitNames = bitNames;
        this.namedBits = namedBits;
        this.maxBit = maxBit;
    }

    public static MappedNetlist read(Path json, String top) {
        ObjectMapper m = new ObjectMapper();
        try (JsonParser p = new JsonFactory(m).createParser(json.toFile())) {
            expect(p.nextToken(), JsonToken.START_OBJECT, json);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (!f.equals("modules")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String mod = p.currentName();
                    p.nextToken();
                    if (!mod.equals(top)) {
                        p.skipChildren();
                        continue;
                    }
                    return module(p, m, top);
                }
            }
        } catch (IOException e) {
            throw new ScnnException(json + ": cannot read the mapped netlist (" + e.getMessage() + ")");
        }
        throw new ScnnException(json + ": no module " + top + " in the mapped netlist");
    }

    private static void expect(JsonToken t, JsonToken want, Path f) {
        if (t != want) throw new ScnnException(f + ": not a Yosys JSON netlist");
    }

    private static MappedNetlist module(JsonParser p, ObjectMapper m, String top) throws IOException {
        List<Inst> cells = new ArrayList<>();
        Map<String, Port> ports = new LinkedHashMap<>();
        Map<Integer, String> bitNames = new HashMap<>();
        Map<Integer, Boolean> bitNameHidden = new HashMap<>();
        Map<String, Integer> named = new HashMap<>();
        int maxBit = 1;
        Map<String, String[]> pinOrder = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "ports" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String n = p.currentName();
                        p.nextToken();
                        JsonNode o = p.readValueAsTree();
                        int[] b = bits(o.path("bits"));
                        for (int x : b) maxBit = Math.max(maxBit, x);
                        ports.put(n, new Port(n, o.path("direction").asText(), b));
                    }
                }
                case "cells" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String n = p.currentName();
                        p.nextToken();
                        JsonNode o = p.readValueAsTree();
                        String type = o.path("type").asText();
                        JsonNode conn = o.path("connections");
                        List<String> pn = new ArrayList<>();
                        for (Iterator<String> it = conn.fieldNames(); it.hasNext(); ) pn.add(it.next());
                        String[] pins = pinOrder.computeIfAbsent(type + "|" + String.join(",", pn), k -> pn.toArray(new String[0]));
                        int[][] b = new int[pins.length][];
                        for (int k = 0; k < pins.length; k++) {
                            b[k] = bits(conn.path(pins[k]));
                            for (int x : b[k]) maxBit = Math.max(maxBit, x);
                        }
                        cells.add(new Inst(n, type, pins, b));
                    }
                }
                case "netnames" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String n = p.currentName();
                        p.nextToken();
                        JsonNode o = p.readValueAsTree();
                        boolean hidden = o.path("hide_name").asInt() == 1 || n.startsWith("$");
                        int[] b = bits(o.path("bits"));
                        for (int k = 0; k < b.length; k++) {
                            if (b[k] < 2) continue;
                            int idx = o.path("upto").asInt() == 1 ? o.path("offset").asInt(0) + b.length - 1 - k : o.path("offset").asInt(0) + k;
                            String bn = b.length == 1 ? n : n + "[" + idx + "]";
                            if (!hidden) named.put(bn, b[k]);
                            Boolean prevHidden = bitNameHidden.get(b[k]);
                            if (prevHidden == null || (prevHidden && !hidden)) {
                                bitNames.put(b[k], bn);
                                bitNameHidden.put(b[k], hidden);
                            }
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        bitNames.entrySet().removeIf(e -> bitNameHidden.get(e.getKey()));
        return new MappedNetlist(top, cells, ports, bitNames, named, maxBit);
    }

    /** Bit ids of a connection; constants "0"/"1" become 0/1, "x"/"z" 0. */
    private static int[] bits(JsonNode a) {
        int[] b = new int[a.size()];
        for (int i = 0; i < b.length; i++) {
            JsonNode x = a.get(i);
            b[i] = x.isInt() ? x.asInt() : x.asText().equals("1") ? 1 : 0;
        }
        return b;
    }

    public String top() {
        return top;
    }

    public List<Inst> cells() {
        return cells;
    }

    public Map<String, Port> ports() {
        return ports;
    }

    /** The bit id of a public net name ({@code net} for one bit, {@code net[i]}), or -1. */
    public int bit(String name) {
        Integer b = namedBits.get(name);
        return b == null ? -1 : b;
    }

    /** The public name of a bit, or null. */
    public String name(int bit) {
        return bitNames.get(bit);
    }

    /** Instances per cell type. */
    public Map<String, Long> countByType() {
        Map<String, Long> m = new TreeMap<>();
        for (Inst c : cells) m.merge(c.type, 1L, Long::sum);
        return m;
    }

    /** Sum of the library areas of all instances (types the library lacks, black boxes, count 0). */
    public double area(Liberty lib) {
        double a = 0;
        for (Inst c : cells) {
            Liberty.Cell lc = lib.cell(c.type);
            if (lc != null) a += lc.area();
        }
        return a;
    }

    // ---- connectivity -------------------------------------------------------------------------

    /** For every bit: the instance driving it (index) or -1 (port, constant, undriven). */
    int[] drivers(Function<String, Set<String>> outputsOf) {
        int[] d = new int[maxBit + 1];
        Arrays.fill(d, -1);
        for (int i = 0; i < cells.size(); i++) {
            Inst c = cells.get(i);
            Set<String> outs = outputsOf.apply(c.type);
            for (int k = 0; k < c.pins.length; k++)
                if (outs.contains(c.pins[k])) for (int b : c.bits[k]) if (b >= 2) d[b] = i;
        }
        return d;
    }

    /**
     * Attributes every instance to a class. A cell whose output net is named gets the class of
     * that name ({@code classOf}, null when the name says nothing); the others get the class of the
     * nearest such cell or output port in their fan-out (fewest cells on the way, searched backwards
     * from all classified points at once; a tie goes to the point reached first in netlist order).
     * Cells that reach none are "unattributed".
     *
     * @return class per instance, in {@link #cells()} order
     */
    public String[] classify(Liberty lib, Function<String, String> classOf) {
        Function<String, Set<String>> outs = outputsFn(lib);
        int[] drv = drivers(outs);
        String[] cls = new String[cells.size()];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < cells.size(); i++) {
            Inst c = cells.get(i);
            Set<String> o = outs.apply(c.type);
            for (int k = 0; k < c.pins.length && cls[i] == null; k++) {
                if (!o.contains(c.pins[k])) continue;
                for (int b : c.bits[k]) {
                    String n = bitNames.get(b);
                    String t = n == null ? null : classOf.apply(n);
                    if (t != null) {
                        cls[i] = t;
                        break;
                    }
                }
            }
            if (cls[i] != null) queue.add(i);
        }
        for (Port pt : ports.values()) {
            if (!pt.direction.equals("output")) continue;
            String t = classOf.apply(pt.name);
            if (t == null) continue;
            for (int b : pt.bits) {
                if (b < 2 || drv[b] < 0 || cls[drv[b]] != null) continue;
                cls[drv[b]] = t;
                queue.add(drv[b]);
            }
        }
        // backwards: a cell's inputs' drivers inherit its class when they have none yet
        while (!queue.isEmpty()) {
            int i = queue.poll();
            Inst c = cells.get(i);
            Set<String> o = outs.apply(c.type);
            for (int k = 0; k < c.pins.length; k++) {
                if (o.contains(c.pins[k])) continue;
                for (int b : c.bits[k]) {
                    if (b < 2 || drv[b] < 0 || cls[drv[b]] != null) continue;
                    if (lib.cell(cells.get(drv[b]).type) != null && lib.cell(cells.get(drv[b]).type).sequential()) continue;
                    cls[drv[b]] = cls[i];
                    queue.add(drv[b]);
                }
            }
        }
        for (int i = 0; i < cls.length; i++) if (cls[i] == null) cls[i] = "unattributed";
        return cls;
    }

    private static Function<String, Set<String>> outputsFn(Liberty lib) {
        Map<String, Set<String>> cache = new HashMap<>();
        return type -> cache.computeIfAbsent(type, t -> {
            Liberty.Cell c = lib.cell(t);
            if (c == null) return Set.of();
            Set<String> s = new java.util.HashSet<>();
            for (Liberty.Pin p : c.outputs()) s.add(p.name());
            return s;
        });
    }

    private static final java.util.regex.Pattern BUS_BIT = java.util.regex.Pattern.compile("(.+)\\[(\\d+)\\]");

    /**
     * Whether {@code path} (pins as OpenSTA prints them: {@code inst/PIN}, or a top-level port) is
     * a path of this netlist in signal direction: from a start (an input port or any pin), each
     * output pin (or input port) drives the net of the next pin, an input pin of another cell (or
     * an output port), and each input pin is followed by an output pin of the same cell (a cell
     * arc); a bus pin's bit is {@code inst/pin[k]}. Needs {@link #setDriverPins}.
     */
    public boolean isPath(List<String> path) {
        Map<String, Inst> byName = new HashMap<>();
        for (Inst c : cells) byName.put(c.name, c);
        int[] prevBits = null;
        String prevCell = null;
        boolean prevIsDriver = false;
        for (int i = 0; i < path.size(); i++) {
            String pp = path.get(i);
            int slash = pp.lastIndexOf('/');
            int[] b;
            String cell;
            boolean driver;
            if (slash < 0) {
                Port pt = ports.get(pp.replaceAll("\\[\\d+\\]$", ""));
                if (pt == null) return false;
                int bit = portBit(pt, pp);
                b = new int[] {bit};
                cell = null;
                driver = pt.direction.equals("input");
            } else {
                Inst c = byName.get(pp.substring(0, slash));
                if (c == null) return false;
                String pin = pp.substring(slash + 1);
                int k = Arrays.asList(c.pins).indexOf(pin);
                if (k >= 0) {
                    b = c.bits[k];
                } else {
                    // one bit of a bus pin (a black box's key[15]): bit 15 of pin key, LSB first as Yosys lists them
                    java.util.regex.Matcher m = BUS_BIT.matcher(pin);
                    if (!m.matches() || (k = Arrays.asList(c.pins).indexOf(m.group(1))) < 0) return false;
                    int idx = Integer.parseInt(m.group(2));
                    if (idx >= c.bits[k].length) return false;
                    b = new int[] {c.bits[k][idx]};
                }
                cell = c.name;
                driver = outputsOf.apply(c).contains(c.pins[k]);
            }
            if (i > 0) {
                if (prevIsDriver) {
                    // a net: driver to a reader
                    if (driver) return false;
                    boolean connected = false;
                    for (int x : b) for (int y : prevBits) if (x == y && x >= 2) connected = true;
                    if (!connected) return false;
                } else {
                    // a cell arc: an input pin to an output pin of the same cell
                    if (!driver || cell == null || !cell.equals(prevCell)) return false;
                }
            }
            prevBits = b;
            prevCell = cell;
            prevIsDriver = driver;
        }
        return true;
    }

    private static int portBit(Port pt, String ref) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(\\d+)\\]$").matcher(ref);
        int idx = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return idx < pt.bits.length ? pt.bits[idx] : -1;
    }

    // ---- power netlist ------------------------------------------------------------------------

    /**
     * Writes this netlist as structural Verilog for power analysis, with every bit of {@code cut}
     * (bit id to a port name) cut open: the nets' readers are fed by a new input port of that name
     * (so that OpenSTA takes its activity as given), the driver drives a new output port
     * {@code <name>_drv}.
     */
    public void writePowerVerilog(Path file, Map<Integer, String> cut) {
        writePowerVerilog(file, cut, false);
    }

    /** Wire names of the constants when they are written as nets ({@link #writePowerVerilog(Path, Map, boolean)}). */
    public static final String CONST0_NET = "scnn_const0", CONST1_NET = "scnn_const1";

    /**
     * As {@link #writePowerVerilog(Path, Map)}; with {@code constantsAsNets}, the constant bits are
     * the undriven wires {@value #CONST0_NET} and {@value #CONST1_NET} instead of {@code 1'b0} and
     * {@code 1'b1} (OpenSTA 2.0.17's {@code report_power} can crash in its constant propagation on
     * some netlists; an undriven net carries no activity, which is what a constant does).
     */
    public void writePowerVerilog(Path file, Map<Integer, String> cut, boolean constantsAsNets) {
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            Map<Integer, String> driverNet = new HashMap<>();
            for (Map.Entry<Integer, String> e : cut.entrySet()) driverNet.put(e.getKey(), e.getValue() + "_drv");
            List<String> portDecl = new ArrayList<>();
            List<String> portNames = new ArrayList<>();
            Map<Integer, String> portOfBit = new HashMap<>();
            for (Port pt : ports.values()) {
                String n = esc(pt.name);
                portNames.add(n);
                portDecl.add("  " + pt.direction + (pt.bits.length > 1 ? " [" + (pt.bits.length - 1) + ":0] " : " ") + n + ";");
                for (int k = 0; k < pt.bits.length; k++)
                    if (pt.direction.equals("input")) portOfBit.putIfAbsent(pt.bits[k], pt.bits.length > 1 ? n + "[" + k + "]" : n);
            }
            for (String n : cut.values()) {
                portNames.add(esc(n));
                portDecl.add("  input " + esc(n) + ";");
                portNames.add(esc(n + "_drv"));
                portDecl.add("  output " + esc(n + "_drv") + ";");
            }
            w.write("module " + esc(top) + "(" + String.join(", ", portNames) + ");\n");
            for (String d : portDecl) w.write(d + "\n");
            // every non-port bit is a wire n<id>
            Function<Integer, String> ref = b -> {
                if (b == 0) return constantsAsNets ? CONST0_NET : "1'b0";
                if (b == 1) return constantsAsNets ? CONST1_NET : "1'b1";
                String c = cut.get(b);
                if (c != null) return esc(c);
                String pn = portOfBit.get(b);
                return pn != null ? pn : "n" + b;
            };
            if (constantsAsNets) w.write("  wire " + CONST0_NET + ";\n  wire " + CONST1_NET + ";\n");
            java.util.BitSet declared = new java.util.BitSet();
            for (Inst c : cells)
                for (int[] bs : c.bits)
                    for (int b : bs)
                        if (b >= 2 && !declared.get(b)) {
                            declared.set(b);
                            w.write("  wire n" + b + ";\n");
                        }
            for (Inst c : cells) {
                w.write("  " + esc(c.type) + " " + esc(c.name) + " (");
                for (int k = 0; k < c.pins.length; k++) {
                    if (k > 0) w.write(", ");
                    int[] bs = c.bits[k];
                    w.write("." + c.pins[k] + "(");
                    if (bs.length == 1) w.write(pinRef(bs[0], c, k, ref, driverNet));
                    else {
                        w.write("{");
                        for (int j = bs.length - 1; j >= 0; j--) w.write((j < bs.length - 1 ? ", " : "") + pinRef(bs[j], c, k, ref, driverNet));
                        w.write("}");
                    }
                    w.write(")");
                }
                w.write(");\n");
            }
            // output ports: assign from their bits
            for (Port pt : ports.values()) {
                if (!pt.direction.equals("output")) continue;
                for (int k = 0; k < pt.bits.length; k++) {
                    String lhs = esc(pt.name) + (pt.bits.length > 1 ? "[" + k + "]" : "");
                    w.write("  assign " + lhs + " = " + ref.apply(pt.bits[k]) + ";\n");
                }
            }
            w.write("endmodule\n");
            w.flush();
        });
    }

    /** Marks which pin is the driver, for cut nets; set by the caller through {@link #setDriverPins}. */
    private Function<Inst, Set<String>> outputsOf = c -> Set.of();

    public void setDriverPins(Liberty lib) {
        Function<String, Set<String>> f = outputsFn(lib);
        outputsOf = c -> f.apply(c.type);
    }

    private String pinRef(int b, Inst c, int k, Function<Integer, String> ref, Map<Integer, String> driverNet) {
        if (driverNet.containsKey(b) && outputsOf.apply(c).contains(c.pins[k])) return esc(driverNet.get(b));
        return ref.apply(b);
    }

    /**
     * A copy in which every net that drives more than {@code maxFanout} input pins reaches them
     * through a tree of {@code buffer} cells of at most {@code maxFanout} loads each. ABC buffers
     * the nets it sees inside one module, but not the loads it does not see: pins of black boxes
     * (cells the standard-cell library lacks, such as the s-MTJ cells) and, because each module of
     * the hierarchy is mapped once on its own, the cells of the submodule instances that a net
     * reaches through their ports (a module's input port drives its loads with no driver ABC
     * could size, and the parent's driver sees one port); after flattening such a net can have
     * thousands of loads on one small gate. The buffers are named {@code fanout_buf_<k>}, their
     * nets get fresh bit ids; nothing else changes. {@code lib} knows every cell's pin directions
     * (standard cells and black boxes).
     */
    public MappedNetlist withFanoutBuffers(Liberty lib, Liberty.Cell buffer, int maxFanout) {
        String bin = buffer.inputs().get(0).name(), bout = buffer.outputs().get(0).name();
        Function<String, Set<String>> outs = outputsFn(lib);
        // loads on input pins, per driving bit: (cell index, pin index, bit index)
        Map<Integer, List<int[]>> loads = new java.util.TreeMap<>();
        for (int ci = 0; ci < cells.size(); ci++) {
            Inst c = cells.get(ci);
            Set<String> o = outs.apply(c.type);
            for (int k = 0; k < c.pins.length; k++) {
                if (o.contains(c.pins[k])) continue;
                for (int j = 0; j < c.bits[k].length; j++) if (c.bits[k][j] >= 2) loads.computeIfAbsent(c.bits[k][j], x -> new ArrayList<>()).add(new int[] {ci, k, j});
            }
        }
        List<Inst> out = new ArrayList<>(cells.size());
        int[][][] bits = new int[cells.size()][][];
        for (int ci = 0; ci < cells.size(); ci++) {
            Inst c = cells.get(ci);
            bits[ci] = new int[c.bits.length][];
            for (int k = 0; k < c.bits.length; k++) bits[ci][k] = c.bits[k].clone();
        }
        int next = maxBit + 1, nbuf = 0;
        List<Inst> added = new ArrayList<>();
        for (Map.Entry<Integer, List<int[]>> e : loads.entrySet()) {
            List<int[]> ls = e.getValue();
            if (ls.size() <= maxFanout) continue;
            // leaves: groups of maxFanout loads, each on its own buffer; then buffers of buffers up to the root
            List<Integer> level = new ArrayList<>();
            for (int g = 0; g < ls.size(); g += maxFanout) {
                int nb = next++;
                for (int[] l : ls.subList(g, Math.min(ls.size(), g + maxFanout))) bits[l[0]][l[1]][l[2]] = nb;
                level.add(nb);
            }
            List<int[]> pending = new ArrayList<>(); // (buffer output bit, index into added) whose input is unset
            for (int nb : level) {
                added.add(new Inst("fanout_buf_" + nbuf++, buffer.name(), new String[] {bin, bout}, new int[][] {{-1}, {nb}}));
                pending.add(new int[] {nb, added.size() - 1});
            }
            while (pending.size() > maxFanout) {
                List<int[]> up = new ArrayList<>();
                for (int g = 0; g < pending.size(); g += maxFanout) {
                    int nb = next++;
                    for (int[] q : pending.subList(g, Math.min(pending.size(), g + maxFanout))) added.get(q[1]).bits()[0][0] = nb;
                    added.add(new Inst("fanout_buf_" + nbuf++, buffer.name(), new String[] {bin, bout}, new int[][] {{-1}, {nb}}));
                    up.add(new int[] {nb, added.size() - 1});
                }
                pending = up;
            }
            for (int[] q : pending) added.get(q[1]).bits()[0][0] = e.getKey();
        }
        for (int ci = 0; ci < cells.size(); ci++) out.add(new Inst(cells.get(ci).name, cells.get(ci).type, cells.get(ci).pins, bits[ci]));
        out.addAll(added);
        MappedNetlist m = new MappedNetlist(top, List.copyOf(out), ports, bitNames, namedBits, next - 1);
        m.outputsOf = outputsOf;
        return m;
    }

    /** The strongest buffer of a library: a combinational cell of one input and one output whose function is that input (largest area). */
    public static Liberty.Cell strongestBuffer(Liberty lib) {
        Liberty.Cell best = null;
        for (Liberty.Cell c : lib.cells().values()) {
            if (c.sequential() || c.inputs().size() != 1 || c.outputs().size() != 1) continue;
            String f = c.outputs().get(0).function();
            if (f == null || !f.replace("\"", "").strip().equals(c.inputs().get(0).name())) continue;
            if (best == null || c.area() > best.area() || c.area() == best.area() && c.name().compareTo(best.name()) < 0) best = c;
        }
        return best;
    }

    static String esc(String n) {
        return n.matches("[A-Za-z_][A-Za-z0-9_$]*") ? n : "\\" + n + " ";
    }
}
