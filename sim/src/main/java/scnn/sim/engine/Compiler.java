package scnn.sim.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;

/**
 * Compiles a {@link Design} into a bit-sliced {@link Program}, in passes of one concern each:
 * <ol>
 *   <li>layout ({@link Signals#layout}): slots of inputs, registers and memories, constant bits;
 *   <li>bit-blasting ({@link BitBlaster}) of every combinational node in topological order, then of
 *       every state node's next value, with folding ({@link Gates}) and sharing ({@link Sharing})
 *       applied as gates are built, and wide popcounts and large ROM reads as kernels ({@link Kernels});
 *   <li>register merging ({@link RegisterMerge});
 *   <li>encoding ({@link Encoder}): grouped instructions, blocks, activity analysis.
 * </ol>
 */
public final class Compiler {
    /** A constant array read by a variable index becomes a lookup kernel when its mux trees would reach this many bits. */
    public static final long LUT_MIN_BITS = Kernels.LUT_MIN_BITS;

    private Compiler() {}

    public static Program compile(Design d) {
        return build(d, Map.of(), null);
    }

    /**
     * Compiles a variant in which the given input ports hold fixed values (partial evaluation: logic
     * that only depends on them folds away). Input, register and memory slots are laid out exactly
     * as in {@link #compile(Design)}, so a {@link Machine} can switch between the variants.
     */
    public static Program compile(Design d, Map<Node, Long> fixedInputs) {
        return build(d, fixedInputs, null);
    }

    /**
     * As {@link #compile(Design, Map)}, with the register merges of {@code layout} (a variant of the
     * same design), so that a {@link Machine} can switch between the two: merged registers share one
     * slot, and both variants must agree on which.
     */
    public static Program compile(Design d, Map<Node, Long> fixedInputs, Program layout) {
        if (layout.design != d) throw new IllegalArgumentException("layout of another design");
        return build(d, fixedInputs, layout.merged);
    }

    private static Program build(Design d, Map<Node, Long> fixed, int[] mergePlan) {
        for (Node n : fixed.keySet()) if (n.op() != Op.INPUT) throw new IllegalArgumentException(n.name() + " is not an input");
        List<Node> order = d.validate();
        Signals sg = Signals.layout(d, fixed);
        Code code = new Code();
        Kernels kernels = new Kernels(code, sg);
        BitBlaster bb = new BitBlaster(sg, new Gates(new Sharing(code, sg)), kernels);
        List<Encoder.Block> blocks = new ArrayList<>();
        for (Node n : order) {
            int start = code.len;
            sg.currentNode = n.id();
            int[] elements = new int[n.count() + 1];
            sg.sig[n.id()] = bb.node(n, elements, () -> code.len);
            blocks.add(new Encoder.Block(start, code.len, n.id(), n.args().stream().mapToInt(r -> r.node().id()).distinct().toArray(), elements));
        }
        Commits commits = nextState(d, sg, bb, code, blocks);
        var merges = mergePlan != null ? RegisterMerge.plan(mergePlan) : RegisterMerge.decide(d, commits);
        commits = RegisterMerge.apply(d, merges, commits, sg, code);
        return Encoder.encode(d, sg, code, blocks, commits, kernels.tables, RegisterMerge.pairs(merges));
    }

    /** Bit-blasts every state node's next value (one block each) and lists the clock edge's commits. */
    private static Commits nextState(Design d, Signals sg, BitBlaster bb, Code code, List<Encoder.Block> blocks) {
        List<Integer> cur = new ArrayList<>(), next = new ArrayList<>(), start = new ArrayList<>(), node = new ArrayList<>(), enable = new ArrayList<>();
        for (Node n : d.nodes()) {
            if (!n.isState()) continue;
            int from = code.len;
            sg.currentNode = n.id();
            int[] nx = n.op() == Op.REG ? bb.regNext(n) : bb.ramNext(n);
            int[] own = sg.sig[n.id()];
            // the edge updates every state element at once: a next value that is another state
            // element's current value (a register fed by a register) is copied before the edge, so
            // that the commit, which writes one element after another, never reads a value it wrote
            // (an element that holds its own value needs no copy)
            for (int i = 0; i < own.length; i++) {
                int x = nx[1 + i];
                if (x >= 0 && x != own[i] && sg.stateSlots.get(x)) nx[1 + i] = bb.copy(x);
            }
            int[] dp = n.op() == Op.REG ? (n.enable() == null ? new int[] {n.id(), n.next().node().id()}
                    : new int[] {n.id(), n.next().node().id(), n.enable().node().id()})
                    : new int[] {n.id(), n.arg(0).node().id(), n.arg(1).node().id(), n.arg(2).node().id()};
            blocks.add(new Encoder.Block(from, code.len, -1 - node.size(), dp, null));
            start.add(cur.size());
            node.add(n.id());
            enable.add(nx[0]);
            for (int i = 0; i < own.length; i++) {
                cur.add(own[i]);
                next.add(nx[1 + i]);
            }
        }
        start.add(cur.size());
        return new Commits(ints(cur), ints(next), ints(start), ints(node), ints(enable));
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
