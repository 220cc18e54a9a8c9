package scnn.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance of a sub-design (a module) inside a design, made by {@link Design#instance}. An
 * instance of {@link #count()} C > 1 is an <em>instance array</em>: C copies of a module whose nodes
 * are all scalars, connected element-wise like every array operation (copy c reads element c of a
 * {@link Ref.Mode#SAME} connection; a scalar or fixed-element connection goes to every copy), and
 * its outputs are arrays of C elements. An instance of count 1 may have array ports: an input port
 * of count k is connected to a whole array of k elements, an output port of count k gives an array
 * of k elements.
 */
public final class Instance {
    private final String name;
    private final Design module;
    private final int count;
    private final Map<String, Ref> inputs;
    private final Map<String, Node> outputs = new LinkedHashMap<>();

    Instance(String name, Design module, int count, Map<String, Ref> inputs) {
        this.name = name;
        this.module = module;
        this.count = count;
        this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /** Instance name (the Verilog instance name; prefix of its outputs' node names). */
    public String name() { return name; }

    /** The instantiated sub-design. */
    public Design module() { return module; }

    /** Copies: 1, or C for an instance array. */
    public int count() { return count; }

    /**
     * Input port name to its connection, in the module's port order: for an array port a
     * {@link Ref.Mode#ARRAY} operand of the port's count; for a scalar port of a single instance a
     * scalar or fixed element; for an instance array a {@link Ref.Mode#SAME} operand of
     * {@link #count()} elements (element-wise) or a scalar / fixed element (to every copy).
     */
    public Map<String, Ref> inputs() { return inputs; }

    /** Output port name to the {@link Op#INST_OUT} node that carries it in the parent, in port order. */
    public Map<String, Node> outputs() { return Collections.unmodifiableMap(outputs); }

    /** The parent's node of output {@code port}. */
    public Node out(String port) {
        Node n = outputs.get(port);
        if (n == null) throw new IllegalArgumentException(name + ": module " + module.name() + " has no output " + port);
        return n;
    }

    void addOutput(String port, Node n) {
        outputs.put(port, n);
    }

    @Override
    public String toString() {
        return name + ":" + module.name() + (count > 1 ? "[" + count + "]" : "");
    }
}
