package scnn.generator.arch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import scnn.core.io.ScnnException;

/**
 * Recorded s-MTJ bitstreams to replay instead of the behavioural model (the paper used measured
 * bitstreams). A text file: {@code #} starts a comment; every other line is {@code <p> <bits>}, the
 * probability the device was biased to and its recorded samples as 0/1 characters. Every weight
 * stream of level probability p replays the trace recorded at p (its threshold round(p 2^16) must
 * match); streams without a trace, and the pixel and hidden-neuron streams (whose probability
 * changes per image), keep the behavioural model. Traces are cut to the largest power of two
 * D <= the shortest trace; in hardware they are a D-word memory, one bit per replayed level,
 * read at a pointer that starts at {@code (K ^ C_layer) mod D} (K the per-inference key) and
 * advances every cycle of the layer, so the rule "streams depend only on SEED and k" holds.
 *
 * @param name   file name (for the manifest)
 * @param thresholds the traces' thresholds round(p 2^16)
 * @param traces the recorded bits, each of length {@link #length()}
 */
public record Replay(String name, int[] thresholds, boolean[][] traces) implements java.io.Serializable {
    public int length() {
        return traces.length == 0 ? 0 : traces[0].length;
    }

    /** The trace recorded at threshold {@code t}, or -1. */
    public int traceFor(int t) {
        for (int i = 0; i < thresholds.length; i++) if (thresholds[i] == t) return i;
        return -1;
    }

    public static Replay read(Path file) {
        List<String> lines = scnn.core.io.InputFiles.readText(file, scnn.core.io.InputFiles.MAX_BYTES).lines().toList();
        List<Integer> ts = new ArrayList<>();
        List<String> bits = new ArrayList<>();
        int min = Integer.MAX_VALUE;
        for (int ln = 0; ln < lines.size(); ln++) {
            String l = lines.get(ln).strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] f = l.split("\\s+");
            if (f.length != 2) throw new ScnnException(file + ": line " + (ln + 1) + ": expected '<probability> <bits>'");
            double p;
            try {
                p = Double.parseDouble(f[0]);
            } catch (NumberFormatException e) {
                throw new ScnnException(file + ": line " + (ln + 1) + ": '" + f[0] + "' is not a probability");
            }
            if (!(p > 0 && p < 1)) throw new ScnnException(file + ": line " + (ln + 1) + ": probability " + p + " is not strictly between 0 and 1");
            if (!f[1].matches("[01]+")) throw new ScnnException(file + ": line " + (ln + 1) + ": samples must be 0/1 characters");
            if (f[1].length() < 64) throw new ScnnException(file + ": line " + (ln + 1) + ": a trace needs at least 64 samples, got " + f[1].length());
            int t = SmtjModel.threshold(p);
            if (ts.contains(t)) throw new ScnnException(file + ": line " + (ln + 1) + ": a second trace for probability " + p);
            ts.add(t);
            bits.add(f[1]);
            min = Math.min(min, f[1].length());
        }
        if (ts.isEmpty()) throw new ScnnException(file + ": no traces");
        int d = Integer.highestOneBit(min);
        boolean[][] tr = new boolean[ts.size()][d];
        for (int i = 0; i < tr.length; i++)
            for (int t = 0; t < d; t++) tr[i][t] = bits.get(i).charAt(t) == '1';
        return new Replay(file.getFileName().toString(), ts.stream().mapToInt(Integer::intValue).toArray(), tr);
    }
}
