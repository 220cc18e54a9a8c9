package scnn.sim.engine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/** The instruction set's layout, as every pass reads it. */
class InstrTest {
    @Test
    void rawRecordsAreReadBackThroughTheLayout() {
        Code code = new Code();
        int a = code.emit(Instr.FA, new int[0], new int[] {10, 11}, new int[] {1, 2, 3});
        int b = code.emit(Instr.PCNT, new int[] {7}, new int[] {20, 21, 22}, new int[] {4, 5, 6, 7, 8});
        int c = code.emit(Instr.NOT, new int[0], new int[] {30}, new int[] {9});
        int[] x = code.a;
        assertEquals(Instr.FA, Instr.op(x, a));
        assertEquals(b, Instr.next(x, a));
        assertEquals(c, Instr.next(x, b));
        assertEquals(code.len, Instr.next(x, c));
        assertEquals(10, x[Instr.writesAt(x, a)]);
        assertEquals(11, x[Instr.writesAt(x, a) + 1]);
        assertEquals(1, x[Instr.readsAt(x, a)]);
        assertEquals(3, Instr.nReads(x, a));
        assertEquals(7, Instr.imm(x, b, 0));
        assertEquals(3, Instr.nWrites(x, b));
        assertEquals(20, x[Instr.writesAt(x, b)]);
        assertEquals(4, x[Instr.readsAt(x, b)]);
        assertEquals(5, Instr.nReads(x, b));
        assertEquals(9, x[Instr.readsAt(x, c)]);
    }

    @Test
    void fixedInstructionsRefuseAnotherArity() {
        Code code = new Code();
        assertThrows(IllegalArgumentException.class, () -> code.emit(Instr.AND, new int[0], new int[] {5}, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> code.emit2(Instr.AND, 5, 6, 1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> code.emit1(Instr.FA, 5, 1, 2, 3));
        for (Instr op : Instr.ALL) {
            if (!op.fixed()) continue;
            assertTrue(op.writes == 1 || op.writes == 2, op + " writes");
            assertTrue(op.reads >= 1 && op.reads <= 3, op + " reads");
            assertEquals(op.writes + op.reads, op.operands());
        }
    }

    /** The encoded program holds every raw instruction once: groups of fixed instructions (plain or classed) and kernel records. */
    @Test
    void theEncoderKeepsEveryInstruction() {
        Design d = new Design("enc");
        Tag t = Tag.CONTROL;
        Node in = d.input("in", 16);
        Node sum = d.op("sum", t, Op.ADD, 16, 1, new int[0], Ref.of(in), Ref.of(in));
        Node cnt = d.op("cnt", t, Op.POPCOUNT, 5, 1, new int[0], Ref.of(d.op("x", t, Op.XOR, 16, 1, new int[0], Ref.of(in), Ref.of(sum))));
        d.output("o", cnt);
        Program p = Compiler.compile(d);
        int fixed = 0, kernels = 0;
        for (int pc = 0; pc < p.code.length; pc = Instr.encodedNext(p.code, pc)) {
            Instr op = Instr.op(p.code, pc);
            if (op.fixed() || op == Instr.CLASSED) { // a group, or a group that counts into one class
                int n = p.code[pc + 1];
                assertTrue(n > 0);
                fixed += n;
            } else {
                kernels++;
            }
        }
        assertEquals(1, kernels, "one popcount kernel (16 variable inputs)");
        assertEquals(p.instructionCount(), fixed + kernels);
        assertTrue(fixed > 0);
    }

    /**
     * A node whose elements compile to the same instructions on slots of constant strides is one
     * {@link Instr#REP} record, and the machine computes with it what the grouped encoding computes,
     * toggles included.
     */
    @Test
    void elementsOfOnePatternAreOneRepeatRecord() {
        Design d = new Design("rep");
        Tag t = Tag.CONTROL;
        Node a = d.input("a", 8), b = d.input("b", 8);
        Node r = d.reg("r", t, 8, 6, scnn.ir.Bits.of(8, 0));
        Node x = d.op("x", t, Op.XOR, 8, 6, new int[0], Ref.of(r), Ref.scalar(a));
        Node y = d.op("y", t, Op.ADD, 8, 6, new int[0], Ref.of(x), Ref.scalar(b));
        d.connect(r, Ref.of(y), null);
        d.output("o", r);
        Program rep = Compiler.compile(d);
        int reps = 0;
        for (int pc = 0; pc < rep.code.length; pc = Instr.encodedNext(rep.code, pc)) if (Instr.op(rep.code, pc) == Instr.REP) reps++;
        assertEquals(2, reps, "x and y: six elements each, one pattern each");
        Program grouped;
        Encoder.repeatPatterns = false;
        try {
            grouped = Compiler.compile(d);
        } finally {
            Encoder.repeatPatterns = true;
        }
        for (int pc = 0; pc < grouped.code.length; pc = Instr.encodedNext(grouped.code, pc)) assertNotEquals(Instr.REP, Instr.op(grouped.code, pc));
        assertEquals(grouped.instructionCount(), rep.instructionCount());
        Machine m1 = new Machine(rep), m2 = new Machine(grouped);
        m1.setCounting(true);
        m2.setCounting(true);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int cyc = 0; cyc < 40; cyc++) {
            for (int lane = 0; lane < Machine.LANES; lane++) {
                long va = rnd.nextInt(256), vb = rnd.nextInt(256);
                m1.poke(a, 0, lane, va);
                m2.poke(a, 0, lane, va);
                m1.poke(b, 0, lane, vb);
                m2.poke(b, 0, lane, vb);
            }
            m1.step();
            m2.step();
            for (int g = 0; g < 6; g++) for (int lane = 0; lane < Machine.LANES; lane += 7) assertEquals(m2.peek(r, g, lane), m1.peek(r, g, lane));
        }
        // the copies of a write count into one class: every sum over a node's signals or a node's slots is the same
        long[] t1 = m1.toggles(), t2 = m2.toggles();
        assertTrue(rep.classSlot.length > 0, "the copies of x and y count alike");
        for (Node n : d.nodes()) {
            long s1 = 0, s2 = 0;
            for (int v : rep.signals(n)) if (v >= 0) s1 += t1[v];
            for (int v : grouped.signals(n)) if (v >= 0) s2 += t2[v];
            assertEquals(s2, s1, n.name());
            assertTrue(s1 > 0 || n.op() == Op.INPUT, n.name() + " toggles");
        }
        long[] own1 = new long[d.nodes().size()], own2 = new long[d.nodes().size()];
        for (int v = 0; v < rep.slotCount(); v++) if (rep.slotOwner(v) >= 0) own1[rep.slotOwner(v)] += t1[v];
        for (int v = 0; v < grouped.slotCount(); v++) if (grouped.slotOwner(v) >= 0) own2[grouped.slotOwner(v)] += t2[v];
        assertArrayEquals(own2, own1);
    }
}
