package scnn.sim.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The narrow popcount kernels ({@link Instr#PCNT} of at most 12 count bits) of a program, grouped
 * by eight for the vector kernel ({@link VectorPopcount}): eight neurons' carry-save networks in
 * the eight {@code long}s of one 512-bit word, each input step one gather of the eight neurons'
 * next input slots. A <em>run</em> is a sequence of consecutive kernel records inside one block
 * (a popcount node's elements); the machine runs a whole run at its first record and goes on after
 * its last. Within a run the kernels are sorted by count width and input count and cut into groups
 * of eight of one width; a group's shorter kernels are padded with a slot that is always zero (the
 * machine's {@code pad} slot, beyond every variant's slots), which adds nothing to a count. A
 * group of fewer than {@link #MIN_LANES} kernels runs them one by one ({@link Group#vector} false).
 *
 * <p>Exact: each lane of a group computes its kernel's count modulo 2^width, as the one-kernel
 * loop does, and the machine writes the outputs with the same adder and toggle counts.
 */
final class PopcountGroups {
    /** Kernels per group: the {@code long}s of a 512-bit word. */
    static final int LANES = 8;
    /** A group of fewer kernels runs them one by one. */
    static final int MIN_LANES = 4;

    /** Whether the incubating module is present and {@code -Dscnn.sim.vector=false} was not given. */
    static final boolean MODULE = Boolean.parseBoolean(System.getProperty("scnn.sim.vector", "true"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /** Whether the vector kernel runs: {@link #MODULE}, and the CPU has 512-bit vectors. */
    static final boolean AVAILABLE = MODULE && supported();
    /** Whether machines made from now on use the vector kernel where it is available (tests compare both). */
    static volatile boolean enabled = true;
    /**
     * Tests: machines made from now on use the vector kernel wherever the module is present, also on
     * a CPU with narrower vectors (which the JVM emulates: slower, the same results).
     */
    static volatile boolean forced;

    /** Whether a machine made now runs the vector kernel. */
    static boolean use() {
        return enabled && (AVAILABLE || MODULE && forced);
    }

    /**
     * A group: the kernel records at {@code pcs} (at most eight, lane i = {@code pcs[i]}), all of
     * {@code width} count bits; input t of lane i is slot {@code idx[t * 8 + i]} (the pad slot past
     * a kernel's last input).
     */
    record Group(int width, int steps, int[] idx, int[] pcs, boolean vector) {}

    /** A run of kernel records from {@code start} to {@code end} (the encoded entry after its last). */
    record Run(int start, int end, Group[] groups) {}

    static final PopcountGroups NONE = new PopcountGroups(0, new Run[0]);

    final int pad;
    private final int[] starts;
    private final Run[] runs;

    private PopcountGroups(int pad, Run[] runs) {
        this.pad = pad;
        this.runs = runs;
        this.starts = Arrays.stream(runs).mapToInt(Run::start).toArray();
    }

    /** The run that starts at {@code pc}, or null. */
    Run at(int pc) {
        int i = Arrays.binarySearch(starts, pc);
        return i >= 0 ? runs[i] : null;
    }

    int runs() {
        return runs.length;
    }

    /** Groups the narrow kernels of {@code p}, padding with slot {@code pad} (which must hold 0 forever). */
    static PopcountGroups plan(Program p, int pad) {
        final int[] c = p.code;
        List<Run> out = new ArrayList<>();
        int[] bs = p.blocks.start(), be = p.blocks.end();
        for (int b = 0; b < bs.length; b++) {
            int pc = bs[b];
            while (pc < be[b]) {
                if (!narrow(c, pc)) {
                    pc = Instr.encodedNext(c, pc);
                    continue;
                }
                int start = pc;
                List<Integer> ks = new ArrayList<>();
                while (pc < be[b] && narrow(c, pc)) {
                    ks.add(pc);
                    pc = Instr.encodedNext(c, pc);
                }
                if (ks.size() >= MIN_LANES) out.add(new Run(start, pc, groups(c, ks, pad)));
            }
        }
        return new PopcountGroups(pad, out.toArray(new Run[0]));
    }

    private static boolean narrow(int[] c, int pc) {
        return Instr.op(c, pc) == Instr.PCNT && Instr.nWrites(c, pc) <= 4 + 8;
    }

    private static Group[] groups(int[] c, List<Integer> ks, int pad) {
        Integer[] sorted = ks.toArray(new Integer[0]);
        Arrays.sort(sorted, (x, y) -> Instr.nWrites(c, x) != Instr.nWrites(c, y)
                ? Integer.compare(Instr.nWrites(c, x), Instr.nWrites(c, y))
                : Integer.compare(Instr.nReads(c, x), Instr.nReads(c, y)));
        List<Group> gs = new ArrayList<>();
        for (int i = 0; i < sorted.length; ) {
            int w = Instr.nWrites(c, sorted[i]);
            int j = i;
            while (j < sorted.length && j - i < LANES && Instr.nWrites(c, sorted[j]) == w) j++;
            int[] pcs = new int[j - i];
            int steps = 0;
            for (int k = 0; k < pcs.length; k++) {
                pcs[k] = sorted[i + k];
                steps = Math.max(steps, Instr.nReads(c, pcs[k]));
            }
            int[] idx = new int[steps * LANES];
            Arrays.fill(idx, pad);
            for (int k = 0; k < pcs.length; k++) {
                int ins = Instr.writesAt(c, pcs[k]) + Instr.nWrites(c, pcs[k]), n = Instr.nReads(c, pcs[k]);
                for (int t = 0; t < n; t++) idx[t * LANES + k] = c[ins + t];
            }
            gs.add(new Group(w, steps, idx, pcs, pcs.length >= MIN_LANES));
            i = j;
        }
        return gs.toArray(new Group[0]);
    }

    private static boolean supported() {
        try {
            return VectorPopcount.supported();
        } catch (Throwable t) { // the module's classes could not be linked
            return false;
        }
    }
}
