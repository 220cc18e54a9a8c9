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
 * The s-MTJ random source as one cell, {@code <top>_smtj}: one device, instantiated as an instance
 * array of as many copies as a source group has devices. Its pins:
 * <ul>
 *   <li>{@code clk}, {@code rst}: clock and synchronous reset;</li>
 *   <li>{@code en} (1 bit): the device samples this cycle (its sample-enable: a probe counts every
 *       1 as one s-MTJ sample);</li>
 *   <li>{@code p} (17 bits): the device's bias setting, P(1) = p / 65536;</li>
 *   <li>{@code bits} (1 bit): the sampled state, valid in the cycle {@code en} is 1;</li>
 *   <li>behavioural extras that a device macro ignores: {@code reseed} (1 bit: the start of an
 *       inference; reloads the generator and clears the state), {@code key} (32 bits: the
 *       inference key K), {@code seed} (32 bits: the device constant C_i), {@code fresh} (1 bit:
 *       the first sample of a layer is a fresh draw), and with device physics ({@code --device})
 *       {@code redraw_t} (17 bits: the redraw threshold of the device's bias, from a table).</li>
 * </ul>
 * The behavioural model is the telegraph process of {@link SmtjModel}: an xorshift32 generator
 * reseeded with {@code (C_i ^ K) | 1}, a redraw comparator on its high half (against a constant
 * threshold, or with device physics against a table indexed by {@code p[16:8]}) and a draw
 * comparator on its low half against {@code p}, and the state register.
 */
final class SmtjCell implements SourceCell {
    static final String KIND = "smtj";

    private final Design module;
    private final int[] table;

    SmtjCell(String top, SmtjModel device) {
        Tag S = Tag.SMTJ;
        Design d = new Design(top + "_smtj").cell(KIND);
        Node en = d.input("en", 1);
        Node p = d.input("p", 17);
        Node reseed = d.input("reseed", 1);
        Node key = d.input("key", 32);
        Node seed = d.input("seed", 32);
        Node fresh = d.input("fresh", 1);
        // the reset value is never read: every start reloads the generator before its first sample
        Node rng = d.reg("rng", S, 32, 0);
        Node mixed = d.op("seed_k", S, Op.XOR, 32, 1, new int[0], Ref.scalar(seed), Ref.scalar(key));
        Node seedV = d.op("reseed_v", S, Op.OR, 32, 1, new int[0], Ref.scalar(mixed), Ref.scalar(d.constant("one", S, 32, 1)));
        Node x1 = d.op("xs1", S, Op.XOR, 32, 1, new int[0], Ref.scalar(rng), Ref.scalar(d.op("sl13", S, Op.SHL, 32, 1, new int[] {13}, Ref.scalar(rng))));
        Node x2 = d.op("xs2", S, Op.XOR, 32, 1, new int[0], Ref.scalar(x1), Ref.scalar(d.op("sr17", S, Op.SHR, 32, 1, new int[] {17}, Ref.scalar(x1))));
        Node x3 = d.op("xs3", S, Op.XOR, 32, 1, new int[0], Ref.scalar(x2), Ref.scalar(d.op("sl5", S, Op.SHL, 32, 1, new int[] {5}, Ref.scalar(x2))));
        Node rngNext = d.op("rng_next", S, Op.MUX, 32, 1, new int[0], Ref.scalar(reseed), Ref.scalar(x3), Ref.scalar(seedV));
        Node hi = d.op("hi", S, Op.SLICE, 16, 1, new int[] {16}, Ref.scalar(rng));
        Node lo = d.op("lo", S, Op.SLICE, 16, 1, new int[] {0}, Ref.scalar(rng));
        Node r1 = d.op("r1", S, Op.ZEXT, 17, 1, new int[0], Ref.scalar(hi));
        Node r2 = d.op("r2", S, Op.ZEXT, 17, 1, new int[0], Ref.scalar(lo));
        Node samp = d.op("draw", S, Op.LTU, 1, 1, new int[0], Ref.scalar(r2), Ref.scalar(p));
        // device physics: the correlation time, and so the redraw threshold, depends on the bias; the
        // threshold comes in on a behavioural pin (the parent reads it from a table at p[16:8])
        this.table = device.redrawTable();
        Node redrawT = table == null ? d.constant("redraw_t", S, 17, device.redrawThreshold()) : d.input("redraw_t", 17);
        Node decorr = d.op("decorr", S, Op.LTU, 1, 1, new int[0], Ref.scalar(r1), Ref.scalar(redrawT));
        Node redraw = d.op("redraw", S, Op.OR, 1, 1, new int[0], Ref.scalar(fresh), Ref.scalar(decorr));
        Node state = d.reg("state", S, 1, 0);
        Node bit = d.op("sample", S, Op.MUX, 1, 1, new int[0], Ref.scalar(redraw), Ref.scalar(state), Ref.scalar(samp));
        Node active = d.op("rng_en", S, Op.OR, 1, 1, new int[0], Ref.scalar(reseed), Ref.scalar(en));
        d.connect(rng, Ref.scalar(rngNext), Ref.scalar(active));
        // the state is cleared at start, so that no register carries history into an inference
        d.connect(state, Ref.scalar(d.op("state_next", S, Op.MUX, 1, 1, new int[0], Ref.scalar(reseed), Ref.scalar(bit), Ref.scalar(d.constant("state_zero", S, 1, 0)))),
                Ref.scalar(d.op("state_en", S, Op.OR, 1, 1, new int[0], Ref.scalar(reseed), Ref.scalar(en))));
        d.output("bits", bit);
        d.probe("smtj_samples", en);
        this.module = d;
    }

    Design module() {
        return module;
    }

    /**
     * {@code count} devices named {@code name} in {@code d}: an instance array (or one instance),
     * device i biased by element i of {@code p17} (or by the scalar {@code p17}) and seeded with
     * {@code seeds[i]}. Returns the instance; its output {@code bits} has one element per device.
     */
    @Override
    public Instance place(Design d, String name, int count, Node p17, Bits[] seeds, Node en, Node reseed, Node key, Node fresh) {
        Node seedC = d.constArray(name + "_seed", Tag.SMTJ, 32, seeds);
        Map<String, Ref> c = new LinkedHashMap<>();
        c.put("en", Ref.scalar(en));
        c.put("p", Ref.of(p17));
        c.put("reseed", Ref.scalar(reseed));
        c.put("key", Ref.scalar(key));
        c.put("seed", Ref.of(seedC));
        c.put("fresh", Ref.scalar(fresh));
        if (table != null) {
            Bits[] words = new Bits[table.length];
            for (int i = 0; i < table.length; i++) words[i] = Bits.of(17, table[i]);
            Node rom = d.constArray(name + "_redraw_rom", Tag.SMTJ, 17, words);
            Node bucket = d.op(name + "_p_bucket", Tag.SMTJ, Op.SLICE, 9, p17.count(), new int[] {8}, Ref.of(p17));
            c.put("redraw_t", Ref.of(d.op(name + "_redraw_t", Tag.SMTJ, Op.ARRAY_GET, 17, p17.count(), new int[0], Ref.array(rom), Ref.of(bucket))));
        }
        return d.instance(name, module, count, c);
    }
}
