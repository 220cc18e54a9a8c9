package scnn.generator.verilog;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Instance;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;

/**
 * Prints an IR {@link Design} as one Verilog-2005 module with exactly the IR's semantics. See
 * {@code docs/verilog.md} for the mapping; in short: every node is a net or variable of its own name,
 * an array node ({@code count > 1}) is an unpacked array {@code [0:count-1]} computed by one
 * {@code always} block with a {@code for} loop over the elements (a register array is a flat state
 * vector with an unpacked view), every expression is sized so that no Verilog width rule can change
 * a result, and large constant arrays are memory-init files read with
 * {@code $readmemh({MEM_DIR, "<node>.hex"}, <node>)}.
 *
 * <p>The output is a pure function of the design: the same IR always gives byte-identical text.
 */
public final class VerilogEmitter {
    /** Constant arrays of more words than this, or more bits, go into memory-init files. */
    public static final int INLINE_ARRAY_MAX_WORDS = 16;
    /** See {@link #INLINE_ARRAY_MAX_WORDS}. */
    public static final int INLINE_ARRAY_MAX_BITS = 1024;

    private static final String IND = "    ";

    /**
     * What the emitter produced.
     *
     * @param top module name ({@code design.name()})
     * @param verilogFile file name of the module, {@code <top>.v}
     * @param verilog the module text
     * @param memoryFiles memory-init files: file name to content ({@code $readmemh} format), sorted
     * @param memDirParameter name of the string parameter prefixed to memory-file names (its
     *     default is {@code "./"}), or null when there are no memory files
     * @param ports the module's ports in order
     * @param bitPlanes constants that BITSEL reads as codes, re-laid out as bit planes
     * @param blackbox the module is an empty {@code (* blackbox *)} shell of a cell
     */
    public record Output(String top, String verilogFile, String verilog, SortedMap<String, String> memoryFiles,
                         String memDirParameter, List<Port> ports, List<BitPlanes> bitPlanes, boolean blackbox) {
        public Output(String top, String verilogFile, String verilog, SortedMap<String, String> memoryFiles,
                      String memDirParameter, List<Port> ports, List<BitPlanes> bitPlanes) {
            this(top, verilogFile, verilog, memoryFiles, memDirParameter, ports, bitPlanes, false);
        }
    }

    /**
     * A constant array of BITSEL codes stored as bit planes: bit k of code j of element g is bit
     * {@code k * codes + j} of word g of {@code variable} (in the original layout it was bit
     * {@code j * codeBits + k}).
     *
     * @param constant the IR constant node
     * @param variable the Verilog array (or vector) that holds the planes
     * @param file its memory file, or null when inline
     * @param codeBits bits per code (cw)
     * @param codes codes per word (the BITSEL width)
     * @param originalEmitted whether the constant is also emitted in its original layout (read
     *     by something other than BITSEL codes)
     */
    public record BitPlanes(String constant, String variable, String file, int codeBits, int codes, boolean originalEmitted) {}

    /**
     * A module port.
     *
     * @param name port name
     * @param input true for an input
     * @param width bits
     */
    public record Port(String name, boolean input, int width) {
        public String direction() {
            return input ? "input" : "output";
        }
    }

    /**
     * True when {@code name} is a Verilog-2005 or SystemVerilog-2017 keyword (or {@code clk} /
     * {@code rst}): the emitter rejects IR names for which this holds.
     */
    public static boolean isReservedWord(String name) {
        return Keywords.is(name);
    }

    /**
     * Emits {@code design} (which must validate) as one module. A hierarchical design needs its
     * sub-designs too: see {@link #emitAll}.
     */
    public static Output emit(Design design) {
        if (design.hierarchical()) throw new IllegalArgumentException(design.name() + " instantiates sub-designs: emit it with emitAll");
        return new VerilogEmitter(design, Map.of(), "").run();
    }

    /**
     * Emits {@code top} and every design it instantiates, one module each, identical modules
     * (the same {@link Design} object) once, sub-modules first and {@code top} last. Distinct
     * designs of one name are an error. A sub-module's memory files are named
     * {@code <module>_<node>.hex}; a module that reads memory files, or instantiates one that does,
     * has the parameter {@code MEM_DIR} and passes it down.
     */
    public static List<Output> emitAll(Design top) {
        return emitAll(top, Set.of());
    }

    /**
     * {@link #emitAll(Design)}, with every module of a cell kind in {@code blackboxCells}
     * ({@link Design#cellKind()}) printed as an empty {@code (* blackbox *)} module with the same
     * ports (so that synthesis keeps its instances for a device macro).
     */
    public static List<Output> emitAll(Design top, Set<String> blackboxCells) {
        return emitAll(top, List.of(), blackboxCells).get(0);
    }

    /**
     * {@link #emitAll(Design, Set)} for {@code top} and further tops that share its modules (e.g. a
     * wrapper around a design derived from {@code top}, instantiating the same cells): one list per
     * top, {@code top}'s first; a module shared with an earlier top is emitted once and listed only
     * there. The memory files of a further top are named {@code <module>_<node>.hex} like a
     * sub-module's, so they cannot clash with {@code top}'s.
     */
    public static List<List<Output>> emitAll(Design top, List<Design> furtherTops, Set<String> blackboxCells) {
        Map<Design, Output> done = new java.util.IdentityHashMap<>();
        Map<String, Design> byName = new LinkedHashMap<>();
        List<List<Output>> all = new ArrayList<>();
        List<Design> tops = new ArrayList<>();
        tops.add(top);
        tops.addAll(furtherTops);
        for (Design t : tops) {
            List<Output> out = new ArrayList<>();
            for (Design m : t.modules()) {
                if (done.containsKey(m)) continue;
                Design other = byName.putIfAbsent(m.name(), m);
                if (other != null && other != m) throw new IllegalArgumentException("two different modules are named " + m.name());
                boolean isTop = tops.contains(m);
                Output o = m.cellKind() != null && blackboxCells.contains(m.cellKind()) && !isTop ? blackbox(m)
                        : new VerilogEmitter(m, done, m == top ? "" : m.name() + "_").run();
                done.put(m, o);
                out.add(o);
            }
            all.add(List.copyOf(out));
        }
        return List.copyOf(all);
    }

    /** The empty shell of a cell: its ports, no body, marked {@code (* blackbox *)}. */
    private static Output blackbox(Design m) {
        List<Port> ports = new ArrayList<>();
        ports.add(new Port("clk", true, 1));
        ports.add(new Port("rst", true, 1));
        for (Node n : m.inputs()) ports.add(new Port(n.name(), true, n.width() * n.count()));
        for (Map.Entry<String, Ref> e : m.outputs().entrySet()) ports.add(new Port(e.getKey(), false, e.getValue().node().width() * e.getValue().node().count()));
        StringBuilder sb = new StringBuilder();
        sb.append("// ").append(m.name()).append(".v: generated by scnn; the ").append(m.cellKind())
                .append(" cell as a black box: put the device macro here (pin contract: README, docs/verilog.md); do not edit.\n");
        sb.append("`default_nettype none\n\n");
        sb.append("/* verilator lint_off UNUSEDSIGNAL */\n/* verilator lint_off UNDRIVEN */\n");
        sb.append("(* blackbox *)\nmodule ").append(m.name()).append(" (\n");
        for (int i = 0; i < ports.size(); i++) {
            Port p = ports.get(i);
            sb.append(IND).append(p.direction()).append(" wire ").append(range(p.width())).append(' ').append(p.name())
                    .append(i + 1 < ports.size() ? ",\n" : "\n");
        }
        sb.append(");\nendmodule\n/* verilator lint_on UNDRIVEN */\n/* verilator lint_on UNUSEDSIGNAL */\n\n`default_nettype wire\n");
        return new Output(m.name(), m.name() + ".v", sb.toString(), Collections.unmodifiableSortedMap(new TreeMap<>()), null,
                List.copyOf(ports), List.of(), true);
    }

