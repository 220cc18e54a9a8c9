package scnn.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A synchronous design: one module with clock {@code clk}, synchronous active-high reset
 * {@code rst}, input ports ({@link Op#INPUT} nodes), output ports (named operands) and nodes, and
 * instances of other designs ({@link #instance}: the hierarchy; {@link Flatten} inlines it).
 * Factory methods check widths, counts and names as nodes are made. A design is complete, and must
 * not change any more, once it is instantiated.
 */
public final class Design {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> RESERVED = Set.of("clk", "rst", "module", "endmodule", "input", "output", "wire", "reg",
            "assign", "always", "begin", "end", "if", "else", "case", "endcase", "for", "generate", "endgenerate", "genvar",
            "integer", "initial", "parameter", "localparam", "function", "endfunction", "posedge", "negedge", "or", "and",
            "not", "xor", "xnor", "nand", "nor", "buf", "signed", "unsigned", "default", "task", "endtask", "inout",
            "real", "time", "wait", "while", "repeat", "forever", "fork", "join", "event", "specify", "logic", "bit",
            "byte", "int", "string", "class", "type", "const", "static", "virtual", "interface", "package", "program");

    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> byName = new HashMap<>();
    private final List<Node> inputs = new ArrayList<>();
    private final Map<String, Ref> outputs = new LinkedHashMap<>();
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final List<Instance> instances = new ArrayList<>();
    private final List<Probe> probes = new ArrayList<>();
    /** Output port -> the input ports it depends on combinationally (computed when first instantiated). */
    private Map<String, Set<String>> combPaths;
    private String cellKind;
    private String clockPort = "clk", resetPort = "rst";
    private boolean resetActiveLow;
    private List<String> portOrder;

    /**
     * An event probe: every cycle of the event window, the number of elements of {@code signal}
     * (1 bit) that are 1 is added to the count of {@code kind} (e.g. the s-MTJ samples: the
     * sample-enable of a device cell). Probes of sub-designs count once per instance copy.
     *
     * @param kind   the event class ({@code smtj_samples}, {@code dac_conversions})
     * @param signal the 1-bit node whose ones are counted
     * @param weight events per one (e.g. the devices that one enable samples)
     */
    public record Probe(String kind, Node signal, long weight) {}

    public Design(String name) {
        checkName(name);
        this.name = name;
    }

    public String name() { return name; }
    public List<Node> nodes() { return Collections.unmodifiableList(nodes); }
    public List<Node> inputs() { return Collections.unmodifiableList(inputs); }
    /** Output port name to its (scalar) driver, in port order. */
    public Map<String, Ref> outputs() { return Collections.unmodifiableMap(outputs); }
    public Node node(String n) { return byName.get(n); }
    /** The instances of sub-designs, in creation order. */
    public List<Instance> instances() { return Collections.unmodifiableList(instances); }
    /** True when the design instantiates sub-designs. */
    public boolean hierarchical() { return !instances.isEmpty(); }
    /** The event probes of this design (not of its sub-designs), in creation order. */
    public List<Probe> probes() { return Collections.unmodifiableList(probes); }
    /**
     * Marks this design as a replaceable cell of kind {@code kind} (e.g. {@code smtj}: a device
     * model that a flow may replace by the device's macro; the Verilog writer can print it as a
     * black box). Returns this design.
     */
    public Design cell(String kind) {
        this.cellKind = kind;
        return this;
    }

    /** The cell kind ({@link #cell}), or null for an ordinary design. */
    public String cellKind() { return cellKind; }

    /**
     * Names the clock and reset ports of this design as a backend prints them (default {@code clk}
     * and {@code rst}, active high), e.g. {@code aclk} and {@code aresetn} (active low) for an
     * AXI top. The semantics stay those of {@code clk} and {@code rst}: registers take their init
     * values at a clock edge where the reset is asserted. Returns this design.
     */
    public Design clocking(String clock, String reset, boolean activeLow) {
        if (!clock.equals("clk")) checkName(clock);
        if (!reset.equals("rst")) checkName(reset);
        if (clock.equals(reset)) throw new IllegalArgumentException("clock and reset ports share the name " + clock);
        this.clockPort = clock;
        this.resetPort = reset;
        this.resetActiveLow = activeLow;
        return this;
    }

    /** The clock port's name ({@link #clocking}). */
    public String clockPort() { return clockPort; }

    /** The reset port's name ({@link #clocking}). */
    public String resetPort() { return resetPort; }

    /** True when the reset port is active low ({@link #clocking}). */
    public boolean resetActiveLow() { return resetActiveLow; }

    /**
     * Fixes the order of the ports as a backend prints them: every port (clock, reset, inputs and
     * outputs) exactly once; checked by {@link #validate()}. Without it the order is clock, reset,
     * inputs, outputs. Returns this design.
     */
    public Design portOrder(List<String> order) {
        this.portOrder = List.copyOf(order);
        return this;
    }

    /** The port order ({@link #portOrder(List)}), or null for the default. */
    public List<String> portOrder() { return portOrder; }

    /** Free-form generation parameters (for the manifest and reports). */
    public Map<String, Object> params() { return params; }

    public static boolean legalName(String n) {
        return IDENT.matcher(n).matches() && !RESERVED.contains(n) && !n.startsWith("\\");
    }

    private void checkName(String n) {
        if (!legalName(n)) throw new IllegalArgumentException("illegal or reserved name: " + n);
    }

    Node add(String n, Tag tag, Op op, int width, int count, Ref[] args, int[] params, Bits[] data) {
        checkName(n);
        if (byName.containsKey(n)) throw new IllegalArgumentException("duplicate node name: " + n);
        if (width < 1) throw new IllegalArgumentException(n + ": width must be positive");
        if (count < 1) throw new IllegalArgumentException(n + ": count must be positive");
        for (Ref r : args) checkRef(n, count, r);
        Node node = new Node(nodes.size(), n, tag, op, width, count, args, params, data);
        nodes.add(node);
        byName.put(n, node);
        return node;
    }

    private static void checkRef(String user, int count, Ref r) {
        switch (r.mode()) {
            case SAME -> {
                if (r.node().count() != count)
                    throw new IllegalArgumentException(user + ": operand " + r.node().name() + " has count " + r.node().count() + ", expected " + count);
            }
            case SCALAR -> {
                if (r.node().count() != 1) throw new IllegalArgumentException(user + ": operand " + r.node().name() + " is not a scalar");
            }
            case ELEM, ARRAY -> { }
        }
    }

    // ---- leaves ---------------------------------------------------------------------------

    public Node input(String n, int width) {
        return input(n, width, 1);
    }

    /**
     * An input port of {@code count} elements (an array port of a sub-design; the Verilog port is a
     * vector of count x width bits, element g in bits {@code [g*width +: width]}).
     */
    public Node input(String n, int width, int count) {
        Node node = add(n, Tag.IO, Op.INPUT, width, count, new Ref[0], new int[0], new Bits[0]);
        inputs.add(node);
        return node;
    }

    public Node constant(String n, Tag tag, int width, long value) {
        return add(n, tag, Op.CONST, width, 1, new Ref[0], new int[0], new Bits[] {Bits.of(width, value)});
    }

    /** A constant array (a ROM when read with {@link Op#ARRAY_GET}). */
    public Node constArray(String n, Tag tag, int width, Bits[] values) {
        for (Bits b : values) if (b.width() != width) throw new IllegalArgumentException(n + ": constant width " + b.width() + " != " + width);
        return add(n, tag, Op.CONST, width, values.length, new Ref[0], new int[0], values.clone());
    }

    /** Register array with one reset value per element (or one for all); connect it later. */
    public Node reg(String n, Tag tag, int width, int count, Bits... init) {
        if (init.length != 1 && init.length != count) throw new IllegalArgumentException(n + ": need 1 or " + count + " init values");
        for (Bits b : init) if (b.width() != width) throw new IllegalArgumentException(n + ": init width " + b.width() + " != " + width);
        return add(n, tag, Op.REG, width, count, new Ref[0], new int[0], init.clone());
    }

    public Node reg(String n, Tag tag, int width, long init) {
        return reg(n, tag, width, 1, Bits.of(width, init));
    }

    /** Sets a register's next value and optional enable (1 bit). */
    public void connect(Node reg, Ref next, Ref enable) {
        checkRef(reg.name(), reg.count(), next);
        if (next.width() != reg.width()) throw new IllegalArgumentException(reg.name() + ": next width " + next.width() + " != " + reg.width());
        if (enable != null) {
            checkRef(reg.name(), reg.count(), enable);
            if (enable.width() != 1) throw new IllegalArgumentException(reg.name() + ": enable must be 1 bit");
        }
        reg.connect(enable == null ? new Ref[] {next} : new Ref[] {next, enable});
    }

    public Node ram(String n, Tag tag, int width, int depth, Ref we, Ref waddr, Ref wdata) {
        if (we.width() != 1 || wdata.width() != width) throw new IllegalArgumentException(n + ": bad RAM port widths");
        return add(n, tag, Op.RAM, width, depth, new Ref[] {we, waddr, wdata}, new int[0], new Bits[0]);
    }

    /**
     * Output port {@code port} driven by {@code driver}; an array driver makes an array port (of a
     * sub-design: the Verilog port is a vector of count x width bits, element g in bits
     * {@code [g*width +: width]}).
     */
    public void output(String port, Node driver) {
        checkName(port);
        if (outputs.containsKey(port) || byName.containsKey(port) && byName.get(port) != driver)
            throw new IllegalArgumentException("output name clash: " + port);
        outputs.put(port, Ref.of(driver));
    }

    /** Counts the ones of the 1-bit {@code signal} every cycle of the event window as events {@code kind} (see {@link Probe}). */
    public void probe(String kind, Node signal) {
        probe(kind, signal, 1);
    }

    /** As {@link #probe(String, Node)}, each one counting {@code weight} events. */
    public void probe(String kind, Node signal, long weight) {
        if (signal.width() != 1) throw new IllegalArgumentException("probe " + kind + ": " + signal.name() + " is not 1 bit");
        if (byName.get(signal.name()) != signal) throw new IllegalArgumentException("probe " + kind + ": " + signal.name() + " is not a node of " + name);
        if (weight < 1) throw new IllegalArgumentException("probe " + kind + ": weight must be positive");
        probes.add(new Probe(kind, signal, weight));
    }

    // ---- hierarchy ----------------------------------------------------------------------------

    /**
     * Instantiates {@code module} as {@code name} ({@code count} copies: an instance array when
     * count > 1, see {@link Instance}); {@code connections} maps every input port of the module to
     * its operand here. Makes one {@link Op#INST_OUT} node per output port, named
     * {@code <name>_<port>}, of the port's width and of the port's count (or {@code count} for an
     * instance array), tagged {@code tag}.
     */
    public Instance instance(String name, Design module, int count, Map<String, Ref> connections, Tag tag) {
        checkName(name);
        if (module == this) throw new IllegalArgumentException(name + ": a design cannot instantiate itself");
        if (count < 1) throw new IllegalArgumentException(name + ": count must be positive");
        for (Instance i : instances) if (i.name().equals(name)) throw new IllegalArgumentException("duplicate instance name: " + name);
        if (byName.containsKey(name)) throw new IllegalArgumentException("instance name clashes with a node: " + name);
        if (count > 1)
            for (Node n : module.nodes())
                if (n.count() != 1) throw new IllegalArgumentException(name + ": an instance array needs a module of scalars; " + module.name() + "." + n.name() + " has count " + n.count());
        Map<String, Ref> conn = new LinkedHashMap<>();
        for (Node in : module.inputs()) {
            Ref r = connections.get(in.name());
            if (r == null) throw new IllegalArgumentException(name + ": input " + in.name() + " of " + module.name() + " is not connected");
            if (r.width() != in.width())
                throw new IllegalArgumentException(name + "." + in.name() + ": operand " + r.node().name() + " has width " + r.width() + ", expected " + in.width());
            if (count > 1) {
                if (r.mode() == Ref.Mode.ARRAY || r.mode() == Ref.Mode.SAME && r.node().count() != count)
                    throw new IllegalArgumentException(name + "." + in.name() + ": an instance array of " + count + " takes element-wise operands of " + count + " elements or scalars");
            } else if (in.count() > 1) {
                if (r.node().count() != in.count() || r.mode() != Ref.Mode.ARRAY && r.mode() != Ref.Mode.SAME)
                    throw new IllegalArgumentException(name + "." + in.name() + ": the array port of " + in.count() + " elements takes a whole array of " + in.count());
                r = Ref.array(r.node());
            } else if (r.mode() == Ref.Mode.SAME || r.mode() == Ref.Mode.ARRAY) {
                if (r.node().count() != 1) throw new IllegalArgumentException(name + "." + in.name() + ": a scalar port takes a scalar or one element");
                r = Ref.scalar(r.node());
            }
            conn.put(in.name(), r);
        }
        for (String k : connections.keySet())
            if (module.node(k) == null || module.node(k).op() != Op.INPUT) throw new IllegalArgumentException(name + ": " + module.name() + " has no input " + k);
        Instance inst = new Instance(name, module, count, conn);
        Map<String, Set<String>> paths = module.combinationalPaths();
        for (Map.Entry<String, Ref> o : module.outputs().entrySet()) {
            List<Ref> deps = new ArrayList<>();
            for (String in : paths.get(o.getKey())) deps.add(conn.get(in));
            Node drv = o.getValue().node();
            Node n = add(name + "_" + o.getKey(), tag == null ? drv.tag() : tag, Op.INST_OUT, drv.width(), count > 1 ? count : drv.count(), deps.toArray(new Ref[0]), new int[0], new Bits[0]);
            n.bindInstance(inst, o.getKey());
            inst.addOutput(o.getKey(), n);
        }
        instances.add(inst);
        return inst;
    }

    /** {@link #instance(String, Design, int, Map, Tag)} with outputs tagged by the module's own output drivers' tags. */
    public Instance instance(String name, Design module, int count, Map<String, Ref> connections) {
        return instance(name, module, count, connections, null);
    }

    /**
     * For every output port, the input ports it depends on combinationally (through logic, not
     * through registers or memories), in input-port order.
     */
    public Map<String, Set<String>> combinationalPaths() {
        if (combPaths != null) return combPaths;
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (Map.Entry<String, Ref> o : outputs.entrySet()) {
            boolean[] seen = new boolean[nodes.size()];
            List<Node> stack = new ArrayList<>(List.of(o.getValue().node()));
            Set<String> ins = new HashSet<>();
            while (!stack.isEmpty()) {
                Node n = stack.remove(stack.size() - 1);
                if (seen[n.id()]) continue;
                seen[n.id()] = true;
                if (n.op() == Op.INPUT) ins.add(n.name());
                if (n.isLeaf()) continue;
                for (Ref r : n.args()) stack.add(r.node());
            }
            Set<String> ordered = new java.util.LinkedHashSet<>();
            for (Node in : inputs) if (ins.contains(in.name())) ordered.add(in.name());
            m.put(o.getKey(), Collections.unmodifiableSet(ordered));
        }
        combPaths = Collections.unmodifiableMap(m);
        return combPaths;
    }

    /** This design and every design it instantiates, each once, sub-designs before their users. */
    public List<Design> modules() {
        List<Design> out = new ArrayList<>();
        collect(this, out, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return out;
    }

    private static void collect(Design d, List<Design> out, Set<Design> seen) {
        if (!seen.add(d)) return;
        for (Instance i : d.instances) collect(i.module(), out, seen);
        out.add(d);
    }

    // ---- operations -----------------------------------------------------------------------

    /** A general operation node; checks operand widths for the operation. */
    public Node op(String n, Tag tag, Op op, int width, int count, int[] params, Ref... args) {
        if (op.arity >= 0 && args.length != op.arity) throw new IllegalArgumentException(n + ": " + op + " takes " + op.arity + " operands");
        switch (op) {
            case INPUT, CONST, REG, RAM, INST_OUT -> throw new IllegalArgumentException(n + ": use the dedicated factory for " + op);
            case NOT, AND, OR, XOR, XNOR, ADD, SUB, MUL -> sameWidth(n, width, args);
            case SHL, SHR, ASHR -> {
                sameWidth(n, width, args);
                if (params.length != 1 || params[0] < 0) throw new IllegalArgumentException(n + ": shift needs a constant amount");
            }
            case EQ, NE, LTU, LTS -> {
                if (width != 1 || args[0].width() != args[1].width()) throw new IllegalArgumentException(n + ": comparison of unequal widths or result not 1 bit");
            }
            case MUX -> {
                if (args[0].width() != 1) throw new IllegalArgumentException(n + ": mux select must be 1 bit");
                sameWidth(n, width, args[1], args[2]);
            }
            case CONCAT -> {
                int s = 0;
                for (Ref r : args) s += r.width();
                if (s != width) throw new IllegalArgumentException(n + ": concat width " + s + " != " + width);
            }
            case SLICE -> {
                if (params.length != 1 || params[0] < 0 || params[0] + width > args[0].width())
                    throw new IllegalArgumentException(n + ": slice out of range");
            }
            case ZEXT, SEXT, POPCOUNT -> { }
            case RED_OR, RED_AND, RED_XOR, INDEX -> {
                if (width != 1) throw new IllegalArgumentException(n + ": result must be 1 bit");
            }
            case PACK -> {
                if (args[0].mode() != Ref.Mode.ARRAY || width != args[0].node().count() * args[0].width())
                    throw new IllegalArgumentException(n + ": pack takes a whole array and has count*width bits");
            }
            case BITSEL -> {
                if (params.length != 1 || params[0] < 1 || args[1].width() != width * params[0])
                    throw new IllegalArgumentException(n + ": bitsel codes must be width*cw bits");
            }
            case ARRAY_GET -> {
                if (args[0].mode() != Ref.Mode.ARRAY || args[0].width() != width)
                    throw new IllegalArgumentException(n + ": array_get takes a whole array of the result width");
            }
            default -> { }
        }
        for (Ref r : args)
            if (r.mode() == Ref.Mode.ARRAY && op != Op.PACK && !(op == Op.ARRAY_GET && r == args[0]))
                throw new IllegalArgumentException(n + ": whole-array operand only for pack and array_get");
        return add(n, tag, op, width, count, args, params, new Bits[0]);
    }

    private static void sameWidth(String n, int width, Ref... args) {
        for (Ref r : args)
            if (r.width() != width) throw new IllegalArgumentException(n + ": operand " + r.node().name() + " has width " + r.width() + ", expected " + width);
    }

    // ---- analysis -------------------------------------------------------------------------

    /**
     * The combinational nodes in an order where every node comes after its combinational
     * operands. Throws when registers are unconnected or the logic has a loop.
     */
    public List<Node> levelize() {
        for (Node n : nodes)
            if (n.op() == Op.REG && n.arity() == 0) throw new IllegalStateException("register " + n.name() + " is not connected");
        List<Node> order = new ArrayList<>();
        int[] state = new int[nodes.size()]; // 0 new, 1 on stack, 2 done
        for (Node n : nodes) {
            if (n.isLeaf() || state[n.id()] == 2) continue;
            // iterative DFS
            List<Node> stack = new ArrayList<>();
            List<Integer> pos = new ArrayList<>();
            stack.add(n);
            pos.add(0);
            state[n.id()] = 1;
            while (!stack.isEmpty()) {
                int top = stack.size() - 1;
                Node cur = stack.get(top);
                int p = pos.get(top);
                if (p < cur.arity()) {
                    pos.set(top, p + 1);
                    Node d = cur.arg(p).node();
                    if (d.isLeaf() || state[d.id()] == 2) continue;
                    if (state[d.id()] == 1) throw new IllegalStateException("combinational loop through " + d.name() + " and " + cur.name());
                    state[d.id()] = 1;
                    stack.add(d);
                    pos.add(0);
                } else {
                    state[cur.id()] = 2;
                    order.add(cur);
                    stack.remove(top);
                    pos.remove(top);
                }
            }
        }
        return order;
    }

    /** Checks the invariants every backend relies on; returns the levelized order. */
    public List<Node> validate() {
        Set<String> names = new HashSet<>();
        for (Node n : nodes) {
            if (!names.add(n.name())) throw new IllegalStateException("duplicate name " + n.name());
            if (n.tag() == null) throw new IllegalStateException(n.name() + " has no tag");
        }
        for (String p : outputs.keySet()) if (byName.containsKey(p) && byName.get(p) != outputs.get(p).node())
            throw new IllegalStateException("output " + p + " clashes with a node name");
        for (String p : List.of(clockPort, resetPort))
            if (!p.equals("clk") && !p.equals("rst") && (byName.containsKey(p) || outputs.containsKey(p)))
                throw new IllegalStateException("clock or reset port " + p + " clashes with a node or an output");
        if (portOrder != null) {
            List<String> all = new ArrayList<>(List.of(clockPort, resetPort));
            for (Node in : inputs) all.add(in.name());
            all.addAll(outputs.keySet());
            if (portOrder.size() != all.size() || !new HashSet<>(portOrder).equals(new HashSet<>(all)))
                throw new IllegalStateException(name + ": the port order " + portOrder + " does not list every port " + all + " once");
        }
        for (Instance i : instances) i.module().validate();
        return levelize();
    }

    /**
     * SHA-256 of the whole netlist (every node's name, op, tag, width, count, parameters, operands
     * and constant data, and the outputs; not the descriptive parameters): two designs with the same
     * fingerprint are the same hardware. Used to key stored results.
     */
    public String fingerprint() {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes()) {
            sb.setLength(0);
            sb.append(n.name()).append(' ').append(n.op()).append(' ').append(n.tag()).append(' ').append(n.width()).append(' ')
                    .append(n.count()).append(' ').append(java.util.Arrays.toString(n.params()));
            for (Ref r : n.args()) sb.append(' ').append(r.node().id()).append(':').append(r.mode()).append(':').append(r.elem());
            if (n.op() == Op.CONST || n.op() == Op.REG)
                for (int g = 0; g < n.count(); g++) sb.append(' ').append(n.data(g).toHex());
            sb.append('\n');
            md.update(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        sb.setLength(0);
        outputs().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        for (Instance i : instances) {
            sb.append("instance ").append(i.name()).append(' ').append(i.count()).append(' ').append(i.module().name()).append(' ')
                    .append(i.module().fingerprint());
            i.inputs().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v.node().id()).append(':').append(v.mode()).append(':').append(v.elem()));
            sb.append('\n');
        }
        for (Probe p : probes) sb.append("probe ").append(p.kind()).append(' ').append(p.signal().id()).append(' ').append(p.weight()).append('\n');
        if (!clockPort.equals("clk") || !resetPort.equals("rst") || resetActiveLow)
            sb.append("clocking ").append(clockPort).append(' ').append(resetPort).append(' ').append(resetActiveLow).append('\n');
        if (portOrder != null) sb.append("ports ").append(String.join(",", portOrder)).append('\n');
        md.update(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
