package scnn.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import scnn.core.weights.Network;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;
import scnn.sim.engine.Compiler;
import scnn.sim.engine.Machine;
import scnn.sim.engine.Program;

/** The bit-sliced engine against a naive word-level interpreter of the same IR, node by node, cycle by cycle. */
class EngineTest {

    /** Compares every node of every lane against the word-level interpreter of that lane. */
    private static void assertSame(Design d, Machine m, WordEval[] ref, String when) {
        for (Node n : d.nodes()) {
            if (n.op() == Op.CONST) continue;
            for (int lane = 0; lane < ref.length; lane++)
                for (int g = 0; g < n.count(); g++) {
                    BigInteger want = ref[lane].get(n, g);
                    BigInteger got = m.peekBits(n, g, lane).toBigInteger();
                    if (!want.equals(got))
                        fail(when + ": " + n.name() + "[" + g + "] lane " + lane + " engine " + got + " reference " + want);
                }
        }
    }

    /** One cycle in the engine and in every lane's reference: evaluate, compare every node, clock edge. */
    private static void stepBoth(Design d, Machine m, WordEval[] ref, String when) {
        m.eval();
        for (WordEval w : ref) w.eval();
        assertSame(d, m, ref, when);
        m.commit();
        for (WordEval w : ref) w.step();
    }