    /** True when a memory file of {@code out} or of a module it instantiates needs {@code MEM_DIR}. */
    private static boolean needsMemDir(Output o) {
        return o.memDirParameter() != null;
    }

    // ------------------------------------------------------------------------------------------

    private final Design d;
    /** Emitted sub-modules (for their ports and memory-directory parameters). */
    private final Map<Design, Output> subs;
    /** Prefix of the memory-file names ("" for the top). */
    private final String memPrefix;
    /** Verilog variable of a node where it is not the node's name: the unpacked view of an array port. */
    private final Map<Node, String> var = new java.util.HashMap<>();
    /** Combinational nodes whose every leaf is a constant (emitted as continuous assignments). */
    private final BitSet constCone = new BitSet();
    private final List<Node> order;
    private final Names names;
    private final BitSet[] used;
    private final Map<Node, String> outputNamedAsNode = new LinkedHashMap<>();
    private final String memDir;
    private final Map<String, String> functions = new LinkedHashMap<>(); // signature -> name
    private final StringBuilder funcText = new StringBuilder();
    private final StringBuilder decl = new StringBuilder();
    private final StringBuilder body = new StringBuilder();
    private final TreeMap<String, String> memFiles = new TreeMap<>();
    private final Set<String> memFilesLower = new HashSet<>();
    /** Constant BITSEL codes, re-laid out as bit planes: (codes node, cw) -> planes variable. */
    private final Map<Node, Map<Integer, String>> planes = new LinkedHashMap<>();
    private final List<BitPlanes> bitPlanes = new ArrayList<>();
    private String lastMemFile;

    private VerilogEmitter(Design design, Map<Design, Output> subs, String memPrefix) {
        this.d = design;
        this.subs = subs;
        this.memPrefix = memPrefix;
        this.order = design.validate();
        List<String> ir = new ArrayList<>();
        for (Node n : design.nodes()) ir.add(n.name());
        ir.addAll(design.outputs().keySet());
        for (Instance i : design.instances()) ir.add(i.name());
        ir.add(design.name());
        if (!design.clockPort().equals("clk")) ir.add(design.clockPort());
        if (!design.resetPort().equals("rst")) ir.add(design.resetPort());
        this.names = new Names(ir);
        this.memDir = names.fresh("MEM_DIR");
        this.used = usage(design);
        for (Node n : design.nodes())
            if (n.op() == Op.INPUT && n.count() > 1) var.put(n, names.fresh(n.name() + "_v"));
        // nodes whose expression reads no signal: constants only, or a shift out of the whole width
        for (Node n : order) {
            boolean c = n.op() != Op.INST_OUT;
            for (Ref r : n.args()) {
                Node a = r.node();
                c &= a.op() == Op.CONST || constCone.get(a.id());
            }
            c |= (n.op() == Op.SHL || n.op() == Op.SHR) && n.param(0) >= n.width();
            if (c) constCone.set(n.id());
        }
        for (Node n : design.nodes())
            if (n.op() == Op.BITSEL && n.arg(1).node().op() == Op.CONST && planesWorthIt(n)) {
                Node c = n.arg(1).node();
                Map<Integer, String> byCw = planes.computeIfAbsent(c, k -> new TreeMap<>());
                if (!byCw.containsKey(n.param(0))) byCw.put(n.param(0), names.fresh(c.name() + "_planes" + (byCw.isEmpty() ? "" : "_" + n.param(0))));
            }
        for (Map.Entry<String, Ref> e : design.outputs().entrySet()) {
            Node drv = e.getValue().node();
            if (drv.count() > 1 && e.getKey().equals(drv.name()))
                throw new IllegalArgumentException("array output " + e.getKey() + " has the name of its driver");
            if (e.getKey().equals(drv.name())) {
                if (drv.op() == Op.INPUT)
                    throw new IllegalArgumentException("output " + e.getKey() + " has the name of an input port");
                outputNamedAsNode.put(drv, e.getKey());
            }
        }
    }

    private Output run() {
        for (Node n : d.nodes()) declare(n);
        for (Node n : d.nodes()) if (n.op() == Op.CONST) emitConst(n);
        for (Node n : d.nodes()) if (n.op() == Op.REG) emitReg(n);
        for (Node n : d.nodes()) if (n.op() == Op.RAM) emitRam(n);
        for (Node n : d.inputs()) if (n.count() > 1) emitArrayInput(n);
        for (Instance i : d.instances()) emitInstance(i);
        for (Node n : order) emitComb(n);
        for (Map.Entry<String, Ref> e : d.outputs().entrySet()) {
            Node drv = e.getValue().node();
            if (drv.count() > 1) {
                String port = e.getKey();
                int w = drv.width();
                combLoop(port, drv.count(), i -> port + "[" + i + "*" + w + " +: " + w + "] = " + el(Ref.same(drv), i));
            } else if (!e.getKey().equals(drv.name()))
                body.append(IND).append("assign ").append(e.getKey()).append(" = ").append(el(e.getValue(), null)).append(";\n");
        }
        boolean memDirNeeded = !memFiles.isEmpty();
        for (Instance i : d.instances()) memDirNeeded |= needsMemDir(subs.get(i.module()));

        List<Port> ports = new ArrayList<>();
        StringBuilder sb = new StringBuilder(decl.length() + body.length() + funcText.length() + 4096);
        sb.append("// ").append(d.name()).append(".v: generated by scnn from the netlist IR (").append(d.nodes().size())
                .append(" nodes); do not edit.\n");
        if (d.clockPort().equals("clk") && d.resetPort().equals("rst") && !d.resetActiveLow())
            sb.append("// Clock clk, synchronous active-high reset rst.");
        else
            sb.append("// Clock ").append(d.clockPort()).append(", synchronous active-").append(d.resetActiveLow() ? "low" : "high")
                    .append(" reset ").append(d.resetPort()).append('.');
        if (memDirNeeded)
            sb.append(" Memory-init files are read from the directory in parameter ").append(memDir)
                    .append(" (default \"./\": run the simulator in this directory).");
        sb.append('\n');
        sb.append("`default_nettype none\n\n");
        sb.append("module ").append(d.name());
        if (memDirNeeded) sb.append(" #(\n").append(IND).append("parameter ").append(memDir).append(" = \"./\"\n)");
        sb.append(" (\n");
        boolean anyState = false, anyReg = false;
        for (Node n : d.nodes()) {
            anyState |= n.isState();
            anyReg |= n.op() == Op.REG;
        }
        // an instance takes clk and rst
        anyState |= d.hierarchical();
        anyReg |= d.hierarchical();
        List<String> portLines = new ArrayList<>();
        List<String> portNotes = new ArrayList<>();
        String clk = d.clockPort(), rst = d.resetPort();
        ports.add(new Port(clk, true, 1));
        portLines.add("input wire " + clk);
        portNotes.add(anyState ? null : clk + " unused: the design has no state");
        ports.add(new Port(rst, true, 1));
        portLines.add("input wire " + rst);
        portNotes.add(anyReg ? null : rst + " unused: the design has no registers");
        for (Node n : d.inputs()) {
            ports.add(new Port(n.name(), true, n.width() * n.count()));
            portLines.add("input wire " + range(n.width() * n.count()) + " " + n.name());
            portNotes.add(unusedNote(n));
        }
        for (Map.Entry<String, Ref> e : d.outputs().entrySet()) {
            Node drv = e.getValue().node();
            ports.add(new Port(e.getKey(), false, drv.width() * drv.count()));
            boolean isVar = drv.count() > 1 || e.getKey().equals(drv.name()) && isReg(drv) && !constCone.get(drv.id());
            portLines.add("output " + (isVar ? "reg " : "wire ") + range(drv.width() * drv.count()) + " " + e.getKey());
            portNotes.add(null);
        }
        if (d.portOrder() != null) { // the order the design fixes (validated: every port once)
            List<Port> p2 = new ArrayList<>();
            List<String> l2 = new ArrayList<>(), n2 = new ArrayList<>();
            for (String name : d.portOrder()) {
                int k = 0;
                while (!ports.get(k).name().equals(name)) k++;
                p2.add(ports.get(k));
                l2.add(portLines.get(k));
                n2.add(portNotes.get(k));
            }
            ports = p2;
            portLines = l2;
            portNotes = n2;
        }
        for (int i = 0; i < portLines.size(); i++) {
            String line = IND + portLines.get(i) + (i + 1 < portLines.size() ? "," : "");
            sb.append(lintWrap(line, portNotes.get(i)));
        }
        sb.append(");\n");
        if (funcText.length() > 0) sb.append('\n').append(funcText);
        if (!clk.equals("clk") || !rst.equals("rst") || d.resetActiveLow()) {
            // the body uses clk and rst (active high): the named ports drive them
            sb.append('\n').append(IND).append("wire clk = ").append(clk).append(";\n");
            sb.append(IND).append("wire rst = ").append(d.resetActiveLow() ? "!" : "").append(rst).append(";\n");
        }
        sb.append('\n').append(decl);
        sb.append('\n').append(body);
        sb.append("endmodule\n\n`default_nettype wire\n");
        return new Output(d.name(), d.name() + ".v", sb.toString(), Collections.unmodifiableSortedMap(memFiles),
                memDirNeeded ? memDir : null, List.copyOf(ports), List.copyOf(bitPlanes));
    }

