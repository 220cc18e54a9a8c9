package scnn.sim.engine;

import scnn.ir.Design;
import scnn.ir.Node;

/**
 * A compiled design: instructions in blocks (one block per combinational IR node, then one per
 * state node for its next value; encoding in {@link Instr}), the clock edge ({@link Commits}), and
 * the signal of every IR bit. Immutable; shared by all {@link Machine}s.
 */
public final class Program {
    /** Signal values of the constants. */
    public static final int C0 = -1, C1 = -2;

    /**
     * The blocks of the encoded code.
     *
     * @param start    per block, its first int in the code
     * @param end      per block, the int after it
     * @param marks    per block, the node it marks as changed after running, or {@code -1 - r} for the
     *                 next-state block of commit node r
     * @param exact    per block, its node's signals are all written by the block itself, so the node
     *                 changed only if one of the block's writes changed a value (else it is marked
     *                 changed whenever it runs)
     * @param depStart per block, the first of its operand nodes in {@code deps} (one more entry: the end)
     * @param deps     operand node ids (the nodes whose change makes the block run)
     */
    record Blocks(int[] start, int[] end, int[] marks, boolean[] exact, int[] depStart, int[] deps) {}

    final Design design;
    final int slots;
    final int[] code;
    final Blocks blocks;
    final Commits commits;
    /** Per slot: the node whose compilation created it (its gates are that node's hardware). */
    final int[] slotOwner;
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
    /**
     * Per count class, the slot that holds its toggles: the copies of a {@link Instr#REP} write with
     * the same owner and the same appearances (in the signals of every node, in the inputs of every
     * kernel) count into one class (the record names it), since every event sum reads them alike.
     */
    final int[] classSlot;
    /** The {@link Instr#REP} records that run as generated code while every lane counts ({@link Fuser}). */
    final Fuser.Table fused;

    Program(Design design, int slots, int[] slotOwner, int[][] signals, int[] code, Blocks blocks, Commits commits,
            int[][] kernelInputs, int[] kernelNode, long[][] tables, int[] merged, int[] classSlot) {
        this.classSlot = classSlot;
        this.fused = Fuser.fuse(code, slots);
        this.design = design;
        this.slots = slots;
        this.slotOwner = slotOwner;
        this.signals = signals;
        this.code = code;
        this.blocks = blocks;
        this.commits = commits;
        this.kernelInputs = kernelInputs;
        this.kernelNode = kernelNode;
        this.tables = tables;
        this.merged = merged;
        this.hasMerged = new boolean[design.nodes().size()];
        for (Node n : design.nodes()) {
            int[] sg = signals[n.id()];
            if (sg == null || !n.isState()) continue;
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int x : sg) if (x >= 0 && !seen.add(x)) hasMerged[n.id()] = true;
        }
    }

    private PopcountGroups groups;

    /** The narrow popcount kernels grouped by eight, padded with slot {@code pad} (computed once per pad; machines of one design share it). */
    synchronized PopcountGroups popcountGroups(int pad) {
        if (groups == null || groups.pad != pad) groups = PopcountGroups.plan(this, pad);
        return groups;
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
        return blocks.start().length;
    }

    public int blockMarks(int b) {
        return blocks.marks()[b];
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

    /** Instructions in the program (a kernel counts as one). */
    public int instructionCount() {
        int n = 0;
        for (int pc = 0; pc < code.length; pc = Instr.encodedNext(code, pc)) n += Instr.encodedInstructions(code, pc);
        return n;
    }
}