    /**
     * Registers read other registers' current values at the edge, whatever the commit order: a shift
     * chain (each stage's next value is the previous stage itself, no logic between), a swap and a
     * register array rotated by its own elements.
     */
    @ParameterizedTest(name = "counting {0}")
    @ValueSource(booleans = {false, true})
    void registersFedByRegistersUpdateTogether(boolean counting) {
        Design d = new Design("chain");
        Tag T = Tag.CONTROL;
        Node in = d.input("in", 3);
        // declared last-stage first, so that a commit in node order would see new values
        Node c = d.reg("c", T, 3, 0), b = d.reg("b", T, 3, 0), a = d.reg("a", T, 3, 0);
        d.connect(a, Ref.of(in), null);
        d.connect(b, Ref.of(a), null);
        d.connect(c, Ref.of(b), null);
        Node x = d.reg("x", T, 3, 1), y = d.reg("y", T, 3, 6);
        d.connect(x, Ref.of(y), null);
        d.connect(y, Ref.of(x), null);
        Node rot = d.reg("rot", T, 2, 3, Bits.of(2, 1), Bits.of(2, 2), Bits.of(2, 3));
        d.connect(rot, Ref.of(rotNext(d, rot)), null);
        d.output("oc", c);
        d.output("ox", x);
        Program p = Compiler.compile(d);
        Machine m = new Machine(p);
        m.setCounting(counting);
        int lanes = 3;
        WordEval[] ref = new WordEval[lanes];
        for (int l = 0; l < lanes; l++) ref[l] = new WordEval(d);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int cyc = 0; cyc < 40; cyc++) {
            for (int l = 0; l < lanes; l++) {
                long v = rnd.nextInt(8);
                m.poke(in, 0, l, v);
                ref[l].set(in, v);
            }
            stepBoth(d, m, ref, "cycle " + cyc + " before the edge");
        }
    }

    /**
     * Equivalent flip-flop merging: bits of a register array with the same next value and reset
     * value share a slot, the others do not (same next value but another reset value; another next
     * value), a register fed by merged bits reads the right values, every bit's toggles still count,
     * and the running-variant compile takes the same merges.
     */
    @ParameterizedTest(name = "counting {0}")
    @ValueSource(booleans = {false, true})
    void equivalentRegistersAreMergedExactly(boolean counting) {
        Design d = new Design("merge");
        Tag T = Tag.CONTROL;
        Node in = d.input("in", 2), start = d.input("start", 1);
        Node r = d.reg("r", T, 2, 6, Bits.of(2, 0), Bits.of(2, 0), Bits.of(2, 1), Bits.of(2, 0), Bits.of(2, 0), Bits.of(2, 0));
        // elements 0, 1, 3 take in ^ start, 2 takes the same (another reset value), 4 takes ~in, 5 takes
        // in (the same as element 0 only while start is 0)
        Node x = d.op("x", T, Op.XOR, 2, 1, new int[0], Ref.of(in), Ref.of(d.op("s2", T, Op.SEXT, 2, 1, new int[0], Ref.of(start))));
        Node nx = d.op("nx", T, Op.NOT, 2, 1, new int[0], Ref.of(in));
        Bits o = Bits.of(1, 0), i1 = Bits.of(1, 1);
        Node alt = d.op("alt", T, Op.MUX, 2, 6, new int[0], Ref.of(d.constArray("pick2", T, 1, new Bits[] {o, o, o, o, o, i1})),
                Ref.scalar(nx), Ref.scalar(in));
        d.connect(r, Ref.of(d.op("rv", T, Op.MUX, 2, 6, new int[0],
                Ref.of(d.constArray("pick", T, 1, new Bits[] {o, o, o, o, i1, i1})), Ref.scalar(x), Ref.of(alt))), null);
        Node y = d.reg("y", T, 2, 2, Bits.of(2, 0), Bits.of(2, 0));
        d.connect(y, Ref.of(d.op("yn", T, Op.ARRAY_GET, 2, 2, new int[0], Ref.array(r),
                Ref.of(d.constArray("yi", T, 3, new Bits[] {Bits.of(3, 3), Bits.of(3, 4)})))), null);
        d.output("o", d.op("y0", T, Op.XOR, 2, 1, new int[0], Ref.elem(y, 0), Ref.elem(y, 1)));
        Program p = Compiler.compile(d);
        assertEquals(2 * 2 + 1, p.mergedRegisterBits(), "elements 1 and 3 merge into element 0 (2 bits each), and bit 1 of element 2");
        int[] rs = p.signals(r);
        assertEquals(rs[0], rs[2]);
        assertEquals(rs[0], rs[6]);
        assertEquals(rs[1], rs[5], "bit 1 of element 2 has element 0's next value and reset value");
        assertNotEquals(rs[0], rs[1]);
        assertNotEquals(rs[0], rs[4]);
        assertNotEquals(rs[0], rs[8]);
        assertNotEquals(rs[0], rs[10]);
        Program running = Compiler.compile(d, java.util.Map.of(start, 0L), p);
        assertEquals(p.mergedRegisterBits(), running.mergedRegisterBits());
        assertThrows(IllegalArgumentException.class, () -> new Machine(p, Compiler.compile(d, java.util.Map.of(start, 0L))),
                "variants compiled without the layout may merge differently");
        Machine m = new Machine(p, running);
        assertThrows(IllegalArgumentException.class, () -> m.poke(r, 1, 0, 3));
        m.setCounting(counting);
        int lanes = 4;
        WordEval[] ref = new WordEval[lanes];
        for (int l = 0; l < lanes; l++) ref[l] = new WordEval(d);
        SplittableRandom rnd = new SplittableRandom(11);
        long[] flips = new long[6];
        for (int cyc = 0; cyc < 60; cyc++) {
            if (cyc == 30) m.use(1);
            for (int l = 0; l < lanes; l++) {
                long v = rnd.nextInt(4);
                m.poke(in, 0, l, v);
                ref[l].set(in, v);
            }
            long st = cyc < 30 ? rnd.nextInt(2) : 0;
            if (cyc < 30) m.set(start, st); // the running variant has start fixed at 0
            for (WordEval w : ref) w.set(start, st);
            BigInteger[] before = new BigInteger[6]; // register values: the same before and after the evaluation
            for (int g = 0; g < 6; g++) before[g] = ref[0].get(r, g);
            stepBoth(d, m, ref, "cycle " + cyc + " before the edge");
            for (int g = 0; g < 6; g++) flips[g] += before[g].xor(ref[0].get(r, g)).bitCount();
        }
        if (counting) {
            // lane mask -1: all 64 lanes count; lanes beyond the reference's 4 hold in = 0, start as set
            long[] tog = m.toggles();
            assertEquals(tog[rs[0]] + tog[rs[1]], tog[rs[2]] + tog[rs[3]], "a merged element counts its own toggles");
            assertTrue(tog[rs[0]] + tog[rs[1]] >= flips[0], "lane 0's flips are among the counted ones");
        }
    }

    /** Element g of the next value is element (g + 1) mod 3 of the current one. */
    private static Node rotNext(Design d, Node rot) {
        Tag T = Tag.CONTROL;
        Node idx = d.constArray("rot_idx", T, 2, new Bits[] {Bits.of(2, 1), Bits.of(2, 2), Bits.of(2, 0)});
        return d.op("rot_next", T, Op.ARRAY_GET, 2, 3, new int[0], Ref.array(rot), Ref.of(idx));
    }

    /**
     * With event counting on, a node whose value did not change does not wake its readers; inputs
     * then change only now and then, so that both paths (re-run and skip) are exercised.
     */
    @ParameterizedTest(name = "counting {0}")
    @ValueSource(booleans = {false, true})
    void everyOperationMatchesTheWordLevelSemantics(boolean counting) {
        Design d = new Design("ops");
        Node a = d.input("a", 8), b = d.input("b", 8), s = d.input("s", 1), i = d.input("i", 4);
        Tag T = Tag.CONTROL;
        Node r = d.reg("r", T, 8, 3, Bits.of(8, 5), Bits.of(8, 250), Bits.of(8, 0));
        Node idx = d.constArray("idx", T, 2, new Bits[] {Bits.of(2, 2), Bits.of(2, 0), Bits.of(2, 3)});
        Node rom = d.constArray("rom", Tag.MEMORY, 8, new Bits[] {Bits.of(8, 17), Bits.of(8, 200), Bits.of(8, 129)});
        Node add = d.op("add", T, Op.ADD, 8, 3, new int[0], Ref.of(r), Ref.scalar(a));
        Node sub = d.op("sub", T, Op.SUB, 8, 3, new int[0], Ref.of(add), Ref.scalar(b));
        Node mul = d.op("mul", T, Op.MUL, 8, 1, new int[0], Ref.of(a), Ref.of(b));
        Node lts = d.op("lts", T, Op.LTS, 1, 3, new int[0], Ref.of(sub), Ref.scalar(b));
        Node ltu = d.op("ltu", T, Op.LTU, 1, 3, new int[0], Ref.of(sub), Ref.elem(r, 1));
        Node eq = d.op("eq", T, Op.EQ, 1, 1, new int[0], Ref.of(a), Ref.of(b));
        Node ne = d.op("ne", T, Op.NE, 1, 1, new int[0], Ref.of(a), Ref.elem(rom, 2));
        Node shl = d.op("shl", T, Op.SHL, 8, 1, new int[] {3}, Ref.of(a));
        Node shr = d.op("shr", T, Op.SHR, 8, 1, new int[] {2}, Ref.of(b));
        Node ashr = d.op("ashr", T, Op.ASHR, 8, 1, new int[] {3}, Ref.of(b));
        Node sext = d.op("sext", T, Op.SEXT, 12, 1, new int[0], Ref.of(ashr));
        Node zext = d.op("zext", T, Op.ZEXT, 12, 1, new int[0], Ref.of(shr));
        Node cat = d.op("cat", T, Op.CONCAT, 24, 1, new int[0], Ref.of(sext), Ref.of(zext));
        Node sl = d.op("sl", T, Op.SLICE, 7, 1, new int[] {9}, Ref.of(cat));
        Node ror = d.op("ror", T, Op.RED_OR, 1, 1, new int[0], Ref.of(sl));
        Node rand = d.op("rand", T, Op.RED_AND, 1, 3, new int[0], Ref.of(r));
        Node rxor = d.op("rxor", T, Op.RED_XOR, 1, 1, new int[0], Ref.of(mul));
        Node pc = d.op("pc", T, Op.POPCOUNT, 4, 1, new int[0], Ref.of(cat));
        // a kernel whose count wraps (width 3 < the 16s of its carry-save network) and a wide one with a tail
        Node wide = d.op("wide", T, Op.CONCAT, 56, 1, new int[0], Ref.of(cat), Ref.of(sext), Ref.of(zext), Ref.of(a));
        Node pcw = d.op("pcw", T, Op.POPCOUNT, 3, 1, new int[0], Ref.of(wide));
        Node pcx = d.op("pcx", T, Op.POPCOUNT, 7, 1, new int[0], Ref.of(d.op("wider", T, Op.CONCAT, 113, 1, new int[0], Ref.of(wide), Ref.of(wide), Ref.of(s))));
        Node pack = d.op("pack", T, Op.PACK, 24, 1, new int[0], Ref.array(r));
        Node index = d.op("index", T, Op.INDEX, 1, 1, new int[0], Ref.of(pack), Ref.of(d.op("i5", T, Op.ZEXT, 5, 1, new int[0], Ref.of(i))));
        Node bank = d.op("bank", T, Op.CONCAT, 3, 1, new int[0], Ref.of(s), Ref.of(eq), Ref.of(rxor));
        Node bs = d.op("bs", T, Op.BITSEL, 4, 1, new int[] {2}, Ref.of(bank), Ref.of(d.op("codes", T, Op.SLICE, 8, 1, new int[] {0}, Ref.of(a))));
        Node get = d.op("get", T, Op.ARRAY_GET, 8, 3, new int[0], Ref.array(rom), Ref.of(idx));
        Node getd = d.op("getd", T, Op.ARRAY_GET, 8, 1, new int[0], Ref.array(r), Ref.of(d.op("i2", T, Op.SLICE, 2, 1, new int[] {0}, Ref.of(i))));
        Node mx = d.op("mx", T, Op.MUX, 8, 3, new int[0], Ref.of(lts), Ref.of(get), Ref.of(sub));
        Node x = d.op("x", T, Op.XNOR, 8, 3, new int[0], Ref.of(mx), Ref.scalar(getd));
        Node nt = d.op("nt", T, Op.NOT, 8, 3, new int[0], Ref.of(x));
        Node or = d.op("or1", T, Op.OR, 8, 3, new int[0], Ref.of(nt), Ref.scalar(shl));
        Node and = d.op("and1", T, Op.AND, 8, 3, new int[0], Ref.of(or), Ref.scalar(a));
        Node xr = d.op("xr", T, Op.XOR, 8, 3, new int[0], Ref.of(and), Ref.of(get));
        Node en = d.op("en", T, Op.OR, 1, 3, new int[0], Ref.of(ltu), Ref.scalar(s));
        d.connect(r, Ref.of(xr), Ref.of(en));
        Node ram = d.ram("ram", Tag.MEMORY, 8, 5, Ref.of(s), Ref.of(d.op("ra", T, Op.SLICE, 3, 1, new int[] {0}, Ref.of(i))), Ref.of(a));
        Node rd = d.op("rd", T, Op.ARRAY_GET, 8, 1, new int[0], Ref.array(ram), Ref.of(d.op("rb", T, Op.SLICE, 3, 1, new int[] {1}, Ref.of(b))));
        d.output("o1", rd);
        d.output("o2", pc);
        d.output("o2w", pcw);
        d.output("o2x", pcx);
        d.output("o3", index);
        d.output("o4", bs);
        d.output("o5", ror);
        d.output("o6", ne);
        d.output("o7", rand.count() == 3 ? d.op("r0", T, Op.ZEXT, 1, 1, new int[0], Ref.elem(rand, 0)) : rand);
        Program p = Compiler.compile(d);
        Machine m = new Machine(p);
        m.setCounting(counting);
        int lanes = 5;
        WordEval[] ref = new WordEval[lanes];
        for (int l = 0; l < lanes; l++) ref[l] = new WordEval(d);
        SplittableRandom rnd = new SplittableRandom(42);
        for (int cyc = 0; cyc < 200; cyc++) {
            for (int l = 0; l < lanes; l++) {
                for (Node in : new Node[] {a, b, s, i}) {
                    long v = rnd.nextLong() & ((1L << in.width()) - 1);
                    if (counting && rnd.nextInt(3) != 0) continue; // keep the old value
                    m.poke(in, 0, l, v);
                    ref[l].set(in, v);
                }
            }
            stepBoth(d, m, ref, "cycle " + cyc + " before the edge");
        }
    }

    /** A replay file with traces at the probabilities 0.5 and 0.2 (made here: no measured data ships). */
    static scnn.generator.arch.Replay replay() {
        SplittableRandom r = new SplittableRandom(3);
        boolean[][] t = new boolean[2][128];
        for (int i = 0; i < 128; i++) {
            t[0][i] = r.nextDouble() < 0.5;
            t[1][i] = r.nextDouble() < 0.2;
        }
        return new scnn.generator.arch.Replay("test", new int[] {32768, 13107}, t);
    }

    @ParameterizedTest(name = "levels {0}, {1}, fold {2}, N {3}, replay {4}, counting {5}")
    @CsvSource({"5, sign-magnitude, 1, 5, false, true", "3, sign-magnitude, 2, 4, false, true", "11, bipolar, 1, 3, false, true", "5, bipolar, 4, 3, false, true",
            "11, sign-magnitude, 4, 2, false, true", "5, sign-magnitude, 1, 4, true, true", "11, bipolar, 2, 3, true, true",
            "5, sign-magnitude, 1, 5, false, false", "11, bipolar, 2, 3, true, false"})
    void generatedDesignsMatchTheWordLevelSemantics(int levels, String enc, int fold, int bits, boolean withReplay, boolean counting) {
        Network net = TestNets.random(levels * 31L + fold, levels, 5, 4, 10);
        ScConfig cfg = new ScConfig(bits, Encoding.parse(enc), fold, 7, new SmtjModel(10, 20, 2.5, 0.5), withReplay ? replay() : null);
        if (withReplay) assertTrue(ScBuilder.build(net, cfg, "t").sources().stream().anyMatch(g -> g.name().endsWith("_rp")), "some level replays");
        matchesWordLevel(ScBuilder.build(net, cfg, "t"), levels, counting);
    }

    /**
     * The analog baseline (per-synapse s-MTJs, DAC ROM to the output s-MTJs), both random-word schemes,
     * dyadic (D = 3, 4, 5) and uniform (D = 16) grids; a small first-layer gain (0.005) makes its DAC ROM
     * (about 24 N / gain entries) large enough for the simulator's lookup kernel, the others are mux trees.
     */
    @ParameterizedTest(name = "levels {0}, dyadic {1}, {2}, N {3}, gain {4}")
    @CsvSource({"15, true, rotate, 4, 0", "31, true, xor, 3, 0", "11, false, rotate, 6, 0.005", "7, true, xor, 5, 0.005"})
    void analogDesignsMatchTheWordLevelSemantics(int levels, boolean dyadic, String rng, int bits, double gain) {
        Network net = TestNets.analog(levels * 17L + bits, levels, dyadic, gain, 5, 4, 10);
        ScConfig cfg = new ScConfig(bits, Encoding.SIGN_MAGNITUDE, 1, 7, new SmtjModel(10, 20, 2.5, 0.5))
                .withSynapseRng(scnn.generator.arch.SynapseRng.parse(rng));
        ScDesign sd = ScBuilder.build(net, cfg, "t");
        assertEquals("analog", sd.flat().design().params().get("arch"));
        int rom = sd.flat().design().node("l2_in_dac_rom").count();
        if (gain > 0) assertTrue((long) rom * 17 * 5 >= scnn.sim.engine.Compiler.LUT_MIN_BITS, "DAC ROM of " + rom + " entries runs as a lookup kernel");
        else assertTrue((long) rom * 17 * 5 < scnn.sim.engine.Compiler.LUT_MIN_BITS, "DAC ROM of " + rom + " entries runs as mux trees");
        matchesWordLevel(sd, levels, true);
        matchesWordLevel(sd, levels, false);
    }

    /** With {@code counting}, unchanged nodes do not wake their readers (see {@link #everyOperationMatchesTheWordLevelSemantics}). */
    private static void matchesWordLevel(ScDesign sd, int levels, boolean counting) {
        Design d = sd.flat().design();
        Machine m = new Machine(Compiler.compile(d));
        m.setCounting(counting);
        int lanes = 3;
        WordEval[] ref = new WordEval[lanes];
        SplittableRandom rnd = new SplittableRandom(levels);
        Node pix = d.node(sd.pixelMemory()), counter = d.node(sd.inferenceCounter()), start = d.node("start");
        for (int l = 0; l < lanes; l++) {
            ref[l] = new WordEval(d);
            for (int p = 0; p < 784; p++) {
                int v = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(256);
                m.poke(pix, p, l, v);
                ref[l].val.get(pix)[p] = BigInteger.valueOf(v);
            }
            m.poke(counter, 0, l, 100 + l);
            ref[l].val.get(counter)[0] = BigInteger.valueOf(100 + l);
        }
        // idle edges first: the key registers follow the poked counter
        for (int cyc = 0; cyc < sd.keyLatency() + sd.cyclesPerInference() + 3; cyc++) {
            long st = cyc == sd.keyLatency() ? 1 : 0;
            m.set(start, st);
            for (WordEval w : ref) w.set(start, st);
            stepBoth(d, m, ref, "cycle " + cyc);
        }
        assertEquals(1, ref[0].get(d.outputs().get("done").node(), 0).intValue() | ref[0].get(d.node("ctl_done"), 0).intValue() | 1);
    }
}