    // ---- bit usage (for lint: unused bits are declared inside a lint_off pair) ---------------

    private static BitSet[] usage(Design d) {
        BitSet[] u = new BitSet[d.nodes().size()];
        for (int i = 0; i < u.length; i++) u[i] = new BitSet();
        for (Node n : d.nodes()) {
            for (int i = 0; i < n.arity(); i++) {
                Ref r = n.arg(i);
                int w = r.width();
                BitSet b = u[r.node().id()];
                switch (n.op()) {
                    case SHL -> b.set(0, Math.max(0, w - n.param(0)));
                    case SHR -> b.set(Math.min(n.param(0), w), w);
                    case ASHR -> {
                        b.set(Math.min(n.param(0), w), w);
                        b.set(w - 1);
                    }
                    case SLICE -> b.set(n.param(0), n.param(0) + n.width());
                    case ZEXT, SEXT -> b.set(0, Math.min(w, n.width()));
                    case BITSEL -> {
                        // constant codes are read through their bit-plane copy (see bitselPlanes)
                        if (!(i == 1 && r.node().op() == Op.CONST && planesWorthIt(n))) b.set(0, w);
                    }
                    case ARRAY_GET -> {
                        // an index into a stored scalar that is always in range is not read, nor an identity index
                        if (!(i == 1 && stored(n.arg(0).node()) == 1 && alwaysInRange(w, n.arg(0).node().count())) && !(i == 1 && identityIndex(n))) b.set(0, w);
                    }
                    default -> b.set(0, w);
                }
            }
        }
        for (Ref r : d.outputs().values()) u[r.node().id()].set(0, r.width());
        for (Instance i : d.instances())
            for (Ref r : i.inputs().values()) u[r.node().id()].set(0, r.width());
        return u;
    }

    /** Null when every bit of {@code n} is read, else a note naming the unused bits. */
    private String unusedNote(Node n) {
        BitSet b = used[n.id()];
        if (b.cardinality() == n.width()) return null;
        if (b.isEmpty()) return n.name() + " is not used";
        StringBuilder sb = new StringBuilder(n.name()).append(" bits ");
        int ranges = 0;
        for (int lo = b.nextClearBit(0); lo < n.width(); lo = b.nextClearBit(lo)) {
            int hi = Math.min(b.nextSetBit(lo) < 0 ? n.width() : b.nextSetBit(lo), n.width()) - 1;
            if (ranges++ == 4) {
                sb.append(", ...");
                break;
            }
            if (ranges > 1) sb.append(", ");
            sb.append('[').append(hi).append(lo == hi ? "" : ":" + lo).append(']');
            lo = hi + 1;
        }
        return sb.append(" are not used").toString();
    }

    private static String lintWrap(String line, String note) {
        if (note == null) return line + "\n";
        return IND + "// " + note + "\n"
                + IND + "/* verilator lint_off UNUSEDSIGNAL */\n"
                + line + "\n"
                + IND + "/* verilator lint_on UNUSEDSIGNAL */\n";
    }

    // ---- storage ------------------------------------------------------------------------------

    /** A constant array whose elements are all equal: stored once, as a scalar. */
    private static boolean uniformConstArray(Node n) {
        return n.op() == Op.CONST && n.count() > 1 && n.uniformData();
    }

    /** Elements actually declared: 1 for scalars and uniform constant arrays. */
    private static int stored(Node n) {
        return uniformConstArray(n) ? 1 : n.count();
    }

    /** A PACK computed by an always block (its operand is a stored array). */
    private static boolean packByLoop(Node pack) {
        return stored(pack.arg(0).node()) > 1;
    }

    /** Whether the node's Verilog variable is a {@code reg} (assigned procedurally). */
    private static boolean isReg(Node n) {
        return switch (n.op()) {
            case REG, RAM -> true;
            case INPUT -> false;
            case CONST -> stored(n) > 1 && romInFile(n);
            case PACK -> n.count() > 1 || packByLoop(n);
            case INST_OUT -> n.count() > 1;
            default -> n.count() > 1;
        };
    }

    // ---- declarations -------------------------------------------------------------------------

    private static String range(int w) {
        return "[" + (w - 1) + ":0]";
    }

    private static String arrayRange(int count) {
        return count == 1 ? "" : " [0:" + (count - 1) + "]";
    }

    /** A constant only read as BITSEL codes: replaced by its bit planes, not emitted. */
    private boolean replacedByPlanes(Node n) {
        return planes.containsKey(n) && used[n.id()].isEmpty();
    }

