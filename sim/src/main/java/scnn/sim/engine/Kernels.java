package scnn.sim.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import scnn.ir.Node;
import scnn.ir.Op;

/**
 * The kernel pass, consulted while bit-blasting: operations that would be large gate networks and
 * run faster as one instruction. A wide popcount becomes a {@link Instr#PCNT} (a carry-save network
 * in the machine's registers, without internal nets), a large constant array read at a variable
 * index becomes a {@link Instr#LUT} (per lane: gather the index, read the table, scatter the word).
 */
final class Kernels {
    /** Popcounts with at least this many variable inputs run as one kernel instruction. */
    static final int KERNEL_MIN_INPUTS = 12;
    /** A constant array read by a variable index becomes a lookup kernel when its mux trees would reach this many bits. */
    static final long LUT_MIN_BITS = 1L << 18;

    private final Code code;
    private final Signals signals;
    final List<long[]> tables = new ArrayList<>();
    private final Map<Node, Integer> tableOf = new HashMap<>();

    Kernels(Code code, Signals signals) {
        this.code = code;
        this.signals = signals;
    }

    /** A popcount kernel for {@code in} ({@code w} output bits), or null when it is too narrow for one. */
    int[] popcount(int[] in, int w) {
        int dyn = 0, ones = 0;
        for (int x : in) {
            if (x == Program.C1) ones++;
            else if (x != Program.C0) dyn++;
        }
        if (dyn < KERNEL_MIN_INPUTS) return null;
        int[] reads = new int[dyn];
        int j = 0;
        for (int x : in) if (x >= 0) reads[j++] = x;
        int[] out = new int[w];
        for (int i = 0; i < w; i++) out[i] = signals.newSlot();
        code.emit(Instr.PCNT, new int[] {ones}, out, reads);
        return out;
    }

    /** Whether element reads of {@code n} (an ARRAY_GET) at index bits {@code idx} should run as a lookup kernel. */
    static boolean lookupWorthIt(Node n, int[] idx) {
        Node arr = n.arg(0).node();
        if (arr.op() != Op.CONST || n.width() > 64 || idx.length > 30 || arr.count() < 64) return false;
        if ((long) arr.count() * n.width() * n.count() < LUT_MIN_BITS) return false;
        for (int x : idx) if (x >= 0) return true;
        return false;
    }

    /** A lookup kernel reading {@code w} bits of constant array {@code arr} at index bits {@code idx}. */
    int[] lookup(Node arr, int[] idx, int w) {
        Integer t = tableOf.get(arr);
        if (t == null) {
            long[] tab = new long[arr.count()];
            for (int e = 0; e < tab.length; e++) tab[e] = arr.data(e).field(0, w);
            t = tables.size();
            tables.add(tab);
            tableOf.put(arr, t);
        }
        int[] out = new int[w];
        for (int i = 0; i < w; i++) out[i] = signals.newSlot();
        code.emit(Instr.LUT, new int[] {t}, out, idx.clone());
        return out;
    }
}
