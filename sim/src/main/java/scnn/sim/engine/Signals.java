package scnn.sim.engine;

import static scnn.sim.engine.Program.C0;
import static scnn.sim.engine.Program.C1;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;

/**
 * The signal space of a compilation: slot allocation (each slot remembers the node whose
 * compilation created it) and the signals of every node's bits, element-major.
 */
final class Signals {
    final int[][] sig;
    /** Slots of the registers' and memories' current values. */
    final BitSet stateSlots = new BitSet();
    private int slots;
    private int[] owner = new int[1 << 16];
    /** The node being compiled: new slots belong to it. */
    int currentNode = -1;

    private Signals(int nodes) {
        this.sig = new int[nodes][];
    }

    /**
     * The layout pass: a slot per bit of every input, register and memory (in node order, so that
     * variants with other fixed inputs share it), the constants' bits as {@link Program#C0}/{@link
     * Program#C1}, and the fixed inputs' bits as constants.
     */
    static Signals layout(Design d, Map<Node, Long> fixed) {
        Signals s = new Signals(d.nodes().size());
        for (Node n : d.nodes()) {
            switch (n.op()) {
                case INPUT, REG, RAM -> {
                    s.currentNode = n.id();
                    int[] x = new int[n.count() * n.width()];
                    for (int i = 0; i < x.length; i++) x[i] = s.newSlot();
                    if (n.op() != Op.INPUT) for (int v : x) s.stateSlots.set(v);
                    Long v = fixed.get(n);
                    if (v != null) for (int i = 0; i < x.length; i++) x[i] = ((v >>> i) & 1) != 0 ? C1 : C0;
                    s.sig[n.id()] = x;
                }
                case CONST -> {
                    int w = n.width();
                    int[] x = new int[n.count() * w];
                    for (int g = 0; g < n.count(); g++) {
                        Bits b = n.data(g);
                        for (int i = 0; i < w; i++) x[g * w + i] = b.bit(i) ? C1 : C0;
                    }
                    s.sig[n.id()] = x;
                }
                default -> { }
            }
        }
        s.currentNode = -1;
        return s;
    }

    int newSlot() {
        if (slots == owner.length) owner = Arrays.copyOf(owner, owner.length * 2);
        owner[slots] = currentNode;
        return slots++;
    }

    int slots() {
        return slots;
    }

    int[] owners() {
        return Arrays.copyOf(owner, slots);
    }

    /** Bits of operand {@code r} as seen by element {@code g}. */
    int[] operand(Ref r, int g) {
        int w = r.width();
        int e = r.element(g);
        return Arrays.copyOfRange(sig[r.node().id()], e * w, e * w + w);
    }
}