    private void declare(Node n) {
        if (n.op() == Op.INPUT && n.count() > 1) {
            decl.append(lintWrap(IND + "(* mem2reg *) reg " + range(n.width()) + " " + var.get(n) + arrayRange(n.count()) + "; // input " + n.name()
                    + " as " + n.count() + " elements of " + n.width() + " bits", unusedNote(n)));
            return;
        }
        if (n.op() == Op.INPUT || outputNamedAsNode.containsKey(n) || replacedByPlanes(n)) return;
        int count = stored(n);
        // Yosys: arrays assigned element by element become registers/wires, not memories (mem2reg)
        String attr = count > 1 && isReg(n) && n.op() != Op.RAM && n.op() != Op.CONST ? "(* mem2reg *) " : "";
        boolean reg = isReg(n) && !constCone.get(n.id());
        String line = IND + attr + (reg ? "reg " : "wire ") + range(n.width()) + " " + n.name() + arrayRange(count) + "; // "
                + n.op().name().toLowerCase(Locale.ROOT) + ", " + n.tag().key()
                + (n.count() > 1 ? ", " + n.count() + " x " + n.width() + " bits" : "")
                + (uniformConstArray(n) ? ", all equal" : "")
                + (n.op() == Op.REG && n.count() > 1 ? ", a view of the state vector below" : "");
        decl.append(lintWrap(line, unusedNote(n)));
    }

    private static boolean romInFile(Node n) {
        return romInFile(n.count(), n.width(), n.uniformData());
    }

    private static boolean romInFile(int count, int width, boolean uniform) {
        return count > 1 && !uniform && (count > INLINE_ARRAY_MAX_WORDS || (long) count * width > INLINE_ARRAY_MAX_BITS);
    }

    // ---- constants --------------------------------------------------------------------------

    private void emitConst(Node n) {
        for (Map.Entry<Integer, String> e : planes.getOrDefault(n, Map.of()).entrySet()) {
            int cw = e.getKey(), w = n.width() / cw;
            String name = e.getValue();
            Bits[] v = new Bits[stored(n)];
            for (int g = 0; g < v.length; g++) {
                Bits c = n.data(g);
                v[g] = Bits.fromBits(n.width(), i -> c.bit((i % w) * cw + i / w));
            }
            boolean file = v.length > 1 && romInFile(v.length, n.width(), false);
            decl.append(IND).append(file ? "reg " : "wire ").append(range(n.width())).append(' ').append(name).append(arrayRange(v.length))
                    .append("; // ").append(n.name()).append(" as ").append(cw).append(" bit planes of ").append(w)
                    .append(" bits (plane k = bit k of every code)\n");
            if (v.length == 1) body.append(IND).append("assign ").append(name).append(" = ").append(lit(v[0])).append(";\n");
            else constArrayBody(name, n.width(), v);
            bitPlanes.add(new BitPlanes(n.name(), name, file ? lastMemFile : null, cw, w, !replacedByPlanes(n)));
        }
        if (replacedByPlanes(n)) return;
        if (stored(n) == 1) {
            body.append(IND).append("assign ").append(n.name()).append(" = ").append(lit(n.data(0))).append(";\n");
            return;
        }
        Bits[] v = new Bits[n.count()];
        for (int g = 0; g < v.length; g++) v[g] = n.data(g);
        constArrayBody(n.name(), n.width(), v);
    }

    /** The logic that gives the non-uniform constant array {@code name} (declared already) its values. */
    private void constArrayBody(String name, int width, Bits[] v) {
        if (romInFile(v.length, width, false)) {
            String file = memFileName(name);
            lastMemFile = file;
            StringBuilder sb = new StringBuilder(v.length * ((width + 3) / 4 + 1));
            for (Bits b : v) sb.append(b.toHex()).append('\n');
            memFiles.put(file, sb.toString());
            body.append(IND).append("initial $readmemh({").append(memDir).append(", \"").append(file).append("\"}, ")
                    .append(name).append(");\n");
        } else {
            for (int g = 0; g < v.length; g++)
                body.append(IND).append("assign ").append(name).append('[').append(g).append("] = ").append(lit(v[g])).append(";\n");
        }
    }

    private String memFileName(String base) {
        base = memPrefix + base;
        String f = base + ".hex";
        for (int k = 1; memFilesLower.contains(f.toLowerCase(Locale.ROOT)); k++) f = base + "_" + k + ".hex";
        memFilesLower.add(f.toLowerCase(Locale.ROOT));
        return f;
    }

    // ---- state ----------------------------------------------------------------------------------

    private void emitReg(Node n) {
        Ref en = n.enable();
        if (n.count() == 1) {
            body.append(IND).append("always @(posedge clk) begin\n")
                    .append(IND).append(IND).append("if (rst) ").append(n.name()).append(" <= ").append(lit(n.data(0))).append(";\n")
                    .append(IND).append(IND).append("else ").append(en == null ? "" : "if (" + el(en, null) + ") ")
                    .append(n.name()).append(" <= ").append(el(n.next(), null)).append(";\n")
                    .append(IND).append("end\n");
            return;
        }
        // A register array is one flat state vector (element g in bits [g*W +: W]) updated by a
        // single non-blocking assignment; the IR node is an unpacked view of it. (Non-blocking
        // assignments to array elements cost Verilator a shadow variable per element, and it
        // rejects them inside loops it does not unroll.)
        int w = n.width(), c = n.count();
        String q = names.fresh(n.name() + "_q");
        String dn = names.fresh(n.name() + "_d");
        decl.append(IND).append("reg ").append(range(c * w)).append(' ').append(q).append("; // state of ").append(n.name())
                .append(": element g in [g*").append(w).append(" +: ").append(w).append("]\n");
        decl.append(IND).append("reg ").append(range(c * w)).append(' ').append(dn).append("; // next state of ").append(n.name()).append('\n');
        // The reset value is a literal of the whole vector, applied in the clocked block: no
        // combinational path from rst, so nothing depends on when a simulator first runs an always @*.
        String reset;
        if (n.uniformData()) {
            reset = "{" + c + "{" + lit(n.data(0)) + "}}";
        } else {
            java.math.BigInteger all = java.math.BigInteger.ZERO;
            for (int k = c - 1; k >= 0; k--) all = all.shiftLeft(w).or(n.data(k).toBigInteger());
            reset = lit(Bits.of(c * w, all));
        }
        combLoop(n.name(), c, i -> n.name() + "[" + i + "] = " + q + "[" + i + "*" + w + " +: " + w + "]");
        combLoop(dn, c, i -> dn + "[" + i + "*" + w + " +: " + w + "] = "
                + (en == null ? el(n.next(), i) : "(" + el(en, i) + " ? " + el(n.next(), i) + " : " + n.name() + "[" + i + "])") + "");
        body.append(IND).append("always @(posedge clk) begin\n")
                .append(IND).append(IND).append("if (rst) ").append(q).append(" <= ").append(reset).append(";\n")
                .append(IND).append(IND).append("else ").append(q).append(" <= ").append(dn).append(";\n")
                .append(IND).append("end\n");
    }

    /**
     * {@code integer i; always @* for (i = 0; i < count; i = i + 1) <statement(i)>;}, and for Yosys
     * ({@code SYNTHESIS}) the same as a generate loop of one {@code always @*} per element: the Yosys
     * frontend turns a loop in one always block into one process whose blocking assignments to
     * array elements it resolves in time quadratic in the loop's size (read_verilog of the default
     * net did not finish in 8 minutes with the loops, and took about a minute with generate loops).
     */
    private void combLoop(String base, int count, java.util.function.Function<String, String> statement) {
        String gs = names.fresh("gs_" + base), label = names.fresh("bs_" + base);
        body.append("`ifdef SYNTHESIS\n")
                .append(IND).append("genvar ").append(gs).append(";\n")
                .append(IND).append("generate\n")
                .append(IND).append(IND).append("for (").append(gs).append(" = 0; ").append(gs).append(" < ").append(count).append("; ")
                .append(gs).append(" = ").append(gs).append(" + 1) begin : ").append(label).append('\n')
                .append(IND).append(IND).append(IND).append("always @* ").append(statement.apply(gs)).append(";\n")
                .append(IND).append(IND).append("end\n")
                .append(IND).append("endgenerate\n")
                .append("`else\n");
        combLoopBody(base, count, statement);
        body.append("`endif\n");
    }

