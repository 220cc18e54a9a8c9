package scnn.sim.engine;

import scnn.ir.Design;
import scnn.ir.Node;

/**
 * A compiled design: instructions in blocks (one block per combinational IR node, then one per
 * state node for its next value), register commit pairs, and the signal of every IR bit.
 * Immutable; shared by all {@link Machine}s.
 */
public final class Program {
    /** Instruction layout: {@code [op, d, e, a, b, c]}. */
    public static final int W = 6;
    public static final int COPY = 0, NOT = 1, AND = 2, OR = 3, XOR = 4, ANDN = 5, MUX = 6, MAJ = 7, FA = 8, HA = 9, XNOR = 10;
    /** Majority with the second input inverted: {@code maj(a, ~b, c)}, a comparator's carry step. */
    public static final int MAJN = 13;
    /** Popcount kernel: {@code [PCNT, nIn, K, nOut, outs..., ins...]} (count of ins plus constant K). */
    public static final int PCNT = 11;
    /** ROM lookup kernel: {@code [LUT, table, nIdx, nOut, outs..., idx signals...]}; per lane, outs = table[idx] (0 out of range). */
    public static final int LUT = 12;
    /** Signal values of the constants. */
    public static final int C0 = -1, C1 = -2;

    final Design design;
    final int slots;
    final int[] code;
    /** Per block: first and end instruction index (in ints). */
    final int[] blockStart, blockEnd;
    /** Per slot: the node whose compilation created it (its gates are that node's hardware). */
    final int[] slotOwner;
    /** Per block: operand node ids (dirty sources) as a CSR list. */
    final int[] depStart, deps;
    /** Per block: the node it marks as changed after running (-1 for next-state blocks). */
    final int[] blockMarks;
    /**
     * Per block: its node's signals are all written by the block itself, so the node changed only if
     * one of the block's writes changed a value (else it is marked changed whenever it runs).
     */
    final boolean[] blockExact;
    /** Registers: per state node, the range of (cur, d) slot pairs in commitCur/commitD. */
    final int[] commitCur, commitD, commitNodeStart, commitNode;
    /** Per state node (commit order): signal of its scalar enable, C1 when always enabled. */
    final int[] commitEnable;
    /** Per popcount kernel: its input slots and the node that owns it. */
    final int[][] kernelInputs;
    final int[] kernelNode;
    /** Signals of every node's bits: element-major, bit g*width + b. */
    final int[][] signals;
    /** Tables of the ROM lookup kernels. */
    final long[][] tables;
    /** Merged register elements: (merged slot, shared slot) pairs, ascending. */
    final int[] merged;
    /** Per node: some of its elements share a slot with another element. */
    final boolean[] hasMerged;

    Program(Design design, int slots, int[] code, int[] blockStart, int[] blockEnd, int[] slotOwner, int[] depStart, int[] deps,
            int[] blockMarks, boolean[] blockExact, int[] commitEnable, int[][] kernelInputs, int[] kernelNode, int[] commitCur, int[] commitD, int[] commitNodeStart, int[] commitNode, int[][] signals, long[][] tables, int[] merged) {
        this.tables = tables;
        this.merged = merged;
        this.hasMerged = new boolean[design.nodes().size()];
        for (Node n : design.nodes()) {
            int[] sg = signals[n.id()];
            if (sg == null || !n.isState()) continue;
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int x : sg) if (x >= 0 && !seen.add(x)) hasMerged[n.id()] = true;
        }
        this.design = design;
        this.slots = slots;
        this.code = code;
        this.blockStart = blockStart;
        this.blockEnd = blockEnd;
        this.slotOwner = slotOwner;
        this.depStart = depStart;
        this.deps = deps;
        this.blockMarks = blockMarks;
        this.blockExact = blockExact;
        this.commitEnable = commitEnable;
        this.kernelInputs = kernelInputs;
        this.kernelNode = kernelNode;
        this.commitCur = commitCur;
        this.commitD = commitD;
        this.commitNodeStart = commitNodeStart;
        this.commitNode = commitNode;
        this.signals = signals;
    }

    public Design design() {
        return design;
    }

    /** Signals of the bits of a node (element-major). */
    public int[] signals(Node n) {
        return signals[n.id()];
    }

    public int slotCount() {
        return slots;
    }

    /** The node that owns a slot (created it), or -1. */
    public int slotOwner(int slot) {
        return slotOwner[slot];
    }

    /** Number of blocks; block b belongs to a node when {@link #blockMarks(int)} >= 0. */
    public int blocks() {
        return blockStart.length;
    }

    public int blockMarks(int b) {
        return blockMarks[b];
    }

    /** Number of popcount kernels. */
    public int kernels() {
        return kernelInputs.length;
    }

    /** Input slots of popcount kernel {@code k}. */
    public int[] kernelInputs(int k) {
        return kernelInputs[k];
    }

    /** The node that owns popcount kernel {@code k}. */
    public int kernelNode(int k) {
        return kernelNode[k];
    }

    /** Register elements merged with an equivalent element of their array (they share its slot). */
    public int mergedRegisterBits() {
        return merged.length / 2;
    }

    public int instructionCount() {
        return code.length / W;
    }
}
