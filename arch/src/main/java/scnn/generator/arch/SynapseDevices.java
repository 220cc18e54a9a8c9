package scnn.generator.arch;

import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/**
 * One s-MTJ per synapse, as the analog baseline has them and the quantized design with
 * {@code --weight-sources synapse}: synapse (o, i) is biased to P(1) = t_oi / 2^D and fires in a
 * cycle when its uniform D-bit word s_oi reaches {@code T_oi = 2^D - t_oi}. The words come from
 * per-input xorshift32 generators ({@link SynapseRng}: rotated per neuron, or XORed with per-neuron
 * words); they are reseeded at start like the s-MTJ cells' generators and advance every active
 * cycle. The comparison runs over bit planes for all synapses at once: with c_0 = 1,
 * {@code c_(k+1) = maj(s_k, ~T_k, c_k)} is {@code s >= T} on bits 0..k, written as
 * {@code (s_k & ~T_k) | (c_k & (s_k | ~T_k))}, which folds to one gate per bit once T is constant.
 * A synapse with t = 0 has no device (its stream is the constant 0), one with t = 2^D neither (1).
 * The devices' states are a register (its toggles are the flips); their samples are counted by a
 * probe weighted by the number of devices.
 */
final class SynapseDevices {
    private SynapseDevices() {}

    /** The nodes a layer module gives: its control signals and device seeds, and how it names nodes. */
    interface Host {
        Design design();

        Node startOk();

        Node key();

        Node active();

        /** Seed constants of the next {@code count} devices (the running device index). */
        Bits[] deviceSeeds(int count);
    }

    /** Synapses whose stream is random (0 < t < 2^D): the devices. */
    static long devices(long[][] t, int D) {
        long full = 1L << D, n = 0;
        for (long[] row : t) for (long x : row) if (x > 0 && x < full) n++;
        return n;
    }

    /**
     * The weight streams of {@code t.length} neurons of {@code t[0].length} synapses: a node of width
     * {@code inputs}, count {@code outputs}, bit i of element o the stream of synapse (o, i) this
     * cycle, registered in {@code state} (the name of the state register is {@code syn + "_state"}).
     * {@code words} and {@code rows} name the generators of the inputs and (xor) of the neurons.
     */
    static Node streams(Host h, String syn, String words, String rows, long[][] t, int D, SynapseRng scheme) {
        Design d = h.design();
        int out = t.length, in = t[0].length;
        long full = 1L << D;
        Tag S = Tag.SMTJ;
        Node w0 = prngWords(h, words, in, D, false);
        Node rowWords = scheme == SynapseRng.XOR ? prngWords(h, rows, out, D, true) : null;
        Node codes = null;
        if (scheme == SynapseRng.ROTATE) {
            int cw = ScBuilder.bitsFor(Math.max(1, in - 1));
            Bits[] cd = new Bits[out];
            for (int o = 0; o < out; o++) {
                int[] c = new int[in];
                for (int i = 0; i < in; i++) c[i] = (i + o) % in;
                cd[o] = Bits.packed(cw, c);
            }
            codes = d.constArray(syn + "_word_of", S, in * cw, cd);
        }
        Node c = d.constant(syn + "_c0", S, in, -1L);
        for (int b = 0; b < D; b++) {
            int bb = b;
            Node plane = op(d, syn + "_a" + b, S, Op.PACK, in, 1, Ref.array(opP(d, syn + "_abit" + b, S, Op.SLICE, 1, in, b, Ref.of(w0))));
            Node sk;
            if (codes != null) {
                sk = opP(d, syn + "_s" + b, S, Op.BITSEL, in, out, ScBuilder.bitsFor(Math.max(1, in - 1)), Ref.of(plane), Ref.of(codes));
            } else {
                Node bRep = op(d, syn + "_b" + b, S, Op.SEXT, in, out, Ref.of(opP(d, syn + "_bbit" + b, S, Op.SLICE, 1, out, b, Ref.of(rowWords))));
                sk = op(d, syn + "_s" + b, S, Op.XOR, in, out, Ref.of(plane), Ref.of(bRep));
            }
            Bits[] nt = new Bits[out];
            for (int o = 0; o < out; o++) {
                long[] to = t[o];
                nt[o] = Bits.fromBits(in, i -> ((((full - to[i]) & (full - 1)) >>> bb) & 1) == 0);
            }
            Node ntk = d.constArray(syn + "_nt" + b, S, in, nt);
            Node t1 = op(d, syn + "_g" + b, S, Op.AND, in, out, Ref.of(sk), Ref.of(ntk));
            Node t2 = op(d, syn + "_p" + b, S, Op.OR, in, out, Ref.of(sk), Ref.of(ntk));
            Node t3 = op(d, syn + "_k" + b, S, Op.AND, in, out, Ref.of(c), Ref.of(t2));
            c = op(d, syn + "_c" + (b + 1), S, Op.OR, in, out, Ref.of(t1), Ref.of(t3));
        }
        // a zero weight has no device: its stream is the constant 0 (folds away)
        Bits[] nz = new Bits[out];
        for (int o = 0; o < out; o++) {
            long[] to = t[o];
            nz[o] = Bits.fromBits(in, i -> to[i] > 0);
        }
        Node w = op(d, syn + "_w", S, Op.AND, in, out, Ref.of(c), Ref.of(d.constArray(syn + "_nz", S, in, nz)));
        // the devices' states (their toggles are the flips), cleared at start like every s-MTJ state
        Node st = d.reg(syn + "_state", S, in, out, Bits.zero(in));
        Node startOk = h.startOk();
        d.connect(st, Ref.of(op(d, syn + "_state_next", S, Op.MUX, in, out, Ref.of(startOk), Ref.of(w), Ref.of(d.constant(syn + "_state_zero", S, in, 0)))),
                Ref.of(op(d, syn + "_state_en", S, Op.OR, 1, 1, Ref.of(startOk), Ref.of(h.active()))));
        // the per-synapse devices do not fit the one-device cell (their comparison runs over bit planes of
        // all synapses at once): their samples are counted from the layer's activity
        long devices = devices(t, D);
        if (devices > 0) d.probe("smtj_samples", h.active(), devices);
        return w;
    }