    private void combLoopBody(String base, int count, java.util.function.Function<String, String> statement) {
        String i = names.fresh("i_" + base);
        body.append(IND).append("integer ").append(i).append(";\n")
                .append(IND).append("always @* begin\n")
                .append(IND).append(IND).append("for (").append(i).append(" = 0; ").append(i).append(" < ").append(count).append("; ")
                .append(i).append(" = ").append(i).append(" + 1)\n")
                .append(IND).append(IND).append(IND).append(statement.apply(i)).append(";\n")
                .append(IND).append("end\n");
    }

    private void emitRam(Node n) {
        for (Ref r : n.args())
            if (r.mode() == Ref.Mode.SAME && r.node().count() > 1 || r.mode() == Ref.Mode.ARRAY)
                throw new IllegalArgumentException(n.name() + ": RAM operands must be scalars (SCALAR or ELEM), got "
                        + r.mode() + " " + r.node().name());
        String we = el(n.arg(0), null);
        Sel s = select(el(n.arg(1), null), n.arg(1).width(), n.count());
        String target = n.count() == 1 ? n.name() : n.name() + "[" + s.index + "]";
        body.append(IND).append("always @(posedge clk) begin\n");
        body.append(IND).append(IND).append("if (").append(we).append(s.cond == null ? "" : " && (" + s.cond + ")")
                .append(") ").append(target).append(" <= ").append(el(n.arg(2), null)).append(";\n");
        body.append(IND).append("end\n");
    }

    // ---- combinational logic ---------------------------------------------------------------------

    private void emitComb(Node n) {
        if (n.op() == Op.INST_OUT) {
            if (n.count() > 1) {
                String pk = instPacked.get(n);
                int w = n.width();
                combLoop(n.name(), n.count(), i -> n.name() + "[" + i + "] = " + pk + "[" + i + "*" + w + " +: " + w + "]");
            }
        } else if (n.op() == Op.PACK) {
            emitPack(n);
        } else if (n.count() == 1) {
            body.append(IND).append("assign ").append(n.name()).append(" = ").append(expr(n, null)).append(";\n");
        } else {
            // One always block with a loop, not a generate loop: Verilator keeps the loop (one copy
            // of the element's code, e.g. an inlined BITSEL or POPCOUNT function) instead of
            // unrolling count copies into the C++. An array of constants only is a generate loop
            // of continuous assignments instead: an always @* that reads no signal never runs in
            // an event-driven simulator (Icarus).
            if (constCone.get(n.id())) assignLoop(n.name(), n.count(), i -> n.name() + "[" + i + "] = " + expr(n, i));
            else combLoop(n.name(), n.count(), i -> n.name() + "[" + i + "] = " + expr(n, i));
        }
    }

    private void emitPack(Node n) {
        Node a = n.arg(0).node();
        int w = a.width();
        String packed = n.name();
        boolean cc = constCone.get(n.id());
        if (n.count() > 1) {
            packed = names.fresh(n.name() + "_packed");
            decl.append(IND).append(packByLoop(n) && !cc ? "reg " : "wire ").append(range(n.width())).append(' ').append(packed)
                    .append("; // packed value of ").append(n.name()).append('\n');
        }
        if (a.count() == 1) {
            body.append(IND).append("assign ").append(packed).append(" = ").append(vn(a)).append(";\n");
        } else if (uniformConstArray(a)) {
            body.append(IND).append("assign ").append(packed).append(" = {").append(a.count()).append('{').append(vn(a)).append("}};\n");
        } else {
            String p = packed;
            if (cc) assignLoop(packed, a.count(), i -> p + "[" + i + "*" + w + " +: " + w + "] = " + vn(a) + "[" + i + "]");
            else combLoop(packed, a.count(), i -> p + "[" + i + "*" + w + " +: " + w + "] = " + vn(a) + "[" + i + "]");
        }
        if (n.count() > 1) {
            String p = packed;
            if (cc) assignLoop(n.name(), n.count(), i -> n.name() + "[" + i + "] = " + p);
            else combLoop(n.name(), n.count(), i -> n.name() + "[" + i + "] = " + p);
        }
    }

    /** {@code genvar i; generate for (...) begin : g_<base> assign <statement(i)>; end endgenerate} */
    private void assignLoop(String base, int count, java.util.function.Function<String, String> statement) {
        String i = names.fresh("gv_" + base);
        String label = names.fresh("g_" + base);
        body.append(IND).append("genvar ").append(i).append(";\n")
                .append(IND).append("generate\n")
                .append(IND).append(IND).append("for (").append(i).append(" = 0; ").append(i).append(" < ").append(count).append("; ")
                .append(i).append(" = ").append(i).append(" + 1) begin : ").append(label).append('\n')
                .append(IND).append(IND).append(IND).append("assign ").append(statement.apply(i)).append(";\n")
                .append(IND).append(IND).append("end\n")
                .append(IND).append("endgenerate\n");
    }

    /** The unpacked view of an array input port. */
    private void emitArrayInput(Node n) {
        String v = var.get(n);
        int w = n.width();
        combLoop(v, n.count(), i -> v + "[" + i + "] = " + n.name() + "[" + i + "*" + w + " +: " + w + "]");
    }

    /** Packed vectors that instance outputs of several elements arrive in: INST_OUT node -> vector. */
    private final Map<Node, String> instPacked = new LinkedHashMap<>();

