package scnn.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inlines the hierarchy of a design: the result is one flat design of the same semantics, in
 * which every node of every instance is a node of its own, named {@code <instance path>_<node>}
 * with the path's instance names joined by {@code _} (so a top-level node keeps its name). An
 * instance array of C copies becomes nodes of C elements, one per copy; port connections are
 * operands and cost no node (where a broadcast scalar must become a whole array, a copy node
 * {@code <name>_all} is made). In an instance array, constants and logic that reads no per-copy
 * value are the same in every copy and stay one scalar node. Every backend that executes the IR node by node (the simulator, the
 * Chisel backend) runs the flat design; the Verilog emitter prints the hierarchy.
 *
 * <p>A design without instances is returned as it is.
 */
public final class Flatten {
    /**
     * Where a flat node comes from.
     *
     * @param path    instance path of its module, names joined by {@code .} ("" for the top)
     * @param arrayAt length of the prefix of {@code path} that names an instance array (the node
     *                has one element per copy of it), or -1
     * @param copies  copies of that instance array, or 1
     * @param local   the node's name in its module
     */
    public record Origin(String path, int arrayAt, int copies, String local) {
        /**
         * The hierarchical Verilog name of the node as the emitter prints the hierarchy, for copy
         * {@code copy} of an instance array (ignored otherwise): {@code a.b.node},
         * {@code a[copy].b.node}.
         */
        public String verilogName(int copy) {
            return verilogName(String.valueOf(copy));
        }

        /** As {@link #verilogName(int)}, with the copy index given as an expression (e.g. a genvar). */
        public String verilogName(String copy) {
            String full = path.isEmpty() ? local : path + "." + local;
            if (arrayAt < 0) return full;
            return full.substring(0, arrayAt) + "[" + copy + "]" + full.substring(arrayAt);
        }
    }

    /**
     * A probe of the flat design: events {@code kind} are the ones among the elements of
     * {@code signal} every cycle of the event window, where a {@link Ref.Mode#SCALAR} or
     * {@link Ref.Mode#ELEM} operand stands for {@code elements} equal elements (one per copy).
     *
     * @param kind     the event class
     * @param signal   the flat operand
     * @param elements elements counted per cycle
     * @param weight   events per one
     * @param path     instance path of the module that declared the probe
     */
    public record FlatProbe(String kind, Ref signal, int elements, long weight, String path) {
        /** The flat node element that element {@code e} of the probe reads. */
        public int element(int e) {
            return signal.mode() == Ref.Mode.SAME || signal.mode() == Ref.Mode.ARRAY ? e : signal.element(e);
        }
    }

    /**
     * The flat design and where its nodes come from.
     *
     * @param design  the flat design (the input design itself when it has no instances)
     * @param origins origin of every flat node, by node id
     * @param probes  every probe of the hierarchy, on flat operands
     */
    public record Flat(Design design, List<Origin> origins, List<FlatProbe> probes) {
        public Origin origin(Node n) {
            return origins.get(n.id());
        }
    }

    /** The flat name of node {@code local} of the instance at {@code path} (names joined by {@code .}). */
    public static String flatName(String path, String local) {
        return path.isEmpty() ? local : path.replace('.', '_') + "_" + local;
    }

    /** Flattens {@code top}; see the class comment. */
    public static Flat flatten(Design top) {
        if (!top.hierarchical()) {
            List<Origin> o = new ArrayList<>();
            for (Node n : top.nodes()) o.add(new Origin("", -1, 1, n.name()));
            List<FlatProbe> p = new ArrayList<>();
            for (Design.Probe pr : top.probes()) p.add(new FlatProbe(pr.kind(), Ref.of(pr.signal()), pr.signal().count(), pr.weight(), ""));
            return new Flat(top, Collections.unmodifiableList(o), Collections.unmodifiableList(p));
        }
        return new Flatten(top).run(top);
    }

    // ------------------------------------------------------------------------------------------