    /**
     * {@code count} xorshift32 generators (reseeded at start like the s-MTJ generators, advanced every
     * active cycle); the word of a cycle is the top {@code width} bits of the generator's next state.
     * The reseed value is {@code (C_i ^ K) | 1}, or {@code (C_i + K) | 1} with {@code addKey}, K the
     * inference key.
     */
    private static Node prngWords(Host h, String name, int count, int width, boolean addKey) {
        Design d = h.design();
        Tag S = Tag.SMTJ;
        // xorshift32 is linear over GF(2): the XOR of two generators' states is a generator started from
        // the XOR of their seeds, in which a common key K mixed in by XOR cancels (C_i ^ K ^ C_j ^ K). The
        // row generators of the xor scheme, whose words are XORed with the column words and with each
        // other's, add the key instead (C_j + K, mod 2^32): the carries make every XOR of two seeds
        // depend on K, so the relation between two synapses' words changes from one inference to the next
        Bits[] seeds = h.deviceSeeds(count);
        Bits[] inits = new Bits[count];
        for (int i = 0; i < count; i++) inits[i] = Bits.of(32, seeds[i].low() | 1);
        Node seedC = d.constArray(name + "_seed", S, 32, seeds);
        Node rng = d.reg(name + "_rng", S, 32, count, inits);
        Node mixed = op(d, name + "_seed_k", S, addKey ? Op.ADD : Op.XOR, 32, count, Ref.of(seedC), Ref.of(h.key()));
        Node seedV = op(d, name + "_reseed", S, Op.OR, 32, count, Ref.of(mixed), Ref.of(d.constant(name + "_one", S, 32, 1)));
        Node x1 = op(d, name + "_xs1", S, Op.XOR, 32, count, Ref.of(rng), Ref.of(opP(d, name + "_sl13", S, Op.SHL, 32, count, 13, Ref.of(rng))));
        Node x2 = op(d, name + "_xs2", S, Op.XOR, 32, count, Ref.of(x1), Ref.of(opP(d, name + "_sr17", S, Op.SHR, 32, count, 17, Ref.of(x1))));
        Node x3 = op(d, name + "_xs3", S, Op.XOR, 32, count, Ref.of(x2), Ref.of(opP(d, name + "_sl5", S, Op.SHL, 32, count, 5, Ref.of(x2))));
        Node startOk = h.startOk();
        d.connect(rng, Ref.of(op(d, name + "_rng_next", S, Op.MUX, 32, count, Ref.of(startOk), Ref.of(x3), Ref.of(seedV))),
                Ref.of(op(d, name + "_rng_en", S, Op.OR, 1, 1, Ref.of(startOk), Ref.of(h.active()))));
        return opP(d, name + "_word", S, Op.SLICE, width, count, 32 - width, Ref.of(x3));
    }

    private static Node op(Design d, String n, Tag t, Op op, int w, int count, Ref... a) {
        return d.op(n, t, op, w, count, new int[0], a);
    }

    private static Node opP(Design d, String n, Tag t, Op op, int w, int count, int param, Ref... a) {
        return d.op(n, t, op, w, count, new int[] {param}, a);
    }
}