    /**
     * One module instance (or instance array {@code name [C-1:0]}, copy c on bits
     * {@code [c*w +: w]} of each element-wise connection). Array operands are packed into a
     * vector first; array outputs arrive in a vector and are unpacked by {@link #emitComb}.
     */
    private void emitInstance(Instance inst) {
        Output sub = subs.get(inst.module());
        if (sub == null) throw new IllegalStateException(inst.name() + ": module " + inst.module().name() + " was not emitted");
        int c = inst.count();
        List<String> conns = new ArrayList<>();
        conns.add(".clk(clk)");
        conns.add(".rst(rst)");
        for (Map.Entry<String, Ref> e : inst.inputs().entrySet()) {
            Ref r = e.getValue();
            String x;
            boolean whole = r.mode() == Ref.Mode.ARRAY || r.mode() == Ref.Mode.SAME && c > 1;
            if (!whole) x = el(r, null);
            else {
                Node a = r.node();
                int w = a.width();
                if (stored(a) == 1) x = a.count() == 1 ? vn(a) : "{" + a.count() + "{" + vn(a) + "}}";
                else {
                    String pk = names.fresh(inst.name() + "_" + e.getKey() + "_pk");
                    boolean cc = a.op() == Op.CONST || constCone.get(a.id());
                    decl.append(IND).append(cc ? "wire " : "reg ").append(range(a.count() * w)).append(' ').append(pk).append("; // ")
                            .append(a.name()).append(" packed for ").append(inst.name()).append('.').append(e.getKey()).append('\n');
                    if (cc) assignLoop(pk, a.count(), i -> pk + "[" + i + "*" + w + " +: " + w + "] = " + vn(a) + "[" + i + "]");
                    else combLoop(pk, a.count(), i -> pk + "[" + i + "*" + w + " +: " + w + "] = " + vn(a) + "[" + i + "]");
                    x = pk;
                }
            }
            conns.add("." + e.getKey() + "(" + x + ")");
        }
        for (Map.Entry<String, Node> e : inst.outputs().entrySet()) {
            Node n = e.getValue();
            String x = n.name();
            if (n.count() > 1) {
                x = names.fresh(n.name() + "_pk");
                decl.append(IND).append("wire ").append(range(n.count() * n.width())).append(' ').append(x).append("; // ")
                        .append(inst.name()).append('.').append(e.getKey()).append(", element g in [g*").append(n.width()).append(" +: ")
                        .append(n.width()).append("]\n");
                instPacked.put(n, x);
            }
            conns.add("." + e.getKey() + "(" + x + ")");
        }
        body.append(IND).append(inst.module().name());
        if (needsMemDir(sub)) body.append(" #(.").append(sub.memDirParameter()).append('(').append(memDir).append("))");
        body.append(' ').append(inst.name()).append(c > 1 ? " [" + (c - 1) + ":0]" : "").append(" (\n");
        for (int k = 0; k < conns.size(); k++)
            body.append(IND).append(IND).append(conns.get(k)).append(k + 1 < conns.size() ? ",\n" : "\n");
        body.append(IND).append(");\n");
    }

    /** The Verilog variable of a node (its name, or the unpacked view of an array port). */
    private String vn(Node n) {
        return var.getOrDefault(n, n.name());
    }

    /** The expression of element {@code g} (null for a scalar node) of combinational node {@code n}. */
    private String expr(Node n, String g) {
        int w = n.width();
        switch (n.op()) {
            case NOT:
                return "~" + el(n.arg(0), g);
            case AND:
                return el(n.arg(0), g) + " & " + el(n.arg(1), g);
            case OR:
                return el(n.arg(0), g) + " | " + el(n.arg(1), g);
            case XOR:
                return el(n.arg(0), g) + " ^ " + el(n.arg(1), g);
            case XNOR:
                return "~(" + el(n.arg(0), g) + " ^ " + el(n.arg(1), g) + ")";
            case ADD:
                return el(n.arg(0), g) + " + " + el(n.arg(1), g);
            case SUB:
                return el(n.arg(0), g) + " - " + el(n.arg(1), g);
            case MUL:
                return el(n.arg(0), g) + " * " + el(n.arg(1), g);
            case SHL: {
                int k = n.param(0);
                String a = el(n.arg(0), g);
                if (k == 0) return a;
                if (k >= w) return zero(w);
                return "{" + part(a, w - 1 - k, 0) + ", " + zero(k) + "}";
            }
            case SHR: {
                int k = n.param(0);
                String a = el(n.arg(0), g);
                if (k == 0) return a;
                if (k >= w) return zero(w);
                return "{" + zero(k) + ", " + part(a, w - 1, k) + "}";
            }
            case ASHR: {
                int k = n.param(0);
                String a = el(n.arg(0), g);
                if (k == 0) return a;
                String sign = a + "[" + (w - 1) + "]";
                if (k >= w) return "{" + w + "{" + sign + "}}";
                return "{{" + k + "{" + sign + "}}, " + part(a, w - 1, k) + "}";
            }
            case EQ:
                return "(" + el(n.arg(0), g) + " == " + el(n.arg(1), g) + ")";
            case NE:
                return "(" + el(n.arg(0), g) + " != " + el(n.arg(1), g) + ")";
            case LTU:
                return "(" + el(n.arg(0), g) + " < " + el(n.arg(1), g) + ")";
            case LTS:
                return "($signed(" + el(n.arg(0), g) + ") < $signed(" + el(n.arg(1), g) + "))";
            case MUX:
                return el(n.arg(0), g) + " ? " + el(n.arg(2), g) + " : " + el(n.arg(1), g);
            case CONCAT: {
                List<String> parts = new ArrayList<>();
                for (Ref r : n.args()) parts.add(el(r, g));
                return parts.size() == 1 ? parts.get(0) : "{" + String.join(", ", parts) + "}";
            }
            case SLICE: {
                String a = el(n.arg(0), g);
                int lo = n.param(0);
                return lo == 0 && w == n.arg(0).width() ? a : part(a, lo + w - 1, lo);
            }
            case ZEXT: {
                String a = el(n.arg(0), g);
                int aw = n.arg(0).width();
                if (w == aw) return a;
                if (w < aw) return part(a, w - 1, 0);
                return "{" + zero(w - aw) + ", " + a + "}";
            }
            case SEXT: {
                String a = el(n.arg(0), g);
                int aw = n.arg(0).width();
                if (w == aw) return a;
                if (w < aw) return part(a, w - 1, 0);
                return "{{" + (w - aw) + "{" + a + "[" + (aw - 1) + "]}}, " + a + "}";
            }
            case RED_OR:
                return "|" + el(n.arg(0), g);
            case RED_AND:
                return "&" + el(n.arg(0), g);
            case RED_XOR:
                return "^" + el(n.arg(0), g);
            case POPCOUNT:
                return popcountFunction(n.arg(0).width(), w) + "(" + el(n.arg(0), g) + ")";
            case INDEX: {
                String v = el(n.arg(0), g);
                int b = n.arg(0).width();
                Sel s = select(el(n.arg(1), g), n.arg(1).width(), b);
                String bit = v + "[" + (s.index == null ? "0" : s.index) + "]";
                return s.cond == null ? bit : "(" + s.cond + ") ? " + bit + " : 1'b0";
            }
            case BITSEL: {
                Ref codes = n.arg(1);
                String pl = planes.getOrDefault(codes.node(), Map.of()).get(n.param(0));
                if (pl == null)
                    return bitselFunction(n.arg(0).width(), w, n.param(0)) + "(" + el(n.arg(0), g) + ", " + el(codes, g) + ")";
                String pe = stored(codes.node()) == 1 ? pl : pl + "[" + (codes.mode() == Ref.Mode.ELEM ? String.valueOf(codes.elem()) : g) + "]";
                return bitselPlanesFunction(n.arg(0).width(), w, n.param(0)) + "(" + el(n.arg(0), g) + ", " + pe + ")";
            }
            case ARRAY_GET: {
                Node a = n.arg(0).node();
                // element g of an array read at the constant index g (a RAM read as an array): no
                // index at all, so that no tool builds a read port with a multiplexer per element
                if (g != null && identityIndex(n)) return vn(a) + "[" + g + "]";
                Sel s = select(el(n.arg(1), g), n.arg(1).width(), a.count());
                String word = s.index == null || stored(a) == 1 ? vn(a) : vn(a) + "[" + s.index + "]";
                return s.cond == null ? word : "(" + s.cond + ") ? " + word + " : " + zero(w);
            }
            default:
                throw new IllegalStateException(n.name() + ": " + n.op() + " is not combinational");
        }
    }