    private final Design flat;
    private final List<Origin> origins = new ArrayList<>();
    private final List<FlatProbe> probes = new ArrayList<>();

    private Flatten(Design top) {
        top.validate();
        this.flat = new Design(top.name());
        flat.params().putAll(top.params());
        flat.clocking(top.clockPort(), top.resetPort(), top.resetActiveLow());
        if (top.portOrder() != null) flat.portOrder(top.portOrder());
    }

    /** Context of one module being inlined. */
    private final class Ctx {
        final Design module;
        final String prefix, path;
        final int arrayAt, copies;
        /** Module node -> its view in the flat design (see {@link #resolve}). */
        final Map<Node, Ref> bind = new HashMap<>();
        final Map<Instance, Ctx> inlined = new IdentityHashMap<>();

        Ctx(Design module, String path, int arrayAt, int copies) {
            this.module = module;
            this.path = path;
            this.prefix = path.isEmpty() ? "" : path.replace('.', '_') + "_";
            this.arrayAt = arrayAt;
            this.copies = copies;
        }

        int flatCount(Node n) {
            return copies > 1 ? copies : n.count();
        }

        /**
         * The flat operand for a module operand. A node's view is a SAME operand of a flat node
         * with the node's (flat) count, or a SCALAR / ELEM operand that every element reads.
         */
        Ref resolve(Ref r) {
            Node a = r.node();
            Ref v = bind.get(a);
            if (v == null) throw new IllegalStateException(module.name() + ": operand " + a.name() + " is used before it is made");
            boolean broadcast = v.mode() != Ref.Mode.SAME;
            if (copies > 1) {
                if (r.mode() == Ref.Mode.ARRAY) throw new IllegalArgumentException(module.name() + "." + a.name() + ": a whole-array operand inside an instance array");
                return v;
            }
            return switch (r.mode()) {
                case SAME -> v;
                case SCALAR -> broadcast ? v : Ref.scalar(v.node());
                case ELEM -> broadcast ? v : Ref.elem(v.node(), r.elem());
                case ARRAY -> {
                    if (!broadcast) yield Ref.array(v.node());
                    if (a.count() == 1 && v.mode() == Ref.Mode.SCALAR) yield Ref.array(v.node());
                    yield Ref.array(materialize(a, v));
                }
            };
        }

        /** A flat node of {@code a}'s count whose every element is the broadcast {@code v}. */
        Node materialize(Node a, Ref v) {
            Node n = flat.add(prefix + a.name() + "_all", a.tag(), Op.ZEXT, a.width(), a.count(), new Ref[] {v}, new int[0], new Bits[0]);
            origins.add(new Origin(path, arrayAt, copies, a.name() + "_all"));
            return n;
        }

        Node make(Node n, Op op, Ref[] args, Bits[] data) {
            return make(n, op, args, data, flatCount(n));
        }

        Node make(Node n, Op op, Ref[] args, Bits[] data, int count) {
            int[] params = n.params();
            try {
                Node f = flat.add(prefix + n.name(), n.tag(), op, n.width(), count, args, params, data);
                origins.add(new Origin(path, arrayAt, copies, n.name()));
                return f;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("flattening " + (path.isEmpty() ? module.name() : path) + ": " + e.getMessage(), e);
            }
        }

