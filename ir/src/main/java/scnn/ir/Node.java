package scnn.ir;

import java.util.Arrays;
import java.util.List;

/**
 * One IR node: a named, tagged array of {@link #count()} elements of {@link #width()} bits computed
 * by {@link #op()} from its operands. Create nodes through {@link Design}, which checks them.
 */
public final class Node {
    private final int id;
    private final String name;
    private final Tag tag;
    private final Op op;
    private final int width;
    private final int count;
    private Ref[] args;
    private final int[] params;
    private final Bits[] data;
    private Instance instance;
    private String port;

    Node(int id, String name, Tag tag, Op op, int width, int count, Ref[] args, int[] params, Bits[] data) {
        this.id = id;
        this.name = name;
        this.tag = tag;
        this.op = op;
        this.width = width;
        this.count = count;
        this.args = args;
        this.params = params;
        this.data = data;
    }

    /** Position in {@link Design#nodes()}. */
    public int id() { return id; }
    public String name() { return name; }
    public Tag tag() { return tag; }
    public Op op() { return op; }
    public int width() { return width; }
    public int count() { return count; }
    public boolean isArray() { return count > 1; }
    public List<Ref> args() { return List.of(args); }
    public Ref arg(int i) { return args[i]; }
    public int arity() { return args.length; }
    public int param(int i) { return params[i]; }
    public int[] params() { return params.clone(); }

    /** State-holding nodes: their value comes from the previous clock cycle. */
    public boolean isState() {
        return op == Op.REG || op == Op.RAM;
    }

    /** Sources of a combinational evaluation: inputs, constants and state. */
    public boolean isLeaf() {
        return isState() || op == Op.INPUT || op == Op.CONST;
    }

    /** CONST value, or REG reset value, of element {@code g}. */
    public Bits data(int g) {
        return data.length == 1 ? data[0] : data[g];
    }

    /** True when every element has the same constant / init value. */
    public boolean uniformData() {
        if (data.length == 1) return true;
        for (Bits b : data) if (!b.equals(data[0])) return false;
        return true;
    }

    /** For an {@link Op#INST_OUT}: the instance whose output this is, else null. */
    public Instance instance() { return instance; }

    /** For an {@link Op#INST_OUT}: the module's output port, else null. */
    public String port() { return port; }

    void bindInstance(Instance inst, String p) {
        this.instance = inst;
        this.port = p;
    }

    /** For a REG: the next-value operand. */
    public Ref next() { return args[0]; }

    /** For a REG: the enable operand, or null (always enabled). */
    public Ref enable() { return args.length > 1 ? args[1] : null; }

    void connect(Ref[] a) {
        if (op != Op.REG) throw new IllegalStateException(name + " is not a register");
        if (args.length != 0) throw new IllegalStateException(name + " is connected already");
        this.args = a;
    }

    @Override
    public String toString() {
        return name + ":" + op + "[" + width + (count > 1 ? " x" + count : "") + "]" + (args.length > 0 ? Arrays.toString(Arrays.stream(args).map(r -> r.node().name()).toArray()) : "");
    }
}