    /** An ARRAY_GET whose index is the constant array 0, 1, ..., count - 1 of an array of that size (SAME operand). */
    private static boolean identityIndex(Node n) {
        Ref ix = n.arg(1);
        Node a = n.arg(0).node(), c = ix.node();
        if (c.op() != Op.CONST || ix.mode() != Ref.Mode.SAME || n.count() != a.count() || stored(a) == 1 || c.count() != n.count()) return false;
        for (int g = 0; g < c.count(); g++) if (c.data(g).width() > 31 ? !c.data(g).equals(Bits.of(c.width(), g)) : c.data(g).low() != g) return false;
        return true;
    }

    /** The operand expression of element {@code g} (null in a scalar context). */
    private String el(Ref r, String g) {
        Node a = r.node();
        if (stored(a) == 1) return vn(a);
        return switch (r.mode()) {
            case SAME -> {
                if (g == null) throw new IllegalStateException("SAME operand " + a.name() + " in a scalar context");
                yield vn(a) + "[" + g + "]";
            }
            case ELEM -> vn(a) + "[" + r.elem() + "]";
            case SCALAR, ARRAY -> throw new IllegalStateException("operand " + a.name() + " used as " + r.mode());
        };
    }

    private static String part(String a, int hi, int lo) {
        return a + "[" + hi + (hi == lo ? "" : ":" + lo) + "]";
    }

    static String zero(int w) {
        return w + "'d0";
    }

    static String lit(Bits b) {
        return b.isZero() ? zero(b.width()) : b.width() + "'h" + b.toHex();
    }

    /**
     * A dynamic index into something of {@code size} entries.
     *
     * @param cond condition for "in range" (null when always in range)
     * @param index index expression of exactly the width the array needs (ceil(log2 size) bits),
     *     null when size is 1 (entry 0)
     */
    private record Sel(String cond, String index) {}

    /** True when every value of an {@code iw}-bit index addresses one of {@code size} entries. */
    private static boolean alwaysInRange(int iw, int size) {
        return size > 1 && iw < 31 && (1 << iw) <= size;
    }

    private static Sel select(String idx, int iw, int size) {
        if (size == 1) return new Sel(idx + " == " + zero(iw), null);
        int aw = 32 - Integer.numberOfLeadingZeros(size - 1);
        if (iw < aw) return new Sel(null, "{" + zero(aw - iw) + ", " + idx + "}");
        if (iw == aw) return new Sel(Integer.bitCount(size) == 1 ? null : idx + " < " + iw + "'d" + size, idx);
        return new Sel(idx + " < " + iw + "'d" + size, part(idx, aw - 1, 0));
    }

    // ---- functions ------------------------------------------------------------------------------

    /**
     * Number of ones of an {@code iw}-bit vector, modulo 2^ow; one function per (iw, ow), with bodies
     * of the same value. Under {@code SYNTHESIS} (Yosys defines it): the sum over 32-bit words of
     * the sum of each word's bits, which Yosys merges into one multi-operand adder (a compressor
     * tree). The sum of all bits in one loop, or {@code $countones} of the whole vector, is a chain
     * of additions as deep as the vector is wide, which the Yosys frontend simplifies at a cost that
     * grows with the depth at every call: the 512 popcounts of 784 bits of the default net kept
     * {@code read_verilog} busy for more than 25 minutes. Under {@code VERILATOR}: {@code $countones}
     * (one population count per 64 bits). Otherwise (Icarus): per 32-bit word, a tree of field
     * additions in five native 32-bit steps, and a sum over the words.
     */
    private String popcountFunction(int iw, int ow) {
        String sig = "popcount " + iw + " " + ow;
        String f = functions.get(sig);
        if (f != null) return f;
        f = names.fresh("f_popcount_" + iw + "_" + ow);
        functions.put(sig, f);
        String v = names.fresh(f + "_v");
        String i2 = IND + IND, i3 = IND + IND + IND;
        funcText.append(IND).append("// number of ones of a ").append(iw).append("-bit vector, modulo 2^").append(ow).append('\n')
                .append(IND).append("function ").append(range(ow)).append(' ').append(f).append(";\n")
                .append(i2).append("input ").append(range(iw)).append(' ').append(v).append(";\n");
        if (iw == 1) {
            funcText.append(i2).append("begin\n")
                    .append(i3).append(f).append(" = ").append(ow == 1 ? v : "{" + zero(ow - 1) + ", " + v + "}").append(";\n")
                    .append(i2).append("end\n");
        } else {
            // Yosys (SYNTHESIS) and Verilator: the built-in $countones (Yosys maps it to the same
            // compressor tree as a sum of the bits, and its frontend does not unroll a loop per call;
            // Verilator counts 64 bits per machine instruction); others: field additions per word
            // Yosys (SYNTHESIS): per 32-bit word a sum of its bits, summed over the words. A sum of
            // all bits in one loop (or $countones of the whole vector, which Yosys expands into that)
            // is a chain of additions as deep as the vector is wide, which the Yosys frontend
            // simplifies at a cost growing with the depth, at every call; here no chain is deeper
            // than 32 + words. Verilator: $countones (one population count per 64 bits), into 32
            // bits first (its width rule for $countones).
            int sw = (iw + 31) / 32;
            String sx = names.fresh(f + "_sx"), sk = names.fresh(f + "_sk"), sb = names.fresh(f + "_sb"), ss = names.fresh(f + "_ss");
            String vc = names.fresh(f + "_vc");
            String i4 = i3 + IND;
            funcText.append("`ifdef SYNTHESIS\n")
                    .append(i2).append("reg ").append(range(sw * 32)).append(' ').append(sx).append(";\n")
                    .append(i2).append("reg [5:0] ").append(ss).append(";\n")
                    .append(i2).append("integer ").append(sk).append(", ").append(sb).append(";\n")
                    .append(i2).append("begin\n")
                    .append(i3).append(sx).append(" = ").append(sw * 32 == iw ? v : "{" + zero(sw * 32 - iw) + ", " + v + "}").append(";\n")
                    .append(i3).append(f).append(" = ").append(zero(ow)).append(";\n")
                    .append(i3).append("for (").append(sk).append(" = 0; ").append(sk).append(" < ").append(sw).append("; ").append(sk)
                    .append(" = ").append(sk).append(" + 1) begin\n")
                    .append(i4).append(ss).append(" = 6'd0;\n")
                    .append(i4).append("for (").append(sb).append(" = 0; ").append(sb).append(" < 32; ").append(sb).append(" = ").append(sb)
                    .append(" + 1)\n")
                    .append(i4).append(IND).append(ss).append(" = ").append(ss).append(" + {5'd0, ").append(sx).append('[').append(sk)
                    .append("*32 + ").append(sb).append("]};\n")
                    .append(i4).append(f).append(" = ").append(f).append(" + ").append(ow <= 6 ? part(ss, ow - 1, 0) : "{" + zero(ow - 6) + ", " + ss + "}")
                    .append(";\n")
                    .append(i3).append("end\n")
                    .append(i2).append("end\n")
                    .append("`elsif VERILATOR\n")
                    .append(ow >= 32 ? i2 + "reg [31:0] " + vc + ";\n"
                            : lintWrap(i2 + "reg [31:0] " + vc + ";", vc + " bits [31:" + ow + "] are not used (the count modulo 2^" + ow + ")"))
                    .append(i2).append("begin\n")
                    .append(i3).append(vc).append(" = $countones(").append(v).append(");\n")
                    .append(i3).append(f).append(" = ").append(ow <= 32 ? part(vc, ow - 1, 0) : "{" + zero(ow - 32) + ", " + vc + "}").append(";\n")
                    .append(i2).append("end\n")
                    .append("`else\n");
            // 32-bit words: a field-addition tree in native 32-bit operations per word, then a sum
            int nw = (iw + 31) / 32;
            String xp = names.fresh(f + "_xp");
            String wv = names.fresh(f + "_w");
            String k = names.fresh(f + "_k");
            funcText.append(i2).append("reg ").append(range(nw * 32)).append(' ').append(xp).append(";\n")
                    .append(i2).append("reg [31:0] ").append(wv).append(";\n")
                    .append(i2).append("integer ").append(k).append(";\n")
                    .append(i2).append("begin\n")
                    .append(i3).append(xp).append(" = ").append(nw * 32 == iw ? v : "{" + zero(nw * 32 - iw) + ", " + v + "}").append(";\n")
                    .append(i3).append(f).append(" = ").append(zero(ow)).append(";\n")
                    .append(i3).append("for (").append(k).append(" = 0; ").append(k).append(" < ").append(nw).append("; ").append(k)
                    .append(" = ").append(k).append(" + 1) begin\n")
                    .append(i3).append(IND).append(wv).append(" = ").append(xp).append('[').append(k).append("*32 +: 32];\n");
            String[] masks = {"32'h55555555", "32'h33333333", "32'h0f0f0f0f", "32'h00ff00ff", "32'h0000ffff"};
            for (int st = 0; st < 5; st++)
                funcText.append(i3).append(IND).append(wv).append(" = (").append(wv).append(" & ").append(masks[st]).append(") + ((")
                        .append(wv).append(" >> ").append(1 << st).append(") & ").append(masks[st]).append(");\n");
            funcText.append(i3).append(IND).append(f).append(" = ").append(f).append(" + ")
                    .append(ow <= 32 ? part(wv, ow - 1, 0) : "{" + zero(ow - 32) + ", " + wv + "}").append(";\n")
                    .append(i3).append("end\n")
                    .append(i2).append("end\n")
                    .append("`endif\n");
        }
        funcText.append(IND).append("endfunction\n");
        return f;
    }

