package scnn.generator.arch;

import java.util.LinkedHashMap;
import java.util.Map;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Instance;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * The replay source as a cell of its own, {@code <top>_replay<l>} (one per layer: it holds that
 * layer's recorded traces): the shape of the s-MTJ cell for the devices it replaces, pins
 * {@code clk}, {@code rst}, {@code en} (the devices sample this cycle), {@code bits} (one sampled
 * state per replayed level) and the behavioural {@code reseed} and {@code key}. A D-word memory
 * (one bit per replayed trace) is read at a pointer loaded from the inference key at start and
 * advanced every sampling cycle; the replayed bits are latched in a state register so that their
 * flips count like a device's.
 */
final class ReplayCell {
    static final String KIND = "replay";

    private ReplayCell() {}

    /** Places the replay cell of layer {@code l1} in {@code d} (the layer's module) as instance {@code rp}; returns the instance. */
    static Instance place(Design d, String top, int l1, Replay rp, int[] traces, long seed, Node en, Node reseed, Node key) {
        Tag S = Tag.SMTJ;
        Design m = new Design(top + "_replay" + l1).cell(KIND);
        Node enI = m.input("en", 1);
        Node reseedI = m.input("reseed", 1);
        Node keyI = m.input("key", 32);
        int dlen = rp.length(), nt = traces.length, pw = Math.max(1, Integer.numberOfTrailingZeros(dlen));
        Bits[] words = new Bits[dlen];
        for (int t = 0; t < dlen; t++) {
            int tt = t;
            words[t] = Bits.fromBits(nt, j -> rp.traces()[traces[j]][tt]);
        }
        Node rom = m.constArray("trace", Tag.MEMORY, nt, words);
        Node ptr = m.reg("ptr", S, pw, 0);
        long cl = ScBuilder.splitmix(seed * 31 + l1) & ((1L << pw) - 1);
        Node kx = m.op("key_x", S, Op.XOR, 32, 1, new int[0], Ref.scalar(keyI), Ref.scalar(m.constant("c", S, 32, cl)));
        Node start = m.op("ptr0", S, Op.SLICE, pw, 1, new int[] {0}, Ref.scalar(kx));
        Node inc = m.op("ptr_inc", S, Op.ADD, pw, 1, new int[0], Ref.scalar(ptr), Ref.scalar(m.constant("one", S, pw, 1)));
        Node active = m.op("ptr_en", S, Op.OR, 1, 1, new int[0], Ref.scalar(reseedI), Ref.scalar(enI));
        m.connect(ptr, Ref.scalar(m.op("ptr_next", S, Op.MUX, pw, 1, new int[0], Ref.scalar(reseedI), Ref.scalar(inc), Ref.scalar(start))), Ref.scalar(active));
        Node word = m.op("word", S, Op.ARRAY_GET, nt, 1, new int[0], Ref.array(rom), Ref.scalar(ptr));
        Bits[] idx = new Bits[nt];
        int iw = ScBuilder.bitsFor(Math.max(1, nt - 1));
        for (int j = 0; j < nt; j++) idx[j] = Bits.of(iw, j);
        Node bit = m.op("sample", S, Op.INDEX, 1, nt, new int[0], Ref.scalar(word), Ref.of(m.constArray("idx", S, iw, idx)));
        Node state = m.reg("state", S, 1, nt, Bits.of(1, 0));
        m.connect(state, Ref.of(m.op("state_next", S, Op.MUX, 1, nt, new int[0], Ref.scalar(reseedI), Ref.of(bit), Ref.scalar(m.constant("state_zero", S, 1, 0)))),
                Ref.scalar(m.op("state_en", S, Op.OR, 1, 1, new int[0], Ref.scalar(reseedI), Ref.scalar(enI))));
        m.output("bits", bit);
        m.probe("smtj_samples", enI, nt);
        Map<String, Ref> c = new LinkedHashMap<>();
        c.put("en", Ref.scalar(en));
        c.put("reseed", Ref.scalar(reseed));
        c.put("key", Ref.scalar(key));
        return d.instance("rp", m, 1, c);
    }
}
