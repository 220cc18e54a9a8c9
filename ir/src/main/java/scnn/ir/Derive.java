package scnn.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives a design from a finished one: the same nodes, names, tags, instances (of the same module
 * objects) and probes, under a new module name, with some nodes turned into input ports of the same
 * width and count and some output ports left out; then everything that no remaining output, probe or
 * kept register reads is removed (dead logic, and the input ports that nothing reads any more).
 *
 * <p>This is how a wrapper reuses a built design with part of its interface moved outside, e.g. the
 * AXI4-Stream top's core: the network with its pixel memory replaced by an array input that the
 * wrapper's double buffer drives. Everything that remains computes exactly what it computed in the
 * original design, from the same values.
 */
public final class Derive {
    private Derive() {}

    /**
     * The derived design.
     *
     * @param src         a complete design (validated)
     * @param name        the new module name
     * @param asInputs    node name in {@code src} -> name of the input port that replaces it (same width and count)
     * @param dropOutputs output ports of {@code src} to leave out
     */
    public static Design derive(Design src, String name, Map<String, String> asInputs, Set<String> dropOutputs) {
        src.validate();
        for (String n : asInputs.keySet())
            if (src.node(n) == null) throw new IllegalArgumentException(src.name() + " has no node " + n);
        for (String o : dropOutputs)
            if (!src.outputs().containsKey(o)) throw new IllegalArgumentException(src.name() + " has no output " + o);

        // reachability from the kept outputs and the probes
        List<Node> nodes = src.nodes();
        boolean[] live = new boolean[nodes.size()];
        Deque<Node> work = new ArrayDeque<>();
        for (Map.Entry<String, Ref> e : src.outputs().entrySet())
            if (!dropOutputs.contains(e.getKey())) work.push(e.getValue().node());
        for (Design.Probe p : src.probes()) work.push(p.signal());
        Map<Instance, Boolean> liveInst = new IdentityHashMap<>();
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (live[n.id()]) continue;
            live[n.id()] = true;
            if (asInputs.containsKey(n.name())) continue; // becomes an input: its operands are not needed
            for (Ref r : n.args()) work.push(r.node());
            if (n.op() == Op.INST_OUT && liveInst.put(n.instance(), true) == null)
                for (Ref r : n.instance().inputs().values()) work.push(r.node());
        }

        Design d = new Design(name);
        Node[] map = new Node[nodes.size()];
        Map<Instance, Instance> made = new IdentityHashMap<>();
        List<Node> regs = new ArrayList<>();
        for (Node n : nodes) {
            boolean instLive = n.op() == Op.INST_OUT && liveInst.containsKey(n.instance());
            if (!live[n.id()] && !instLive) continue;
            String in = asInputs.get(n.name());
            if (in != null) {
                map[n.id()] = d.input(in, n.width(), n.count());
                continue;
            }
            switch (n.op()) {
                case INPUT -> map[n.id()] = d.input(n.name(), n.width(), n.count());
                case CONST -> {
                    Bits[] v = new Bits[n.count()];
                    for (int g = 0; g < v.length; g++) v[g] = n.data(g);
                    map[n.id()] = d.constArray(n.name(), n.tag(), n.width(), v);
                }
                case REG -> {
                    Bits[] v;
                    if (n.uniformData()) v = new Bits[] {n.data(0)};
                    else {
                        v = new Bits[n.count()];
                        for (int g = 0; g < v.length; g++) v[g] = n.data(g);
                    }
                    map[n.id()] = d.reg(n.name(), n.tag(), n.width(), n.count(), v);
                    regs.add(n);
                }
                case RAM -> map[n.id()] = d.ram(n.name(), n.tag(), n.width(), n.count(), ref(map, n.arg(0)), ref(map, n.arg(1)), ref(map, n.arg(2)));
                case INST_OUT -> {
                    Instance si = n.instance();
                    Instance ni = made.get(si);
                    if (ni == null) {
                        Map<String, Ref> conn = new HashMap<>();
                        for (Map.Entry<String, Ref> e : si.inputs().entrySet()) conn.put(e.getKey(), ref(map, e.getValue()));
                        ni = d.instance(si.name(), si.module(), si.count(), conn, instanceTag(si));
                        made.put(si, ni);
                    }
                    map[n.id()] = ni.out(n.port());
                }
                default -> {
                    Ref[] a = new Ref[n.arity()];
                    for (int i = 0; i < a.length; i++) a[i] = ref(map, n.arg(i));
                    map[n.id()] = d.op(n.name(), n.tag(), n.op(), n.width(), n.count(), n.params(), a);
                }
            }
        }
        for (Node r : regs) d.connect(map[r.id()], ref(map, r.next()), r.enable() == null ? null : ref(map, r.enable()));
        for (Map.Entry<String, Ref> e : src.outputs().entrySet())
            if (!dropOutputs.contains(e.getKey())) d.output(e.getKey(), map[e.getValue().node().id()]);
        for (Design.Probe p : src.probes()) d.probe(p.kind(), map[p.signal().id()], p.weight());
        d.params().putAll(src.params());
        if (src.cellKind() != null) d.cell(src.cellKind());
        d.validate();
        return d;
    }

    private static Ref ref(Node[] map, Ref r) {
        Node m = map[r.node().id()];
        if (m == null) throw new IllegalStateException("operand " + r.node().name() + " was removed but is still read");
        return new Ref(m, r.mode(), r.elem());
    }

    /** The tag argument that makes the instance's outputs carry the tags they carry in the source. */
    private static Tag instanceTag(Instance si) {
        boolean own = true;
        Tag common = null;
        boolean same = true;
        for (Map.Entry<String, Node> e : si.outputs().entrySet()) {
            Tag t = e.getValue().tag();
            own &= t == si.module().outputs().get(e.getKey()).node().tag();
            if (common == null) common = t;
            else same &= common == t;
        }
        if (own) return null;
        if (same) return common;
        throw new IllegalArgumentException(si.name() + ": outputs with mixed tags cannot be re-instantiated");
    }

    /** Convenience: {@link #derive} without dropped outputs. */
    public static Design derive(Design src, String name, Map<String, String> asInputs) {
        return derive(src, name, asInputs, Set.of());
    }
}