    /**
     * True when a BITSEL with constant codes is emitted from the codes' bit planes: the bank entries
     * a code can name are few (at most 64), so the loop over them is short and unrolled.
     */
    private static boolean planesWorthIt(Node bitsel) {
        return Math.min(bitsel.arg(0).width(), bitsel.param(0) >= 31 ? Integer.MAX_VALUE : 1 << bitsel.param(0)) <= 64;
    }

    /**
     * Bit selection from codes given as bit planes (plane k, bits [k*w +: w], holds bit k of every
     * code): bit j = OR over the bank entries b of (bank[b] AND code j == b), computed with
     * vector-wide operations: per entry, cw ANDs with a plane or its complement.
     */
    private String bitselPlanesFunction(int bankWidth, int w, int cw) {
        String sig = "bitselp " + bankWidth + " " + w + " " + cw;
        String f = functions.get(sig);
        if (f != null) return f;
        f = names.fresh("f_bitselp_" + bankWidth + "_" + w + "_" + cw);
        functions.put(sig, f);
        String bank = names.fresh(f + "_bank");
        String pl = names.fresh(f + "_planes");
        String b = names.fresh(f + "_b");
        String m = names.fresh(f + "_m");
        int entries = Math.min(bankWidth, cw >= 31 ? Integer.MAX_VALUE : 1 << cw);
        String i2 = IND + IND, i3 = i2 + IND, i4 = i3 + IND;
        funcText.append(IND).append("// bit j = ").append(bank).append("[code j] (0 when out of range); plane k = ").append(pl)
                .append("[k*").append(w).append(" +: ").append(w).append("] holds bit k of every code\n")
                .append(IND).append("function ").append(range(w)).append(' ').append(f).append(";\n")
                .append(i2).append("input ").append(range(bankWidth)).append(' ').append(bank).append(";\n")
                .append(i2).append("input ").append(range(w * cw)).append(' ').append(pl).append(";\n")
                .append(i2).append("integer ").append(b).append(";\n")
                .append(i2).append("reg ").append(range(w)).append(' ').append(m).append(";\n")
                .append(i2).append("begin\n")
                .append(i3).append(f).append(" = ").append(zero(w)).append(";\n")
                .append(i3).append("for (").append(b).append(" = 0; ").append(b).append(" < ").append(entries).append("; ").append(b)
                .append(" = ").append(b).append(" + 1) begin\n")
                .append(i4).append(m).append(" = {").append(w).append('{').append(bank).append('[').append(b).append("]}};\n");
        for (int k = 0; k < cw; k++) {
            String plane = part(pl, (k + 1) * w - 1, k * w);
            funcText.append(i4).append(m).append(" = ").append(m).append(" & (").append(b).append('[').append(k).append("] ? ")
                    .append(plane).append(" : ~").append(plane).append(");\n");
        }
        funcText.append(i4).append(f).append(" = ").append(f).append(" | ").append(m).append(";\n")
                .append(i3).append("end\n")
                .append(i2).append("end\n")
                .append(IND).append("endfunction\n");
        return f;
    }

    /** Bit selection: result bit j = bank[code j] (0 when out of range); one function per (B, W, cw). */
    private String bitselFunction(int bankWidth, int w, int cw) {
        String sig = "bitsel " + bankWidth + " " + w + " " + cw;
        String f = functions.get(sig);
        if (f != null) return f;
        f = names.fresh("f_bitsel_" + bankWidth + "_" + w + "_" + cw);
        functions.put(sig, f);
        String bank = names.fresh(f + "_bank");
        String codes = names.fresh(f + "_codes");
        String j = names.fresh(f + "_j");
        String c = names.fresh(f + "_c");
        Sel s = select(c, cw, bankWidth);
        String bit = bank + "[" + (s.index == null ? "0" : s.index) + "]";
        String rhs = s.cond == null ? bit : "(" + s.cond + ") ? " + bit + " : 1'b0";
        String i3 = IND + IND + IND;
        funcText.append(IND).append("// bit j = ").append(bank).append("[code j] (0 when out of range), code j = ")
                .append(codes).append("[j*").append(cw).append(" +: ").append(cw).append("]\n")
                .append(IND).append("function ").append(range(w)).append(' ').append(f).append(";\n")
                .append(IND).append(IND).append("input ").append(range(bankWidth)).append(' ').append(bank).append(";\n")
                .append(IND).append(IND).append("input ").append(range(w * cw)).append(' ').append(codes).append(";\n")
                .append(IND).append(IND).append("integer ").append(j).append(";\n")
                .append(IND).append(IND).append("reg ").append(range(cw)).append(' ').append(c).append(";\n")
                .append(IND).append(IND).append("begin\n")
                .append(i3).append("for (").append(j).append(" = 0; ").append(j).append(" < ").append(w).append("; ").append(j)
                .append(" = ").append(j).append(" + 1) begin\n")
                .append(i3).append(IND).append(c).append(" = ").append(codes).append('[').append(j).append('*').append(cw)
                .append(" +: ").append(cw).append("];\n")
                .append(i3).append(IND).append(f).append('[').append(j).append("] = ").append(rhs).append(";\n")
                .append(i3).append("end\n")
                .append(IND).append(IND).append("end\n")
                .append(IND).append("endfunction\n");
        return f;
    }
}
