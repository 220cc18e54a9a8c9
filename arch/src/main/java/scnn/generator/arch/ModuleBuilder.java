package scnn.generator.arch;

import java.util.LinkedHashMap;
import java.util.Map;
import scnn.ir.Design;
import scnn.ir.Instance;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * Base of the classes that build one IR module of the design (a layer, the control FSM): the
 * module, short node helpers, and input ports made on first use, each bound to the parent's node
 * it reads, so that a module has exactly the ports it uses (no unused input for Verilator to flag).
 */
abstract class ModuleBuilder {
    /** The module being built. */
    final Design d;
    /** Input port name to the parent's operand, in port order. */
    private final Map<String, Ref> connections = new LinkedHashMap<>();
    private final Map<String, Node> ports = new LinkedHashMap<>();

    ModuleBuilder(String moduleName) {
        this.d = new Design(moduleName);
    }

    /**
     * The input port {@code name} of this module, made on first use with the width and count of
     * the parent's node {@code parent} (an array node gives an array port) and bound to it.
     */
    final Node port(String name, Node parent) {
        Node p = ports.get(name);
        if (p != null) {
            if (connections.get(name).node() != parent) throw new IllegalStateException(d.name() + ": port " + name + " bound twice");
            return p;
        }
        p = parent.count() == 1 ? d.input(name, parent.width()) : d.input(name, parent.width(), parent.count());
        ports.put(name, p);
        connections.put(name, parent.count() == 1 ? Ref.scalar(parent) : Ref.array(parent));
        return p;
    }

    /** Instantiates the finished module in {@code parent} as {@code name}. */
    final Instance instantiate(Design parent, String name) {
        return parent.instance(name, d, 1, connections);
    }

    // ---- small node helpers -------------------------------------------------------------------

    final Node k(String n, Tag t, int w, long v) {
        return d.constant(n, t, w, v);
    }

    final Node op(String n, Tag t, Op op, int w, int count, Ref... a) {
        return d.op(n, t, op, w, count, new int[0], a);
    }

    final Node opP(String n, Tag t, Op op, int w, int count, int param, Ref... a) {
        return d.op(n, t, op, w, count, new int[] {param}, a);
    }

    static Ref r(Node n) {
        return Ref.of(n);
    }

    final Node zext(String n, Tag t, Node x, int w) {
        return op(n, t, Op.ZEXT, w, x.count(), r(x));
    }
}
