package scnn.sim.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;

/**
 * The register-merging pass. Bits of one register array (any elements) with the same next-value
 * signal and the same reset value hold the same value in every cycle (the array's enable is one
 * signal, or part of the next value), so they share one slot (the first such bit's) and one commit.
 * Their toggles still count once per bit: event accounting sums over every bit's signal. Scalar
 * registers are never merged (a counter stays pokeable lane by lane).
 */
final class RegisterMerge {
    private RegisterMerge() {}

    /** The merges of {@code commits} as a map merged slot -> shared slot. */
    static Map<Integer, Integer> decide(Design d, Commits commits) {
        Map<Integer, Integer> into = new HashMap<>();
        for (int r = 0; r < commits.nodes(); r++) {
            Node n = d.nodes().get(commits.node()[r]);
            // arrays only: a scalar register (a counter, say) stays pokeable lane by lane
            if (n.op() != Op.REG || n.count() < 2) continue;
            int w = n.width(), a = commits.nodeStart()[r];
            Map<Long, Integer> first = new HashMap<>();
            for (int e = 0; e < n.count(); e++) {
                Bits init = n.data(e);
                for (int i = 0; i < w; i++) {
                    int k = a + e * w + i;
                    Integer same = first.putIfAbsent(((long) commits.next()[k] << 1) | (init.bit(i) ? 1 : 0), commits.cur()[k]);
                    if (same != null) into.put(commits.cur()[k], same);
                }
            }
        }
        return into;
    }

    /** A plan (merged, shared) slot pairs, as {@link #pairs} returns, as a map. */
    static Map<Integer, Integer> plan(int[] pairs) {
        Map<Integer, Integer> into = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) into.put(pairs[i], pairs[i + 1]);
        return into;
    }

    /** The merges as (merged slot, shared slot) pairs, ascending. */
    static int[] pairs(Map<Integer, Integer> into) {
        int[] out = new int[2 * into.size()];
        int j = 0;
        for (var e : new TreeMap<>(into).entrySet()) {
            out[j++] = e.getKey();
            out[j++] = e.getValue();
        }
        return out;
    }

    /**
     * Applies merges: drops the merged bits' commit pairs (a plan from another variant must hold here
     * too: same next value as the shared bit), and points their signals and every instruction and
     * commit that reads them at the shared slot. Returns the new commits.
     */
    static Commits apply(Design d, Map<Integer, Integer> into, Commits c, Signals sg, Code code) {
        if (into.isEmpty()) return c;
        Map<Integer, Integer> nextOf = new HashMap<>();
        for (int i = 0; i < c.cur().length; i++) nextOf.put(c.cur()[i], c.next()[i]);
        int[] cur = new int[c.cur().length], next = new int[c.cur().length], start = new int[c.nodes() + 1];
        int len = 0;
        for (int r = 0; r < c.nodes(); r++) {
            start[r] = len;
            for (int i = c.nodeStart()[r]; i < c.nodeStart()[r + 1]; i++) {
                Integer to = into.get(c.cur()[i]);
                if (to == null) {
                    cur[len] = c.cur()[i];
                    next[len++] = c.next()[i];
                } else if (!nextOf.get(to).equals(c.next()[i])) {
                    throw new IllegalStateException("register merge does not hold in this variant: " + d.nodes().get(c.node()[r]).name());
                }
            }
        }
        start[c.nodes()] = len;
        int[] map = new int[sg.slots()];
        for (int i = 0; i < map.length; i++) map[i] = i;
        into.forEach((from, to) -> map[from] = to);
        for (int[] s : sg.sig) if (s != null) for (int i = 0; i < s.length; i++) if (s[i] >= 0) s[i] = map[s[i]];
        cur = java.util.Arrays.copyOf(cur, len);
        next = java.util.Arrays.copyOf(next, len);
        for (int i = 0; i < len; i++) if (next[i] >= 0) next[i] = map[next[i]];
        int[] a = code.a;
        for (int pc = 0; pc < code.len; pc = Instr.next(a, pc))
            for (int i = Instr.readsAt(a, pc), end = i + Instr.nReads(a, pc); i < end; i++) if (a[i] >= 0) a[i] = map[a[i]];
        return new Commits(cur, next, start, c.node(), c.enable());
    }
}
