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
    /** The macro Icarus defines: its branches are the net form of the element arrays. */
    static final String ICARUS = "__ICARUS__";
    /**
     * The keyword macro of the arrays and vectors written element by element: {@code reg} (always
     * blocks), {@code wire} under Icarus without SYNTHESIS (continuous assignments).
     */
    public static final String COMB_MACRO = "SCNN_COMB";
    /** Defined under Icarus without SYNTHESIS: the element arrays are nets, one continuous assignment an element. */
    static final String NETS_MACRO = "SCNN_NETS";
    /**
     * Defined under neither SYNTHESIS nor Icarus (Verilator, other simulators): a register array's
     * elements are updated by one clocked block each, at constant part-selects of its state vector.
     */
    static final String ELEMENT_REGS_MACRO = "SCNN_ELEMENT_REGS";
    private static final String COMB_MACRO_DEFINE = "// The forms of the arrays and vectors written element by element. " + COMB_MACRO + ": their kind, variables\n"
            + "// written by always blocks (one an element, in generate loops: SYNTHESIS, Verilator, other simulators) or, under\n"
            + "// Icarus (" + NETS_MACRO + "), nets with a continuous assignment per element (its element loops over variable arrays\n"
            + "// cost it time quadratic in the array size). " + ELEMENT_REGS_MACRO + " (Verilator, other simulators): a register\n"
            + "// array's elements are updated by one clocked block each, at constant part-selects of its state vector.\n"
            + "`ifdef SYNTHESIS\n`define " + COMB_MACRO + " reg\n`elsif " + ICARUS + "\n`define " + COMB_MACRO + " wire\n`define " + NETS_MACRO
            + "\n`else\n`define " + COMB_MACRO + " reg\n`define " + ELEMENT_REGS_MACRO + "\n`endif\n\n";
    private static final String COMB_MACRO_UNDEF = "\n`undef " + COMB_MACRO + "\n`ifdef " + NETS_MACRO + "\n`undef " + NETS_MACRO
            + "\n`endif\n`ifdef " + ELEMENT_REGS_MACRO + "\n`undef " + ELEMENT_REGS_MACRO + "\n`endif\n";

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
    /** Popcounts folded over their constant masks, and the cone nodes only they read (not emitted). */
    private final MaskedPopcounts.Result masked;
    /** Some declaration or loop uses the {@link #COMB_MACRO} keyword or the form macros. */
    private boolean combMacroUsed;
    /** Arrays read at an index that is not a constant (ARRAY_GET other than the identity). */
    private final BitSet dynamicRead = new BitSet();
    /** Reads at an index of few signal bits: Yosys gets a case per element ({@link NarrowIndexReads}). */
    private final Map<Node, NarrowIndexReads.Read> narrow;
    /** Constant arrays read only by such reads: not emitted for Yosys. */
    private final BitSet synthUnread = new BitSet();
    /** Popcount modules the SYNTHESIS form instantiates: (inputs, output width), in first-use order. */
    private final java.util.LinkedHashSet<List<Integer>> popModules = new java.util.LinkedHashSet<>();

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
        this.masked = MaskedPopcounts.analyze(design);
        this.used = usage(design, masked);
        for (Node n : design.nodes())
            if (n.op() == Op.ARRAY_GET && !identityIndex(n)) dynamicRead.set(n.arg(0).node().id());
        Map<Node, NarrowIndexReads.Read> nr = new LinkedHashMap<>();
        for (Map.Entry<Node, NarrowIndexReads.Read> e : NarrowIndexReads.analyze(design).entrySet()) {
            Node n = e.getKey();
            if (n.count() > 1 && !masked.absorbed().get(n.id()) && !masked.specs().containsKey(n)) nr.put(n, e.getValue());
        }
        this.narrow = nr;
        // a constant array that only such reads read (the folded layers' weight-mask ROMs)
        BitSet readOther = new BitSet();
        for (Node n : design.nodes())
            for (int i = 0; i < n.arity(); i++)
                if (!(i == 0 && narrow.containsKey(n) && n.op() == Op.ARRAY_GET)) readOther.set(n.arg(i).node().id());
        for (Ref r : design.outputs().values()) readOther.set(r.node().id());
        for (Instance i : design.instances()) for (Ref r : i.inputs().values()) readOther.set(r.node().id());
        for (Node n : narrow.keySet())
            if (n.op() == Op.ARRAY_GET && !readOther.get(n.arg(0).node().id())) synthUnread.set(n.arg(0).node().id());
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
        for (Node n : d.nodes()) if (n.op() == Op.CONST && !masked.absorbed().get(n.id())) emitConst(n);
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
                packLoop(port, drv.count(), w, false, i -> el(Ref.same(drv), i));
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
        if (combMacroUsed) sb.append(COMB_MACRO_DEFINE);
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
        // a design that fixes its port order fixes its interface: its 1-bit ports are scalars, as an
        // interface declaration writes them (the body never selects bits of a port)
        boolean scalars = d.portOrder() != null;
        for (Node n : d.inputs()) {
            ports.add(new Port(n.name(), true, n.width() * n.count()));
            portLines.add("input wire " + portRange(n.width() * n.count(), scalars) + n.name());
            portNotes.add(unusedNote(n));
        }
        for (Map.Entry<String, Ref> e : d.outputs().entrySet()) {
            Node drv = e.getValue().node();
            ports.add(new Port(e.getKey(), false, drv.width() * drv.count()));
            boolean isVar = drv.count() > 1 || e.getKey().equals(drv.name()) && isReg(drv) && !constCone.get(drv.id());
            boolean ew = drv.count() > 1 || e.getKey().equals(drv.name()) && elementwise(drv);
            portLines.add("output " + (ew ? comb() + " " : isVar ? "reg " : "wire ") + portRange(drv.width() * drv.count(), scalars) + e.getKey());
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
        sb.append("endmodule\n");
        if (!popModules.isEmpty()) {
            sb.append("\n`ifdef SYNTHESIS\n");
            for (List<Integer> m : popModules) sb.append('\n').append(popcountModule(m.get(0), m.get(1)));
            sb.append("`endif\n");
        }
        if (combMacroUsed) sb.append(COMB_MACRO_UNDEF);
        sb.append("\n`default_nettype wire\n");
        return new Output(d.name(), d.name() + ".v", sb.toString(), Collections.unmodifiableSortedMap(memFiles),
                memDirNeeded ? memDir : null, List.copyOf(ports), List.copyOf(bitPlanes));
    }

    // ---- bit usage (for lint: unused bits are declared inside a lint_off pair) ---------------

    private static BitSet[] usage(Design d, MaskedPopcounts.Result masked) {
        BitSet[] u = new BitSet[d.nodes().size()];
        for (int i = 0; i < u.length; i++) u[i] = new BitSet();
        for (MaskedPopcounts.Spec s : masked.specs().values()) {
            int all = 0;
            for (int t = 0; t < s.tables().length; t++) all |= s.support(t);
            for (int l = 0; l < s.leaves().size(); l++) {
                MaskedPopcounts.Leaf lf = s.leaves().get(l);
                if ((all >>> l & 1) != 0) u[lf.node().id()].set(0, lf.broadcast() ? 1 : lf.node().width());
            }
        }
        for (Node n : d.nodes()) {
            if (masked.absorbed().get(n.id()) || masked.specs().containsKey(n)) continue;
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

    /**
     * Whether the node's variable is written element by element ({@link #combLoop}, {@link #packLoop}):
     * a {@code reg} in the loop forms, a net under Icarus.
     */
    private boolean elementwise(Node n) {
        return isReg(n) && !constCone.get(n.id()) && n.op() != Op.CONST && n.op() != Op.RAM && (stored(n) > 1 || n.op() == Op.PACK);
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

    private static String portRange(int w, boolean scalars) {
        return scalars && w == 1 ? "" : range(w) + " ";
    }

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
        if (masked.absorbed().get(n.id())) return;
        if (n.op() == Op.INPUT && n.count() > 1) {
            decl.append(lintWrap(IND + "(* mem2reg *) " + comb() + " " + range(n.width()) + " " + var.get(n) + arrayRange(n.count()) + "; // input " + n.name()
                    + " as " + n.count() + " elements of " + n.width() + " bits", unusedNote(n)));
            return;
        }
        if (n.op() == Op.INPUT || outputNamedAsNode.containsKey(n) || replacedByPlanes(n)) return;
        int count = stored(n);
        // Yosys: arrays assigned element by element become registers/wires, not memories (mem2reg)
        // (a RAM read only at constant indices, the pixel memory, too: its words are registers with
        // direct reads, not a memory of hundreds of read ports for Yosys' memory passes)
        String attr = count > 1 && isReg(n) && n.op() != Op.CONST && (n.op() != Op.RAM || !dynamicRead.get(n.id())) ? "(* mem2reg *) " : "";
        boolean reg = isReg(n) && !constCone.get(n.id());
        String rest = range(n.width()) + " " + n.name() + arrayRange(count) + "; // "
                + n.op().name().toLowerCase(Locale.ROOT) + ", " + n.tag().key()
                + (n.count() > 1 ? ", " + n.count() + " x " + n.width() + " bits" : "")
                + (uniformConstArray(n) ? ", all equal" : "")
                + (n.op() == Op.REG && n.count() > 1 ? ", a view of the state vector below" : "");
        if (n.op() == Op.CONST && reg && literalRom(n)) {
            decl.append("`ifdef SYNTHESIS\n").append(lintWrap(IND + "wire " + rest, unusedNote(n))).append("`else\n")
                    .append(lintWrap(IND + "reg " + rest, unusedNote(n))).append("`endif\n");
            return;
        }
        String line = lintWrap(IND + attr + (elementwise(n) ? comb() + " " : reg ? "reg " : "wire ") + rest, unusedNote(n));
        // a ROM that only reads of a narrow index read: Yosys gets their cases instead
        decl.append(synthUnread.get(n.id()) ? "`ifndef SYNTHESIS\n" + line + "`endif\n" : line);
    }

    /**
     * A constant array in a memory file that is only read at constant indices (element loops, fixed
     * elements, packing): Yosys ({@code SYNTHESIS}) gets its words as literal assignments instead,
     * so that it builds no memory with a read port per element (which its memory passes widen and
     * merge for minutes: the 784 device constants of the default net).
     */
    private boolean literalRom(Node n) {
        return !dynamicRead.get(n.id());
    }

    private static boolean romInFile(Node n) {
        return romInFile(n.count(), n.width(), n.uniformData());
    }

    private static boolean romInFile(int count, int width, boolean uniform) {
        return count > 1 && !uniform && (count > INLINE_ARRAY_MAX_WORDS || (long) count * width > INLINE_ARRAY_MAX_BITS);
    }

    // ---- constants --------------------------------------------------------------------------

    private void emitConst(Node n) {
        if (synthUnread.get(n.id())) {
            body.append("`ifndef SYNTHESIS\n");
            emitConstBody(n);
            body.append("`endif\n");
        } else emitConstBody(n);
    }

    private void emitConstBody(Node n) {
        for (Map.Entry<Integer, String> e : planes.getOrDefault(n, Map.of()).entrySet()) {
            int cw = e.getKey(), w = n.width() / cw;
            String name = e.getValue();
            Bits[] v = new Bits[stored(n)];
            for (int g = 0; g < v.length; g++) {
                Bits c = n.data(g);
                v[g] = Bits.fromBits(n.width(), i -> c.bit((i % w) * cw + i / w));
            }
            boolean file = v.length > 1 && romInFile(v.length, n.width(), false);
            String rest = range(n.width()) + " " + name + arrayRange(v.length) + "; // " + n.name() + " as " + cw + " bit planes of " + w
                    + " bits (plane k = bit k of every code)\n";
            // BITSEL reads the planes at constant indices only
            if (file) decl.append("`ifdef SYNTHESIS\n").append(IND).append("wire ").append(rest).append("`else\n")
                    .append(IND).append("reg ").append(rest).append("`endif\n");
            else decl.append(IND).append("wire ").append(rest);
            if (v.length == 1) body.append(IND).append("assign ").append(name).append(" = ").append(lit(v[0])).append(";\n");
            else constArrayBody(name, n.width(), v, true);
            bitPlanes.add(new BitPlanes(n.name(), name, file ? lastMemFile : null, cw, w, !replacedByPlanes(n)));
        }
        if (replacedByPlanes(n)) return;
        if (stored(n) == 1) {
            body.append(IND).append("assign ").append(n.name()).append(" = ").append(lit(n.data(0))).append(";\n");
            return;
        }
        Bits[] v = new Bits[n.count()];
        for (int g = 0; g < v.length; g++) v[g] = n.data(g);
        constArrayBody(n.name(), n.width(), v, literalRom(n));
    }

    /** The logic that gives the non-uniform constant array {@code name} (declared already) its values. */
    private void constArrayBody(String name, int width, Bits[] v) {
        constArrayBody(name, width, v, false);
    }

    /**
     * {@link #constArrayBody(String, int, Bits[])}; with {@code literalsForYosys} a memory file is
     * read by the simulators only, and Yosys gets the words as assignments (the declaration is
     * a {@code wire} under {@code SYNTHESIS}).
     */
    private void constArrayBody(String name, int width, Bits[] v, boolean literalsForYosys) {
        if (romInFile(v.length, width, false)) {
            String file = memFileName(name);
            lastMemFile = file;
            StringBuilder sb = new StringBuilder(v.length * ((width + 3) / 4 + 1));
            for (Bits b : v) sb.append(b.toHex()).append('\n');
            memFiles.put(file, sb.toString());
            if (literalsForYosys) {
                body.append("`ifdef SYNTHESIS\n");
                for (int g = 0; g < v.length; g++)
                    body.append(IND).append("assign ").append(name).append('[').append(g).append("] = ").append(lit(v[g])).append(";\n");
                body.append("`else\n");
            }
            body.append(IND).append("initial $readmemh({").append(memDir).append(", \"").append(file).append("\"}, ")
                    .append(name).append(");\n");
            if (literalsForYosys) body.append("`endif\n");
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
        // A register array is one flat state vector (element g in bits [g*W +: W]); the IR node is an
        // unpacked view of it. Yosys and Icarus get one non-blocking assignment of the whole vector
        // from a next-state vector written element by element (non-blocking assignments to array
        // elements cost Verilator a shadow variable per element, and it rejects them inside loops
        // it does not unroll). Verilator (ELEMENT_REGS) gets one clocked block per element at a
        // constant part-select, with the element's enable as its condition: no next-state vector,
        // whose element-wise writes Verilator merges into a chain of wide concatenations (time
        // quadratic in the vector's size), and nothing computed for an element that keeps its value.
        // Elements wider than UNROLL_MAX_BITS keep the next-state vector in every simulator (one
        // copy of the element's code in an element loop).
        int w = n.width(), c = n.count();
        boolean perElement = w <= UNROLL_MAX_BITS;
        combMacroUsed = true;
        String q = names.fresh(n.name() + "_q");
        String dn = names.fresh(n.name() + "_d");
        decl.append(IND).append("reg ").append(range(c * w)).append(' ').append(q).append("; // state of ").append(n.name())
                .append(": element g in [g*").append(w).append(" +: ").append(w).append("]\n");
        if (perElement) decl.append("`ifndef ").append(ELEMENT_REGS_MACRO).append('\n');
        decl.append(IND).append(comb()).append(' ').append(range(c * w)).append(' ').append(dn).append("; // next state of ").append(n.name()).append('\n');
        if (perElement) decl.append("`endif\n");
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
        combLoop(n.name(), c, perElement, i -> n.name() + "[" + i + "] = " + q + "[" + i + "*" + w + " +: " + w + "]");
        if (perElement) elementRegs(n, q, reset);
        packLoop(dn, c, w, false, i -> en == null ? el(n.next(), i) : "(" + el(en, i) + " ? " + el(n.next(), i) + " : " + n.name() + "[" + i + "])");
        body.append(IND).append("always @(posedge clk) begin\n")
                .append(IND).append(IND).append("if (rst) ").append(q).append(" <= ").append(reset).append(";\n")
                .append(IND).append(IND).append("else ").append(q).append(" <= ").append(dn).append(";\n")
                .append(IND).append("end\n");
        if (perElement) body.append("`endif\n");
    }

    /**
     * The {@link #ELEMENT_REGS_MACRO} form of a register array (state vector {@code q}, reset value
     * {@code reset}): one clocked block per element at a constant part-select, then {@code `else}
     * for the whole-vector form that follows.
     */
    private void elementRegs(Node n, String q, String reset) {
        Ref en = n.enable();
        int w = n.width(), c = n.count();
        body.append("`ifdef ").append(ELEMENT_REGS_MACRO).append('\n');
        String gr = names.fresh("gr_" + n.name()), label = names.fresh("br_" + n.name());
        String resetElem;
        if (n.uniformData()) {
            resetElem = lit(n.data(0));
        } else {
            String rv = names.fresh(n.name() + "_rst");
            body.append(IND).append("localparam ").append(range(c * w)).append(' ').append(rv).append(" = ").append(reset).append(";\n");
            resetElem = rv + "[" + gr + "*" + w + " +: " + w + "]";
        }
        String elem = q + "[" + gr + "*" + w + " +: " + w + "]";
        body.append(IND).append("genvar ").append(gr).append(";\n")
                .append(IND).append("generate\n")
                .append(IND).append(IND).append("for (").append(gr).append(" = 0; ").append(gr).append(" < ").append(c).append("; ")
                .append(gr).append(" = ").append(gr).append(" + 1) begin : ").append(label).append('\n')
                .append(IND).append(IND).append(IND).append("always @(posedge clk) begin\n")
                .append(IND).append(IND).append(IND).append(IND).append("if (rst) ").append(elem).append(" <= ").append(resetElem).append(";\n")
                .append(IND).append(IND).append(IND).append(IND).append("else ").append(en == null ? "" : "if (" + el(en, gr) + ") ")
                .append(elem).append(" <= ").append(el(n.next(), gr)).append(";\n")
                .append(IND).append(IND).append(IND).append("end\n")
                .append(IND).append(IND).append("end\n")
                .append(IND).append("endgenerate\n");
        body.append("`else\n");
    }

    /** Elements of at most this many bits are unrolled for Verilator ({@link #combLoop}, {@link #emitReg}). */
    static final int UNROLL_MAX_BITS = 64;

    /**
     * {@code statement(i)} for every element {@code i < count}: a generate loop of one
     * {@code always @*} per element, or under Icarus a continuous assignment per element; with
     * {@code unroll} false, an element loop for Verilator and other simulators.
     */
    private void combLoop(String base, int count, boolean unroll, java.util.function.Function<String, String> statement) {
        combLoop(base, count, unroll, statement, null);
    }

    /**
     * {@link #combLoop(String, int, boolean, java.util.function.Function)}. Under Icarus
     * ({@link #NETS_MACRO}): {@code icarus}, or by default a generate loop of one continuous
     * assignment per element onto a net array (Icarus wakes every reader of a variable array on each
     * word written, so an element loop over a C-word array cost it C x C checks, a third of a second
     * per pixel load on the 784-pixel layer). Yosys (SYNTHESIS): a generate loop of one
     * {@code always @*} per element (its frontend turns a loop in one always block into one process
     * whose blocking assignments to array elements it resolves in time quadratic in the loop's size:
     * read_verilog of the default net did not finish in 8 minutes with the loops, and took about a
     * minute with generate loops). Verilator and other simulators: the same generate loop when
     * {@code unroll} (elements and operands of at most {@link #UNROLL_MAX_BITS} bits, no BITSEL
     * function): every part-select of a packed vector is then at a constant offset (an element loop's
     * variable part-selects went through Verilator's generic insert and select functions), and
     * Verilator fuses each element's chain of views and operations (the default net's model ran 2.3x
     * faster with these forms and per-element registers, {@link #emitReg}); otherwise an element
     * loop, which Verilator keeps as one copy of the element's code (unrolled, the analog baseline's
     * 256 x 784-bit synapse vectors made 180 MB of C++).
     */
    private void combLoop(String base, int count, boolean unroll, java.util.function.Function<String, String> statement, Runnable icarus) {
        combLoop(base, count, unroll, statement, icarus, null);
    }

    /**
     * {@link #combLoop(String, int, boolean, java.util.function.Function, Runnable)}; with
     * {@code synthesis}, Yosys ({@code SYNTHESIS}) reads what it prints instead of the generate loop.
     */
    private void combLoop(String base, int count, boolean unroll, java.util.function.Function<String, String> statement, Runnable icarus,
            Runnable synthesis) {
        combMacroUsed = true;
        String gs = names.fresh("gs_" + base), label = names.fresh("bs_" + base);
        String gen = IND + "genvar " + gs + ";\n"
                + IND + "generate\n"
                + IND + IND + "for (" + gs + " = 0; " + gs + " < " + count + "; " + gs + " = " + gs + " + 1) begin : " + label + "\n"
                + IND + IND + IND + "always @* " + statement.apply(gs) + ";\n"
                + IND + IND + "end\n"
                + IND + "endgenerate\n";
        if (synthesis != null) {
            body.append("`ifdef SYNTHESIS\n");
            synthesis.run();
            body.append("`elsif ").append(NETS_MACRO).append('\n');
            if (icarus != null) icarus.run();
            else assignLoopBody(gs, label, count, statement);
            body.append("`else\n");
            if (unroll) body.append(gen);
            else combLoopBody(base, count, statement);
            body.append("`endif\n");
        } else if (unroll) {
            body.append("`ifdef ").append(NETS_MACRO).append('\n');
            if (icarus != null) icarus.run();
            else assignLoopBody(gs, label, count, statement);
            body.append("`else\n").append(gen).append("`endif\n");
        } else {
            body.append("`ifdef SYNTHESIS\n").append(gen).append("`elsif ").append(NETS_MACRO).append('\n');
            if (icarus != null) icarus.run();
            else assignLoopBody(gs, label, count, statement);
            body.append("`else\n");
            combLoopBody(base, count, statement);
            body.append("`endif\n");
        }
    }

    /**
     * A vector written element by element, {@code vec[g*w +: w] = elem(g)}: the
     * {@link #combLoop} forms (for a {@code wire} whose elements read no signal, the generate loop
     * of {@link #assignLoop}), and under Icarus one continuous assignment of the concatenation of
     * all elements (Icarus resolves a net with C part drivers by merging C full-width vectors on
     * every change: the 784 device constants of layer 1 took it half a minute at time 0).
     */
    private void packLoop(String vec, int count, int w, boolean wire, java.util.function.Function<String, String> elem) {
        java.util.function.Function<String, String> st = i -> vec + "[" + i + "*" + w + " +: " + w + "] = " + elem.apply(i);
        if (!wire) {
            combLoop(vec, count, w <= UNROLL_MAX_BITS, st, () -> concatAssign(vec, count, elem));
            return;
        }
        body.append("`ifdef ").append(ICARUS).append('\n');
        concatAssign(vec, count, elem);
        body.append("`else\n");
        assignLoop(vec, count, st);
        body.append("`endif\n");
    }

    /** {@code assign vec = {elem(C-1), ..., elem(0)};} (element 0 lowest), a few elements a line. */
    private void concatAssign(String vec, int count, java.util.function.Function<String, String> elem) {
        body.append(IND).append("assign ").append(vec).append(" = {");
        for (int g = count - 1, k = 0; g >= 0; g--, k++) {
            if (k % 8 == 0) body.append('\n').append(IND).append(IND);
            body.append(elem.apply(String.valueOf(g))).append(g > 0 ? ", " : "");
        }
        body.append("\n").append(IND).append("};\n");
    }

    /** The body of {@link #assignLoop} with the given genvar and block label. */
    private void assignLoopBody(String i, String label, int count, java.util.function.Function<String, String> statement) {
        body.append(IND).append("genvar ").append(i).append(";\n")
                .append(IND).append("generate\n")
                .append(IND).append(IND).append("for (").append(i).append(" = 0; ").append(i).append(" < ").append(count).append("; ")
                .append(i).append(" = ").append(i).append(" + 1) begin : ").append(label).append('\n')
                .append(IND).append(IND).append(IND).append("assign ").append(statement.apply(i)).append(";\n")
                .append(IND).append(IND).append("end\n")
                .append(IND).append("endgenerate\n");
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
        if (masked.absorbed().get(n.id())) return;
        MaskedPopcounts.Spec spec = masked.specs().get(n);
        if (spec != null) {
            emitMaskedPopcount(spec);
        } else if (n.op() == Op.INST_OUT) {
            if (n.count() > 1) {
                String pk = instPacked.get(n);
                int w = n.width();
                combLoop(n.name(), n.count(), w <= UNROLL_MAX_BITS, i -> n.name() + "[" + i + "] = " + pk + "[" + i + "*" + w + " +: " + w + "]");
            }
        } else if (n.op() == Op.PACK) {
            emitPack(n);
        } else if (n.count() == 1) {
            body.append(IND).append("assign ").append(n.name()).append(" = ").append(expr(n, null)).append(";\n");
        } else {
            // Unrolled for Verilator only when narrow (unrollable): an element loop keeps one copy
            // of the element's code (e.g. an inlined BITSEL function, wide operations)
            // instead of count copies in the C++. An array of constants only is a generate loop
            // of continuous assignments instead: an always @* that reads no signal never runs in
            // an event-driven simulator (Icarus).
            NarrowIndexReads.Read nr = narrow.get(n);
            Runnable synthesis = nr != null ? () -> narrowCases(nr) : popcountByModule(n) ? () -> popcountInstances(n) : null;
            if (constCone.get(n.id())) assignLoop(n.name(), n.count(), i -> n.name() + "[" + i + "] = " + expr(n, i));
            else combLoop(n.name(), n.count(), unrollable(n), i -> n.name() + "[" + i + "] = " + expr(n, i), null, synthesis);
        }
    }

    /**
     * The {@code SYNTHESIS} form of a read at a narrow index ({@link NarrowIndexReads}): per element
     * one {@code always @*} with a multiplexer tree over the leaf bits (most significant first) whose
     * leaves are constants (the ROM word at that element's index, 0 out of range) or, for an INDEX,
     * fixed bits of the vector; equal halves are printed once. (Not a {@code case}: Yosys' {@code
     * proc_rom} turns a case of constants back into a ROM read, one memory per element.) Bitwise,
     * a tree of constants reduces to the function of the phase bits that the ROM column holds.
     */
    private void narrowCases(NarrowIndexReads.Read r) {
        Node n = r.node();
        int w = n.width(), values = 1 << r.bits();
        String[] selBit = new String[r.bits()]; // selBit[k]: bit k of {leaves...}
        int k = r.bits();
        for (Node l : r.leaves())
            for (int b = l.width() - 1; b >= 0; b--) selBit[--k] = vn(l) + "[" + b + "]";
        Node a = n.arg(0).node();
        for (int g = 0; g < n.count(); g++) {
            String vec = n.op() == Op.INDEX ? el(n.arg(0), String.valueOf(g)) : null;
            String[] leaf = new String[values];
            for (int v = 0; v < values; v++) {
                long ix = r.index()[g][v];
                if (n.op() == Op.ARRAY_GET) leaf[v] = ix < a.count() ? lit(a.data((int) ix)) : zero(w);
                else leaf[v] = ix < n.arg(0).width() ? vec + "[" + ix + "]" : "1'b0";
            }
            body.append(IND).append("always @* ").append(n.name()).append('[').append(g).append("] = ")
                    .append(muxTree(leaf, selBit, 0, r.bits())).append(";\n");
        }
    }

    /**
     * A POPCOUNT array that is not folded over constant masks (the folded layers count a phase's
     * selected bits): Yosys gets one instance of the popcount module of the folded form per element
     * ({@link #popcountModule}, its inputs rounded up to {@link #POPCOUNT_MODULE_GRANULE}), so that
     * each distinct module is synthesized once (inline, the 512 popcounts of 196 bits of the default
     * net at fold 4 gave ABC one network of 674,087 gates in the layer module).
     */
    private static boolean popcountByModule(Node n) {
        return n.op() == Op.POPCOUNT && n.count() > 1 && n.arg(0).width() >= MaskedPopcounts.MIN_WIDTH;
    }

    private void popcountInstances(Node p) {
        int w = p.arg(0).width(), ow = p.width(), c = p.count();
        int mw = (w + POPCOUNT_MODULE_GRANULE - 1) / POPCOUNT_MODULE_GRANULE * POPCOUNT_MODULE_GRANULE;
        popModules.add(List.of(mw, ow));
        String raw = names.fresh(p.name() + "_r");
        body.append(IND).append("wire ").append(range(c * ow)).append(' ').append(raw).append("; // popcount, ").append(p.tag().key())
                .append(", the counts of ").append(p.name()).append(" (element g in [g*").append(ow).append(" +: ").append(ow).append("])\n");
        for (int j = 0; j < c; j++) {
            String slot = raw + "[" + j * ow + " +: " + ow + "]";
            String v = el(p.arg(0), String.valueOf(j));
            body.append(IND).append(popModuleName(mw, ow)).append(' ').append(names.fresh(p.name() + "_u" + j)).append(" (.v(")
                    .append(mw > w ? "{" + zero(mw - w) + ", " + v + "}" : v).append("), .n(").append(slot).append("));\n");
            body.append(IND).append("always @* ").append(p.name()).append('[').append(j).append("] = ").append(slot).append(";\n");
        }
    }

    /** The values {@code leaf[lo .. lo + 2^bits)} selected by the low {@code bits} selector bits, as nested conditionals. */
    private static String muxTree(String[] leaf, String[] selBit, int lo, int bits) {
        if (bits == 0) return leaf[lo];
        String a = muxTree(leaf, selBit, lo, bits - 1), b = muxTree(leaf, selBit, lo + (1 << (bits - 1)), bits - 1);
        return a.equals(b) ? a : "(" + selBit[bits - 1] + " ? " + b + " : " + a + ")";
    }

    /**
     * Whether Verilator gets an array node's elements unrolled: the node and its operands of at
     * most {@link #UNROLL_MAX_BITS} bits (a POPCOUNT then counts one word), and no BITSEL (its
     * function loops over the result bits).
     */
    private static boolean unrollable(Node n) {
        if (n.width() > UNROLL_MAX_BITS || n.op() == Op.BITSEL) return false;
        for (Ref r : n.args()) if (r.node().width() > UNROLL_MAX_BITS) return false;
        return true;
    }

    private void emitPack(Node n) {
        Node a = n.arg(0).node();
        int w = a.width();
        String packed = n.name();
        boolean cc = constCone.get(n.id());
        if (n.count() > 1) {
            packed = names.fresh(n.name() + "_packed");
            decl.append(IND).append(packByLoop(n) && !cc ? comb() + " " : "wire ").append(range(n.width())).append(' ').append(packed)
                    .append("; // packed value of ").append(n.name()).append('\n');
        }
        if (a.count() == 1) {
            body.append(IND).append("assign ").append(packed).append(" = ").append(vn(a)).append(";\n");
        } else if (uniformConstArray(a)) {
            body.append(IND).append("assign ").append(packed).append(" = {").append(a.count()).append('{').append(vn(a)).append("}};\n");
        } else {
            String p = packed;
            packLoop(p, a.count(), w, cc, i -> vn(a) + "[" + i + "]");
        }
        if (n.count() > 1) {
            String p = packed;
            if (cc) assignLoop(n.name(), n.count(), i -> n.name() + "[" + i + "] = " + p);
            else combLoop(n.name(), n.count(), n.width() <= UNROLL_MAX_BITS, i -> n.name() + "[" + i + "] = " + p);
        }
    }

    /** {@code genvar i; generate for (...) begin : g_<base> assign <statement(i)>; end endgenerate} */
    private void assignLoop(String base, int count, java.util.function.Function<String, String> statement) {
        assignLoopBody(names.fresh("gv_" + base), names.fresh("g_" + base), count, statement);
    }

    /** The unpacked view of an array input port. */
    private void emitArrayInput(Node n) {
        String v = var.get(n);
        int w = n.width();
        combLoop(v, n.count(), w <= UNROLL_MAX_BITS, i -> v + "[" + i + "] = " + n.name() + "[" + i + "*" + w + " +: " + w + "]");
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
                    decl.append(IND).append(cc ? "wire " : comb() + " ").append(range(a.count() * w)).append(' ').append(pk).append("; // ")
                            .append(a.name()).append(" packed for ").append(inst.name()).append('.').append(e.getKey()).append('\n');
                    packLoop(pk, a.count(), w, cc, i -> vn(a) + "[" + i + "]");
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

    /** The keyword of a variable written element by element (the {@link #COMB_MACRO} macro). */
    private String comb() {
        combMacroUsed = true;
        return "`" + COMB_MACRO;
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

    // ---- folded popcounts (MaskedPopcounts) -------------------------------------------------------

    /** Bits of a popcount module's input are a multiple of this (the SYNTHESIS form pads with zeros). */
    static final int POPCOUNT_MODULE_GRANULE = 16;

    /** Leaf l of {@code s} as a whole vector of the popcount's width, at element {@code g} (a loop variable or a literal). */
    private String leafVector(MaskedPopcounts.Spec s, int l, String g) {
        MaskedPopcounts.Leaf lf = s.leaves().get(l);
        String v = leafElement(lf, g);
        return lf.broadcast() ? "{" + s.width() + "{" + v + "}}" : v;
    }

    /** Leaf l of {@code s} at bit position i of element j: one bit. */
    private String leafBit(MaskedPopcounts.Spec s, int l, int j, int i) {
        MaskedPopcounts.Leaf lf = s.leaves().get(l);
        String v = leafElement(lf, String.valueOf(j));
        return lf.broadcast() ? v : v + "[" + i + "]";
    }

    private String leafElement(MaskedPopcounts.Leaf lf, String g) {
        Node n = lf.node();
        if (stored(n) == 1) return vn(n);
        return vn(n) + "[" + (lf.fixed() >= 0 ? String.valueOf(lf.fixed()) : g) + "]";
    }

    /** Class t's function as a sum of products of the literals {@code lit(l)} of its support. */
    private static String sop(MaskedPopcounts.Spec s, int t, java.util.function.IntFunction<String> lit) {
        int sup = s.support(t), tab = s.tables()[t];
        List<Integer> ls = new ArrayList<>();
        for (int l = 0; l < s.leaves().size(); l++) if ((sup >>> l & 1) != 0) ls.add(l);
        List<String> terms = new ArrayList<>();
        for (int m = 0; m < 1 << ls.size(); m++) {
            int a = 0;
            for (int q = 0; q < ls.size(); q++) if ((m >>> q & 1) != 0) a |= 1 << ls.get(q);
            if ((tab >>> a & 1) == 0) continue;
            List<String> lits = new ArrayList<>();
            for (int q = 0; q < ls.size(); q++) lits.add(((m >>> q & 1) != 0 ? "" : "~") + lit.apply(ls.get(q)));
            terms.add(lits.size() == 1 ? lits.get(0) : "(" + String.join(" & ", lits) + ")");
        }
        return terms.size() == 1 ? terms.get(0) : "(" + String.join(" | ", terms) + ")";
    }

    /**
     * A POPCOUNT folded over its constant masks (see {@link MaskedPopcounts}). Simulators get, per
     * element, {@code ones + f(V_1 & M_1[g]) + f(V_2 & M_2[g]) + ...} with the class masks M_t as
     * constant arrays (vector-wide ANDs and population counts); Yosys ({@code SYNTHESIS}) gets, per
     * element, the live bits gathered into one vector and counted by a popcount module of that many
     * inputs (rounded up to {@link #POPCOUNT_MODULE_GRANULE}), so that each distinct module is
     * synthesized once, and no constant mask reaches it at all.
     */
    private void emitMaskedPopcount(MaskedPopcounts.Spec s) {
        Node p = s.pop();
        int w = s.width(), ow = p.width(), c = p.count(), nt = s.tables().length;
        long owMask = ow >= 63 ? -1L : (1L << ow) - 1;
        String i2 = IND + IND;
        // ---- Yosys
        body.append("`ifdef SYNTHESIS\n");
        String raw = names.fresh(p.name() + "_r");
        body.append(IND).append("wire ").append(range(c * ow)).append(' ').append(raw).append("; // popcount, ").append(p.tag().key())
                .append(", the counts of ").append(p.name()).append(" (element g in [g*").append(ow).append(" +: ").append(ow).append("])\n");
        for (int j = 0; j < c; j++) {
            List<String> bits = new ArrayList<>();
            for (int t = 0; t < nt; t++) {
                int tt = t, jj = j;
                for (int i : s.positions(t, j)) {
                    int ii = i;
                    bits.add(sop(s, tt, l -> leafBit(s, l, jj, ii)));
                }
            }
            String slot = raw + "[" + j * ow + " +: " + ow + "]";
            if (bits.isEmpty()) {
                body.append(IND).append("assign ").append(slot).append(" = ").append(zero(ow)).append(";\n");
            } else {
                int mw = (bits.size() + POPCOUNT_MODULE_GRANULE - 1) / POPCOUNT_MODULE_GRANULE * POPCOUNT_MODULE_GRANULE;
                popModules.add(List.of(mw, ow));
                java.util.Collections.reverse(bits); // bit 0 of the vector is the first live bit
                if (mw > bits.size()) bits.add(0, zero(mw - bits.size()));
                body.append(IND).append(popModuleName(mw, ow)).append(' ').append(names.fresh(p.name() + "_u" + j)).append(" (.v({");
                for (int b = 0; b < bits.size(); b++) {
                    if (b % 16 == 0) body.append('\n').append(i2).append(IND);
                    body.append(bits.get(b)).append(b + 1 < bits.size() ? ", " : "");
                }
                body.append("}),\n").append(i2).append(".n(").append(slot).append("));\n");
            }
            long k = s.ones()[j] & owMask;
            String v = slot + (k == 0 ? "" : " + " + ow + "'d" + k);
            if (c == 1) body.append(IND).append("assign ").append(p.name()).append(" = ").append(v).append(";\n");
            else body.append(IND).append("always @* ").append(p.name()).append('[').append(j).append("] = ").append(v).append(";\n");
        }
        // ---- simulators
        body.append("`else\n");
        if (wordForm(s)) {
            emitMaskedPopcountWords(s);
            body.append("`endif\n");
            return;
        }
        String f = popcountFunction(w, ow);
        String[] mask = new String[nt], vec = new String[nt];
        boolean[] maskArray = new boolean[nt];
        for (int t = 0; t < nt; t++) {
            Bits[] m = s.masks()[t];
            boolean uniform = true;
            for (Bits b : m) uniform &= b.equals(m[0]);
            maskArray[t] = !uniform;
            mask[t] = names.fresh(p.name() + "_m" + t);
            boolean file = !uniform && romInFile(c, w, false);
            decl.append("`ifndef SYNTHESIS\n").append(IND).append(file ? "reg " : "wire ").append(range(w)).append(' ').append(mask[t])
                    .append(uniform ? "" : arrayRange(c)).append("; // const, ").append(p.tag().key()).append(", positions of ")
                    .append(p.name()).append(" whose bit is ").append(sop(s, t, l -> "leaf" + l)).append('\n').append("`endif\n");
            if (uniform) body.append(IND).append("assign ").append(mask[t]).append(" = ").append(lit(m[0])).append(";\n");
            else constArrayBody(mask[t], w, m);
            // the class's function of the whole leaf vectors; once, when it does not depend on the element
            boolean perElement = false;
            int sup = s.support(t);
            for (int l = 0; l < s.leaves().size(); l++)
                if ((sup >>> l & 1) != 0 && s.leaves().get(l).fixed() < 0 && stored(s.leaves().get(l).node()) > 1) perElement = true;
            int tt = t;
            String plain = sop(s, t, l -> "@" + l);
            if (!perElement && !plain.matches("@[0-9]+")) {
                vec[t] = names.fresh(p.name() + "_v" + t);
                decl.append("`ifndef SYNTHESIS\n").append(IND).append("wire ").append(range(w)).append(' ').append(vec[t])
                        .append("; // and, ").append(p.tag().key()).append(", the inputs that ").append(mask[t]).append(" selects\n")
                        .append("`endif\n");
                body.append(IND).append("assign ").append(vec[t]).append(" = ").append(sop(s, tt, l -> leafVector(s, l, "0"))).append(";\n");
            }
        }
        String ov = onesConstant(s, p, c, ow, owMask);
        boolean ao = anyOnes(s, c, owMask);
        // the classes' positions are disjoint: one population count of their union
        java.util.function.Function<String, String> stmt = g -> {
            List<String> sel = new ArrayList<>();
            for (int t = 0; t < nt; t++) {
                int tt = t;
                String v = vec[t] != null ? vec[t] : sop(s, tt, l -> leafVector(s, l, g));
                String m = maskArray[t] ? mask[t] + "[" + g + "]" : mask[t];
                sel.add("(" + v + " & " + m + ")");
            }
            List<String> terms = new ArrayList<>();
            terms.add(f + "(" + String.join(" | ", sel) + ")");
            if (ov != null) terms.add(ov + "[" + g + "]");
            else if (ao) terms.add(ow + "'d" + (s.ones()[0] & owMask));
            return String.join(" + ", terms);
        };
        if (c == 1) body.append(IND).append("assign ").append(p.name()).append(" = ").append(stmt.apply("0")).append(";\n");
        else {
            String gv = names.fresh("gv_" + p.name()), label = names.fresh("g_" + p.name());
            body.append("`ifdef ").append(ICARUS).append('\n');
            assignLoopBody(gv, label, c, g -> p.name() + "[" + g + "] = " + stmt.apply(g));
            body.append("`else\n");
            combLoopBody(p.name(), c, g -> p.name() + "[" + g + "] = " + stmt.apply(g));
            body.append("`endif\n");
        }
        body.append("`endif\n");
    }

    /** The simulators' 64-bit word form applies: every class's input vector is the same for all elements. */
    private boolean wordForm(MaskedPopcounts.Spec s) {
        if (s.pop().count() == 1) return false;
        for (int t = 0; t < s.tables().length; t++) {
            int sup = s.support(t);
            for (int l = 0; l < s.leaves().size(); l++)
                if ((sup >>> l & 1) != 0 && s.leaves().get(l).fixed() < 0 && stored(s.leaves().get(l).node()) > 1) return false;
        }
        return true;
    }

    /**
     * The simulators' form of a folded popcount in 64-bit words: per class t, its input vector once
     * ({@code P_x<t>}, zero-padded to whole words) and its masks as an array of 64-bit words
     * ({@code P_q<t>[g*words + k]}, a memory file); per element, for each word k, the union of the
     * classes' selected bits and its SWAR population count, all in native 64-bit operations (no
     * wide temporaries: Verilator keeps wide vectors in 32-bit words).
     */
    private void emitMaskedPopcountWords(MaskedPopcounts.Spec s) {
        Node p = s.pop();
        int w = s.width(), ow = p.width(), c = p.count(), nt = s.tables().length, qw = (w + 63) / 64;
        long owMask = ow >= 63 ? -1L : (1L << ow) - 1;
        String[] xs = new String[nt], qs = new String[nt];
        for (int t = 0; t < nt; t++) {
            int tt = t;
            xs[t] = names.fresh(p.name() + "_x" + t);
            qs[t] = names.fresh(p.name() + "_q" + t);
            decl.append("`ifndef SYNTHESIS\n").append(IND).append("wire ").append(range(qw * 64)).append(' ').append(xs[t])
                    .append("; // and, ").append(p.tag().key()).append(", the inputs of ").append(p.name()).append(" whose bit is ")
                    .append(sop(s, t, l -> "leaf" + l)).append(", in 64-bit words\n");
            boolean file = romInFile(c * qw, 64, false);
            decl.append(IND).append(file ? "reg" : "wire").append(" [63:0] ").append(qs[t]).append(" [0:").append(c * qw - 1)
                    .append("]; // const, ").append(p.tag().key()).append(", their positions: word k of element g at [g*").append(qw)
                    .append(" + k]\n`endif\n");
            String v = sop(s, tt, l -> leafVector(s, l, "0"));
            body.append(IND).append("assign ").append(xs[t]).append(" = ").append(qw * 64 == w ? v : "{" + zero(qw * 64 - w) + ", " + v + "}")
                    .append(";\n");
            Bits[] words = new Bits[c * qw];
            for (int g = 0; g < c; g++) {
                Bits m = s.masks()[t][g];
                for (int k = 0; k < qw; k++) words[g * qw + k] = Bits.of(64, m.field(64 * k, Math.min(64, w - 64 * k)));
            }
            constArrayBody(qs[t], 64, words);
        }
        String onesVar = onesConstant(s, p, c, ow, owMask);
        String i = names.fresh("i_" + p.name()), q = names.fresh(p.name() + "_w"), sum = names.fresh(p.name() + "_s");
        String nib = names.fresh(p.name() + "_n"), byt = names.fresh(p.name() + "_b");
        decl.append("`ifndef SYNTHESIS\n").append(IND).append("reg [63:0] ").append(q).append("; // popcount, ").append(p.tag().key())
                .append(", one word of ").append(p.name()).append("'s selected bits\n")
                .append(IND).append("reg [63:0] ").append(nib).append("; // popcount, ").append(p.tag().key())
                .append(", 4-bit counts of up to 3 words\n")
                .append(IND).append("reg [63:0] ").append(byt).append("; // popcount, ").append(p.tag().key())
                .append(", 8-bit counts of up to 30 words\n")
                .append(IND).append("reg ").append(range(ow)).append(' ').append(sum).append("; // popcount, ").append(p.tag().key())
                .append(", the count so far\n`endif\n");
        String i2 = IND + IND, i3 = i2 + IND;
        // Icarus: per element a continuous assignment, one population count per word
        String pf = popcountFunction(64, ow), gv = names.fresh("gv_" + p.name()), label = names.fresh("g_" + p.name());
        body.append("`ifdef ").append(ICARUS).append('\n');
        assignLoopBody(gv, label, c, g -> {
            List<String> terms = new ArrayList<>();
            terms.add(onesVar != null ? onesVar + "[" + g + "]" : ow + "'d" + (s.ones()[0] & owMask));
            for (int k = 0; k < qw; k++) {
                List<String> sel = new ArrayList<>();
                for (int t = 0; t < nt; t++) sel.add("(" + xs[t] + "[" + (k * 64 + 63) + ":" + k * 64 + "] & " + qs[t] + "[" + g + "*" + qw + " + " + k + "])");
                terms.add(pf + "(" + String.join(" | ", sel) + ")");
            }
            return p.name() + "[" + g + "] = " + String.join(" + ", terms);
        });
        body.append("`else\n");
        body.append(IND).append("integer ").append(i).append(";\n")
                .append(IND).append("always @* begin\n")
                .append(i2).append("for (").append(i).append(" = 0; ").append(i).append(" < ").append(c).append("; ").append(i).append(" = ")
                .append(i).append(" + 1) begin\n")
                .append(i3).append(sum).append(" = ").append(onesVar != null ? onesVar + "[" + i + "]" : ow + "'d" + (s.ones()[0] & owMask))
                .append(";\n");
        // SWAR population counts, summed in wide fields before one horizontal sum: per word its
        // 2-bit and 4-bit field counts (at most 4 a nibble); the nibbles of up to 3 words added
        // (at most 12), then folded into bytes (at most 24 a group) added over up to 10 groups (at
        // most 240); then 16-bit fields (at most 1,920 in all) and one multiply for their sum.
        for (int k0 = 0; k0 < qw; k0 += 30) {
            int k1 = Math.min(qw, k0 + 30);
            for (int g0 = k0; g0 < k1; g0 += 3) {
                int g1 = Math.min(k1, g0 + 3);
                for (int k = g0; k < g1; k++) {
                    List<String> sel = new ArrayList<>();
                    for (int t = 0; t < nt; t++) sel.add("(" + xs[t] + "[" + (k * 64 + 63) + ":" + k * 64 + "] & " + qs[t] + "[" + i + "*" + qw + " + " + k + "])");
                    body.append(i3).append(q).append(" = ").append(String.join(" | ", sel)).append(";\n")
                            .append(i3).append(q).append(" = ").append(q).append(" - ((").append(q).append(" >> 1) & 64'h5555555555555555);\n")
                            .append(i3).append(k == g0 ? nib + " = " : nib + " = " + nib + " + ").append("(").append(q)
                            .append(" & 64'h3333333333333333) + ((").append(q).append(" >> 2) & 64'h3333333333333333);\n");
                }
                body.append(i3).append(g0 == k0 ? byt + " = " : byt + " = " + byt + " + ").append("(").append(nib)
                        .append(" & 64'h0f0f0f0f0f0f0f0f) + ((").append(nib).append(" >> 4) & 64'h0f0f0f0f0f0f0f0f);\n");
            }
            body.append(i3).append(q).append(" = ((").append(byt).append(" & 64'h00ff00ff00ff00ff) + ((").append(byt)
                    .append(" >> 8) & 64'h00ff00ff00ff00ff)) * 64'h0001000100010001;\n")
                    .append(i3).append(sum).append(" = ").append(sum).append(" + ")
                    .append(ow <= 16 ? q + "[" + (48 + ow - 1) + ":48]" : "{" + zero(ow - 16) + ", " + q + "[63:48]}").append(";\n");
        }
        body.append(i3).append(p.name()).append('[').append(i).append("] = ").append(sum).append(";\n")
                .append(i2).append("end\n")
                .append(IND).append("end\n");
        body.append("`endif\n");
    }

    /** Whether some element of the folded popcount {@code s} has output bits that are always 1. */
    private static boolean anyOnes(MaskedPopcounts.Spec s, int c, long owMask) {
        for (int j = 0; j < c; j++) if ((s.ones()[j] & owMask) != 0) return true;
        return false;
    }

    /**
     * The constant array of the always-1 output bits of each element of {@code s}, declared for the
     * simulators; null when no element has any or all elements have the same (a literal then).
     */
    private String onesConstant(MaskedPopcounts.Spec s, Node p, int c, int ow, long owMask) {
        boolean uniformOnes = true;
        for (int j = 0; j < c; j++) uniformOnes &= s.ones()[j] == s.ones()[0];
        if (!anyOnes(s, c, owMask) || uniformOnes) return null;
        String onesVar = names.fresh(p.name() + "_c");
        Bits[] v = new Bits[c];
        for (int j = 0; j < c; j++) v[j] = Bits.of(ow, s.ones()[j] & owMask);
        boolean file = romInFile(c, ow, false);
        decl.append("`ifndef SYNTHESIS\n").append(IND).append(file ? "reg " : "wire ").append(range(ow)).append(' ').append(onesVar)
                .append(arrayRange(c)).append("; // const, ").append(p.tag().key()).append(", bits of ").append(p.name())
                .append(" that are always 1\n`endif\n");
        constArrayBody(onesVar, ow, v);
        return onesVar;
    }

    private String popModuleName(int inputs, int ow) {
        return d.name() + "_popcount" + inputs + "_" + ow;
    }

    /**
     * The popcount module of the SYNTHESIS form: the number of ones of {@code inputs} bits modulo
     * 2^ow, as a sum over 32-bit words of each word's bit sum (Yosys merges it into one
     * multi-operand adder).
     */
    private String popcountModule(int inputs, int ow) {
        int nw = (inputs + 31) / 32;
        StringBuilder m = new StringBuilder();
        String i2 = IND + IND, i3 = i2 + IND, i4 = i3 + IND;
        m.append("// number of ones of ").append(inputs).append(" bits, modulo 2^").append(ow).append(" (synthesis form of the folded popcounts of ")
                .append(d.name()).append(")\n");
        m.append("module ").append(popModuleName(inputs, ow)).append(" (\n")
                .append(IND).append("input wire ").append(range(inputs)).append(" v,\n")
                .append(IND).append("output reg ").append(range(ow)).append(" n\n);\n");
        m.append(IND).append("reg ").append(range(nw * 32)).append(" x;\n")
                .append(IND).append("reg [5:0] s;\n")
                .append(IND).append("integer k, b;\n")
                .append(IND).append("always @* begin\n")
                .append(i2).append("x = ").append(nw * 32 == inputs ? "v" : "{" + zero(nw * 32 - inputs) + ", v}").append(";\n")
                .append(i2).append("n = ").append(zero(ow)).append(";\n")
                .append(i2).append("for (k = 0; k < ").append(nw).append("; k = k + 1) begin\n")
                .append(i3).append("s = 6'd0;\n")
                .append(i3).append("for (b = 0; b < 32; b = b + 1)\n")
                .append(i4).append("s = s + {5'd0, x[k*32 + b]};\n")
                .append(i3).append("n = n + ").append(ow <= 6 ? part("s", ow - 1, 0) : "{" + zero(ow - 6) + ", s}").append(";\n")
                .append(i2).append("end\n")
                .append(IND).append("end\n")
                .append("endmodule\n");
        return m.toString();
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
            // Verilator: per 64-bit word the SWAR population count in native 64-bit operations (its
            // $countones counts 32 bits at a time with twice the operations)
            int qw = (iw + 63) / 64;
            String qx = names.fresh(f + "_qx"), qv = names.fresh(f + "_q"), qk = names.fresh(f + "_qk");
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
                    .append(i2).append("reg ").append(range(qw * 64)).append(' ').append(qx).append(";\n")
                    .append(i2).append("reg [63:0] ").append(qv).append(";\n")
                    .append(i2).append("integer ").append(qk).append(";\n")
                    .append(i2).append("begin\n")
                    .append(i3).append(qx).append(" = ").append(qw * 64 == iw ? v : "{" + zero(qw * 64 - iw) + ", " + v + "}").append(";\n")
                    .append(i3).append(f).append(" = ").append(zero(ow)).append(";\n")
                    .append(i3).append("for (").append(qk).append(" = 0; ").append(qk).append(" < ").append(qw).append("; ").append(qk)
                    .append(" = ").append(qk).append(" + 1) begin\n")
                    .append(i4).append(qv).append(" = ").append(qx).append('[').append(qk).append("*64 +: 64];\n")
                    .append(i4).append(qv).append(" = ").append(qv).append(" - ((").append(qv).append(" >> 1) & 64'h5555555555555555);\n")
                    .append(i4).append(qv).append(" = (").append(qv).append(" & 64'h3333333333333333) + ((").append(qv)
                    .append(" >> 2) & 64'h3333333333333333);\n")
                    .append(i4).append(qv).append(" = (").append(qv).append(" + (").append(qv).append(" >> 4)) & 64'h0f0f0f0f0f0f0f0f;\n")
                    .append(i4).append(qv).append(" = ").append(qv).append(" * 64'h0101010101010101;\n")
                    .append(i4).append(f).append(" = ").append(f).append(" + ")
                    .append(ow <= 8 ? qv + "[" + (56 + ow - 1) + ":56]" : "{" + zero(ow - 8) + ", " + qv + "[63:56]}").append(";\n")
                    .append(i3).append("end\n")
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