        void run() {
            List<Node[]> regs = new ArrayList<>();
            for (Node n : module.nodes()) {
                switch (n.op()) {
                    case INPUT -> {
                        if (!bind.containsKey(n)) throw new IllegalStateException(module.name() + ": input " + n.name() + " is not bound");
                    }
                    case INST_OUT -> {
                        Instance inst = n.instance();
                        Ctx sub = inlined.get(inst);
                        if (sub == null) {
                            sub = inline(inst);
                            inlined.put(inst, sub);
                        }
                        Ref drv = inst.module().outputs().get(n.port());
                        bind.put(n, sub.bind.get(drv.node()));
                    }
                    case CONST -> {
                        Bits[] data = new Bits[n.uniformData() ? 1 : n.count()];
                        for (int g = 0; g < data.length; g++) data[g] = n.data(g);
                        if (copies > 1) bind.put(n, Ref.scalar(make(n, Op.CONST, new Ref[0], data, 1)));
                        else bind.put(n, Ref.same(make(n, Op.CONST, new Ref[0], data)));
                    }
                    case REG -> {
                        Bits[] data = new Bits[n.uniformData() ? 1 : n.count()];
                        for (int g = 0; g < data.length; g++) data[g] = n.data(g);
                        Node f = make(n, Op.REG, new Ref[0], data);
                        bind.put(n, Ref.same(f));
                        regs.add(new Node[] {n, f});
                    }
                    default -> {
                        Ref[] args = new Ref[n.arity()];
                        boolean uniform = copies > 1;
                        for (int i = 0; i < args.length; i++) {
                            args[i] = resolve(n.arg(i));
                            uniform &= args[i].mode() != Ref.Mode.SAME;
                        }
                        // in an instance array, logic of scalars only is the same in every copy: one node
                        if (uniform) bind.put(n, Ref.scalar(make(n, n.op(), args, new Bits[0], 1)));
                        else bind.put(n, Ref.same(make(n, n.op(), args, new Bits[0])));
                    }
                }
            }
            // instances whose outputs nobody reads still hold state and probes
            for (Instance inst : module.instances())
                if (!inlined.containsKey(inst)) inlined.put(inst, inline(inst));
            for (Node[] rf : regs) {
                Node n = rf[0];
                flat.connect(rf[1], resolve(n.next()), n.enable() == null ? null : resolve(n.enable()));
            }
            for (Design.Probe p : module.probes())
                probes.add(new FlatProbe(p.kind(), resolve(Ref.of(p.signal())), p.signal().count() * copies, p.weight(), path));
        }

        Ctx inline(Instance inst) {
            if (inst.count() > 1 && copies > 1)
                throw new IllegalArgumentException((path.isEmpty() ? module.name() : path) + ": instance array " + inst.name() + " inside an instance array");
            String p = path.isEmpty() ? inst.name() : path + "." + inst.name();
            Ctx sub = inst.count() > 1 ? new Ctx(inst.module(), p, p.length(), inst.count()) : new Ctx(inst.module(), p, arrayAt, copies);
            for (Node in : inst.module().inputs()) {
                Ref c = inst.inputs().get(in.name());
                Ref v;
                if (c.mode() == Ref.Mode.ARRAY) {
                    Ref whole = resolve(c);
                    v = Ref.same(whole.node());
                } else {
                    v = resolve(c);
                    if (v.mode() == Ref.Mode.SAME && inst.count() == 1 && copies == 1) v = Ref.scalar(v.node());
                }
                sub.bind.put(in, v);
            }
            sub.run();
            return sub;
        }
    }

    private Flat run(Design top) {
        Ctx c = new Ctx(top, "", -1, 1);
        for (Node in : top.inputs()) {
            if (in.count() != 1) throw new IllegalArgumentException(top.name() + ": the top's input " + in.name() + " is an array");
            Node f = flat.input(in.name(), in.width());
            origins.add(new Origin("", -1, 1, in.name()));
            c.bind.put(in, Ref.scalar(f));
        }
        c.run();
        for (Map.Entry<String, Ref> e : top.outputs().entrySet()) {
            Ref v = c.resolve(e.getValue());
            Node drv = v.node();
            if (v.mode() == Ref.Mode.ELEM || v.mode() == Ref.Mode.SAME && drv.count() != e.getValue().node().count()) {
                drv = flat.add(e.getKey() + "_out", e.getValue().node().tag(), Op.ZEXT, drv.width(), 1, new Ref[] {v}, new int[0], new Bits[0]);
                origins.add(new Origin("", -1, 1, e.getKey() + "_out"));
            }
            flat.output(e.getKey(), drv);
        }
        flat.validate();
        return new Flat(flat, Collections.unmodifiableList(origins), Collections.unmodifiableList(probes));
    }
}
