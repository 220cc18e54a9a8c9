package scnn.generator.verilog;

import static scnn.ir.Op.*;

import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Instance;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/** Small hand-built IR designs that together use every op, every operand mode and array/scalar mix. */
final class TestDesigns {
    private TestDesigns() {}

    static final int[] NONE = new int[0];

    static int[] p(int... v) {
        return v;
    }

    static Node op(Design d, String n, Op op, int w, Ref... a) {
        return d.op(n, Tag.CONTROL, op, w, 1, NONE, a);
    }

    static Node op(Design d, String n, Op op, int w, int[] params, Ref... a) {
        return d.op(n, Tag.CONTROL, op, w, 1, params, a);
    }

    static Node arr(Design d, String n, Op op, int w, int count, int[] params, Ref... a) {
        return d.op(n, Tag.ACCUMULATOR, op, w, count, params, a);
    }

    static Bits[] words(int w, long... v) {
        Bits[] b = new Bits[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Bits.of(w, v[i]);
        return b;
    }

    static Ref of(Node n) {
        return Ref.of(n);
    }

    /** 8-bit counter with enable, reset value 0xfe; outputs {@code count} and {@code cnt} (the register itself). */
    static Design counter() {
        Design d = new Design("counter");
        Node en = d.input("en", 1);
        Node one = d.constant("one", Tag.CONTROL, 8, 1);
        Node cnt = d.reg("cnt", Tag.CONTROL, 8, 0xfe);
        Node inc = op(d, "inc", ADD, 8, of(cnt), of(one));
        d.connect(cnt, of(inc), of(en));
        Node top = op(d, "at_top", EQ, 1, of(cnt), of(d.constant("all_ones", Tag.CONTROL, 8, 255)));
        d.output("count", cnt);
        d.output("cnt", cnt);
        d.output("full", top);
        return d;
    }

    /** Three 4-bit registers with reset values 1, 2, 3 and per-element enables from a 3-bit input. */
    static Design regArray() {
        Design d = new Design("regarray");
        Node en = d.input("en", 3);
        Node sel = d.input("sel", 2);
        Node idx = d.constArray("idx", Tag.CONTROL, 2, words(2, 0, 1, 2));
        Node step = d.constant("step", Tag.CONTROL, 4, 1);
        Node r = d.reg("r", Tag.CONTROL, 4, 3, words(4, 1, 2, 3));
        Node enb = d.op("enb", Tag.CONTROL, INDEX, 1, 3, NONE, Ref.scalar(en), Ref.same(idx));
        Node nx = d.op("nx", Tag.CONTROL, ADD, 4, 3, NONE, Ref.same(r), Ref.scalar(step));
        d.connect(r, Ref.same(nx), Ref.same(enb));
        d.output("pk_all", d.op("pk", Tag.CONTROL, PACK, 12, 1, NONE, Ref.array(r)));
        d.output("picked", d.op("pick", Tag.CONTROL, ARRAY_GET, 4, 1, NONE, Ref.array(r), Ref.scalar(sel)));
        return d;
    }

    /** Every combinational op on scalars, wide (70-bit) vectors included, plus ROMs and a RAM. */
    static Design alu() {
        Design d = new Design("alu");
        Node a = d.input("a", 8);
        Node b = d.input("b", 8);
        Node s = d.input("s", 1);
        Node i4 = d.input("i4", 4);
        Node w = d.input("w", 70);
        Node v = d.input("v", 70);
        Node unused = d.input("spare", 5); // never read: lint_off around the port
        Node halfUsed = d.input("half", 8); // only [3:0] read
        String[] two = {"o_and", "o_or", "o_xor", "o_xnor", "o_add", "o_sub", "o_mul"};
        Op[] twoOps = {AND, OR, XOR, XNOR, ADD, SUB, MUL};
        for (int k = 0; k < two.length; k++) d.output(two[k], op(d, "n" + two[k], twoOps[k], 8, of(a), of(b)));
        d.output("o_not", op(d, "n_not", NOT, 8, of(a)));
        d.output("o_shl3", op(d, "n_shl3", SHL, 8, p(3), of(a)));
        d.output("o_shl0", op(d, "n_shl0", SHL, 8, p(0), of(a)));
        d.output("o_shl9", op(d, "n_shl9", SHL, 8, p(9), of(a)));
        d.output("o_shr3", op(d, "n_shr3", SHR, 8, p(3), of(a)));
        d.output("o_shr8", op(d, "n_shr8", SHR, 8, p(8), of(a)));
        d.output("o_ashr3", op(d, "n_ashr3", ASHR, 8, p(3), of(a)));
        d.output("o_ashr9", op(d, "n_ashr9", ASHR, 8, p(9), of(a)));
        d.output("o_eq", op(d, "n_eq", EQ, 1, of(a), of(b)));
        d.output("o_ne", op(d, "n_ne", NE, 1, of(a), of(b)));
        d.output("o_ltu", op(d, "n_ltu", LTU, 1, of(a), of(b)));
        d.output("o_lts", op(d, "n_lts", LTS, 1, of(a), of(b)));
        d.output("o_ltsw", op(d, "n_ltsw", LTS, 1, of(w), of(v)));
        Node s1 = op(d, "s1", SLICE, 1, p(0), of(i4));
        d.output("o_lts1", op(d, "n_lts1", LTS, 1, of(s), of(s1)));
        d.output("o_mux", op(d, "n_mux", MUX, 8, of(s), of(a), of(b)));
        d.output("o_cat", op(d, "n_cat", CONCAT, 17, of(a), of(b), of(s)));
        d.output("o_cat1", op(d, "n_cat1", CONCAT, 8, of(a)));
        d.output("o_slice", op(d, "n_slice", SLICE, 8, p(60), of(w)));
        d.output("o_slicew", op(d, "n_slicew", SLICE, 70, p(0), of(w)));
        d.output("o_zext", op(d, "n_zext", ZEXT, 12, of(a)));
        d.output("o_ztr", op(d, "n_ztr", ZEXT, 5, of(b)));
        d.output("o_sext", op(d, "n_sext", SEXT, 12, of(a)));
        d.output("o_sext1", op(d, "n_sext1", SEXT, 8, of(s)));
        d.output("o_str", op(d, "n_str", SEXT, 5, of(b)));
        d.output("o_same", op(d, "n_same", SEXT, 8, of(b)));
        d.output("o_ror", op(d, "n_ror", RED_OR, 1, of(a)));
        d.output("o_rand", op(d, "n_rand", RED_AND, 1, of(a)));
        d.output("o_rxor", op(d, "n_rxor", RED_XOR, 1, of(w)));
        d.output("o_pc7", op(d, "n_pc7", POPCOUNT, 7, of(w)));
        d.output("o_pc3", op(d, "n_pc3", POPCOUNT, 3, of(w)));
        d.output("o_pc1", op(d, "n_pc1", POPCOUNT, 1, of(a)));
        d.output("o_idx", op(d, "n_idx", INDEX, 1, of(a), of(i4)));    // index wider than needed: 8..15 -> 0
        d.output("o_idxw", op(d, "n_idxw", INDEX, 1, of(w), of(a)));   // 70-bit vector: 70..255 -> 0
        d.output("o_idxn", op(d, "n_idxn", INDEX, 1, of(w), of(i4)));  // index narrower than needed
        d.output("o_idx1", op(d, "n_idx1", INDEX, 1, of(s), of(i4)));  // 1-bit vector
        d.output("o_addw", op(d, "n_addw", ADD, 70, of(w), of(v)));
        d.output("o_subw", op(d, "n_subw", SUB, 70, of(w), of(v)));
        d.output("o_mulw", op(d, "n_mulw", MUL, 70, of(w), of(v)));
        d.output("o_shlw", op(d, "n_shlw", SHL, 70, p(5), of(w)));
        d.output("o_ashrw", op(d, "n_ashrw", ASHR, 70, p(66), of(w)));
        // bit selection: bank of 8 (codes of 3 bits, always in range), bank of 5 (3-bit codes, 5..7 -> 0),
        // bank of 8 with 2-bit codes (narrower than the bank index)
        Node codes69 = op(d, "codes69", SLICE, 69, p(1), of(w));
        d.output("o_bs8", op(d, "n_bs8", BITSEL, 23, p(3), of(a), of(codes69)));
        Node bank5 = op(d, "bank5", SLICE, 5, p(2), of(b));
        d.output("o_bs5", op(d, "n_bs5", BITSEL, 23, p(3), of(bank5), of(codes69)));
        d.output("o_bs2", op(d, "n_bs2", BITSEL, 35, p(2), of(a), of(op(d, "codes70", SLICE, 70, p(0), of(v)))));
        d.output("o_bs1", op(d, "n_bs1", BITSEL, 4, p(1), of(s), of(i4)));
        // constant codes: only read by BITSEL (emitted as bit planes only), and also read otherwise
        Node kc = d.constant("kcodes", Tag.STREAM, 24, 0b101_000_111_110_011_010_001_100L);
        d.output("o_bsk", op(d, "n_bsk", BITSEL, 8, p(3), of(a), of(kc)));
        d.output("o_bsk5", op(d, "n_bsk5", BITSEL, 8, p(3), of(bank5), of(kc)));
        Node kc2 = d.constant("kcodes2", Tag.STREAM, 16, 0xe4b1L);
        d.output("o_bsk2", op(d, "n_bsk2", BITSEL, 8, p(2), of(op(d, "bank3", SLICE, 3, p(0), of(b))), of(kc2)));
        d.output("o_kc2", op(d, "n_kc2", XOR, 16, of(kc2), of(op(d, "ab", CONCAT, 16, of(a), of(b)))));
        // ROMs: a small inline one (6 words) and a memory-file one (40 words of 70 bits)
        Node rom6 = d.constArray("rom6", Tag.MEMORY, 8, words(8, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66));
        d.output("o_rom6", op(d, "n_rom6", ARRAY_GET, 8, Ref.array(rom6), of(i4)));
        Random rnd = new Random(7);
        Bits[] big = new Bits[40];
        for (int k = 0; k < big.length; k++) big[k] = Bits.of(70, new BigInteger(70, rnd));
        Node rom40 = d.constArray("rom40", Tag.MEMORY, 70, big);
        d.output("o_rom40", op(d, "n_rom40", ARRAY_GET, 70, Ref.array(rom40), of(a)));
        Node k1 = d.constant("k1", Tag.CONTROL, 8, 0x5a);
        d.output("o_get1", op(d, "n_get1", ARRAY_GET, 8, Ref.array(k1), of(i4)));
        Node lowHalf = op(d, "low_half", SLICE, 4, p(0), of(halfUsed));
        d.output("o_half", lowHalf);
        // RAM: 6 words (3-bit address: 6, 7 do not write), read through a 4-bit address (6..15 -> 0)
        Node ram = d.ram("ram6", Tag.MEMORY, 8, 6, of(s), of(op(d, "waddr", SLICE, 3, p(0), of(i4))), of(a));
        d.output("o_ram", op(d, "n_ram", ARRAY_GET, 8, Ref.array(ram), of(op(d, "raddr", SLICE, 4, p(0), of(b)))));
        // a dead node: declared in a lint_off pair
        op(d, "dead", XOR, 8, of(a), of(b));
        return d;
    }

    /** Array ops: SAME / SCALAR / ELEM / ARRAY operands, register arrays, ROM-coded BITSEL, PACK, RAMs. */
    static Design arrays() {
        Design d = new Design("arrays");
        Node x = d.input("x", 8);
        Node y = d.input("y", 8);
        Node sel = d.input("sel", 3);
        Node en = d.input("en", 4);
        Node we = d.input("we", 1);
        Node wa = d.input("wa", 5);
        final int n = 4;
        Node c4 = d.constArray("c4", Tag.STREAM, 8, words(8, 3, 250, 17, 128));
        Node u4 = d.constArray("u4", Tag.STREAM, 8, words(8, 9, 9, 9, 9));
        Node idx = d.constArray("eidx", Tag.CONTROL, 2, words(2, 0, 1, 2, 3));
        Node r = d.reg("r", Tag.ACCUMULATOR, 8, n, words(8, 1, 2, 3, 200));
        Node zr = d.reg("zr", Tag.ACCUMULATOR, 8, n, Bits.of(8, 0));
        Node enb = arr(d, "enb", INDEX, 1, n, NONE, Ref.scalar(en), Ref.same(idx));
        Node nx = arr(d, "nx", ADD, 8, n, NONE, Ref.same(r), Ref.same(c4));
        d.connect(r, Ref.same(nx), Ref.same(enb));
        Node s = arr(d, "s", ADD, 8, n, NONE, Ref.same(r), Ref.scalar(x));
        Node e = arr(d, "e", XOR, 8, n, NONE, Ref.same(s), Ref.elem(r, 2));
        Node m = arr(d, "m", MUX, 8, n, NONE, Ref.elem(enb, 1), Ref.same(e), Ref.same(u4));
        Node lt = arr(d, "lt", LTS, 1, n, NONE, Ref.same(m), Ref.scalar(y));
        Node zn = arr(d, "zn", SUB, 8, n, NONE, Ref.same(zr), Ref.same(m));
        d.connect(zr, Ref.same(zn), Ref.same(lt));
        d.output("pk_e", d.op("pk_e", Tag.CONTROL, PACK, 32, 1, NONE, Ref.array(e)));
        d.output("pk_zr", d.op("pk_zr", Tag.CONTROL, PACK, 32, 1, NONE, Ref.array(zr)));
        d.output("pk_lt", d.op("pk_lt", Tag.CONTROL, PACK, 4, 1, NONE, Ref.array(lt)));
        d.output("get_r", d.op("get_r", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(r), Ref.scalar(sel)));
        // a uniform constant array (stored once): packed, and read through in-range and wider indexes
        d.output("pk_u4", d.op("pk_u4", Tag.CONTROL, PACK, 32, 1, NONE, Ref.array(u4)));
        d.output("get_u4", d.op("get_u4", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(u4), Ref.scalar(sel)));
        Node sel2 = d.op("sel2", Tag.CONTROL, SLICE, 2, 1, p(0), Ref.scalar(sel));
        d.output("get_u4b", d.op("get_u4b", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(u4), Ref.scalar(sel2)));
        Node rev = d.constArray("rev", Tag.CONTROL, 3, words(3, 3, 7, 1, 0));
        Node ag = arr(d, "ag", ARRAY_GET, 8, n, NONE, Ref.array(c4), Ref.same(rev));
        d.output("pk_ag", d.op("pk_ag", Tag.CONTROL, PACK, 32, 1, NONE, Ref.array(ag)));
        // PACK with count > 1 (every element is the whole packed array)
        Node pkn = d.op("pkn", Tag.CONTROL, PACK, 32, 3, NONE, Ref.array(c4));
        d.output("pkn_x", d.op("pkn_x", Tag.CONTROL, XOR, 32, 1, NONE, Ref.elem(pkn, 1), Ref.elem(pkn, 2)));
        // popcount array of a SAME operand, reduced with ELEM refs
        Node pc = arr(d, "pc", POPCOUNT, 4, n, NONE, Ref.same(e));
        d.output("pc_sum", d.op("pc_sum", Tag.CONTROL, ADD, 4, 1, NONE, Ref.elem(pc, 0), Ref.elem(pc, 3)));
        // BITSEL of 20 elements, codes from a ROM in a memory file (20 x 24 bits), bank from a scalar
        final int k = 20;
        Random rnd = new Random(11);
        Bits[] codes = new Bits[k];
        for (int j = 0; j < k; j++) {
            int[] c = new int[8];
            for (int q = 0; q < 8; q++) c[q] = rnd.nextInt(8);
            codes[j] = Bits.packed(3, c);
        }
        Node crom = d.constArray("crom", Tag.STREAM, 24, codes);
        Node bs = d.op("bs", Tag.MULTIPLIER, BITSEL, 8, k, p(3), Ref.scalar(y), Ref.same(crom));
        Node bsx = d.op("bsx", Tag.MULTIPLIER, AND, 8, k, NONE, Ref.same(bs), Ref.scalar(x));
        Node bpc = d.op("bpc", Tag.ACCUMULATOR, POPCOUNT, 4, k, NONE, Ref.same(bsx));
        d.output("bs_pack", d.op("bs_pack", Tag.CONTROL, PACK, 80, 1, NONE, Ref.array(bpc)));
        d.output("bs_get", d.op("bs_get", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(bs), Ref.scalar(wa)));
        // the same code ROM with a bank of 5 (codes 5..7 select 0), and one fixed element (ELEM)
        Node bank5 = d.op("bank5", Tag.STREAM, SLICE, 5, 1, p(0), Ref.scalar(y));
        Node bs5 = d.op("bs5", Tag.MULTIPLIER, BITSEL, 8, k, p(3), Ref.scalar(bank5), Ref.same(crom));
        d.output("bs5_get", d.op("bs5_get", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(bs5), Ref.scalar(wa)));
        d.output("bs_e7", d.op("bs_e7", Tag.MULTIPLIER, BITSEL, 8, 1, p(3), Ref.scalar(x), Ref.elem(crom, 7)));
        // RAM of 20 words written through a 5-bit address (20..31 do not write), read per element
        Node ram = d.ram("ram", Tag.MEMORY, 8, 20, Ref.scalar(we), Ref.scalar(wa), Ref.scalar(x));
        Node raddr = d.constArray("raddr", Tag.CONTROL, 5, words(5, 0, 5, 19, 20));
        Node rd = arr(d, "rd", ARRAY_GET, 8, n, NONE, Ref.array(ram), Ref.same(raddr));
        d.output("ram_rd", d.op("ram_rd", Tag.CONTROL, PACK, 32, 1, NONE, Ref.array(rd)));
        // a RAM of depth 1, written with an ELEM operand
        Node ram1 = d.ram("ram1", Tag.MEMORY, 8, 1, Ref.elem(enb, 0), Ref.scalar(sel), Ref.elem(s, 3));
        d.output("ram1_rd", d.op("ram1_rd", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(ram1), Ref.scalar(sel)));
        // a wide register array with a large non-uniform reset (memory-file initialiser)
        Bits[] seeds = new Bits[k];
        for (int j = 0; j < k; j++) seeds[j] = Bits.of(70, new BigInteger(70, rnd));
        Node lf = d.reg("lf", Tag.SMTJ, 70, k, seeds);
        Node lfs = d.op("lfs", Tag.SMTJ, SHL, 70, k, p(1), Ref.same(lf));
        Node lfx = d.op("lfx", Tag.SMTJ, XOR, 70, k, NONE, Ref.same(lfs), Ref.scalar(d.op("xw", Tag.SMTJ, ZEXT, 70, 1, NONE, Ref.scalar(x))));
        d.connect(lf, Ref.same(lfx), null);
        d.output("lf_get", d.op("lf_get", Tag.CONTROL, ARRAY_GET, 70, 1, NONE, Ref.array(lf), Ref.scalar(wa)));
        // only bits [10:3] of every lfsr word are used by this slice array
        Node lsl = d.op("lsl", Tag.SMTJ, SLICE, 8, k, p(3), Ref.same(lf));
        d.output("lsl_get", d.op("lsl_get", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(lsl), Ref.scalar(wa)));
        return d;
    }

    /**
     * A hierarchy: an instance array of 4 copies of a scalar cell (element-wise, scalar and
     * constant connections; a register inside; a combinational pass-through), a module with array
     * ports (a whole array in, an array and a scalar out), the cell again as a single instance (the
     * same module: written once), and arrays computed from constants only (an {@code always @*}
     * that reads no signal would never run under Icarus).
     */
    static Design hier() {
        Design cell = new Design("h_cell");
        Node en = cell.input("en", 1);
        Node pp = cell.input("p", 8);
        Node seed = cell.input("seed", 8);
        Node st = cell.reg("st", Tag.SMTJ, 8, 0);
        Node sum = cell.op("sum", Tag.SMTJ, ADD, 8, 1, NONE, Ref.scalar(st), Ref.scalar(pp));
        cell.connect(st, Ref.scalar(cell.op("nx", Tag.SMTJ, XOR, 8, 1, NONE, Ref.scalar(sum), Ref.scalar(seed))), Ref.scalar(en));
        cell.output("q", st);
        cell.output("pass", cell.op("inv", Tag.SMTJ, NOT, 8, 1, NONE, Ref.scalar(pp)));
        cell.probe("samples", en);

        Design vec = new Design("h_vec");
        Node a = vec.input("a", 8, 4);
        Node k4 = vec.constArray("k4", Tag.STREAM, 8, words(8, 1, 2, 3, 4));
        Node s = arr(vec, "s", ADD, 8, 4, NONE, Ref.same(a), Ref.same(k4));
        Node acc = vec.reg("acc", Tag.ACCUMULATOR, 8, 4, Bits.of(8, 0));
        vec.connect(acc, Ref.same(arr(vec, "acc_nx", XOR, 8, 4, NONE, Ref.same(acc), Ref.same(s))), null);
        vec.output("s_out", s);
        vec.output("acc_out", acc);
        vec.output("tot", vec.op("tot", Tag.ACCUMULATOR, POPCOUNT, 6, 1, NONE, Ref.scalar(vec.op("pk", Tag.ACCUMULATOR, PACK, 32, 1, NONE, Ref.array(a)))));

        Design d = new Design("h_top");
        Node e = d.input("e", 1);
        Node x = d.input("x", 8);
        Node sel = d.input("sel", 2);
        Node offs = d.constArray("offs", Tag.STREAM, 8, words(8, 0, 17, 34, 51));
        Node px = arr(d, "px", ADD, 8, 4, NONE, Ref.scalar(x), Ref.same(offs));
        Node seeds = d.constArray("seeds", Tag.SMTJ, 8, words(8, 5, 6, 7, 8));
        Instance cells = d.instance("cells", cell, 4, Map.of("en", Ref.scalar(e), "p", Ref.same(px), "seed", Ref.same(seeds)));
        Instance v = d.instance("v", vec, 1, Map.of("a", Ref.array(cells.out("q"))));
        Instance c2 = d.instance("c2", cell, 1, Map.of("en", Ref.scalar(e), "p", Ref.elem(v.out("s_out"), 2), "seed", Ref.elem(seeds, 1)));
        // constants only: an array sum of two constant arrays, and a PACK of it
        Node cc = arr(d, "cc", ADD, 8, 4, NONE, Ref.same(offs), Ref.same(d.constArray("cc2", Tag.STREAM, 8, words(8, 9, 8, 7, 6))));
        Node ccx = arr(d, "ccx", XOR, 8, 4, NONE, Ref.same(cc), Ref.scalar(d.constant("ck", Tag.STREAM, 8, 0x5a)));
        d.output("o_cc", d.op("o_cc", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(ccx), Ref.scalar(sel)));
        d.output("o_ccpk", d.op("o_ccpk", Tag.CONTROL, PACK, 32, 1, NONE, Ref.array(cc)));
        d.output("o_s", d.op("o_s", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(v.out("s_out")), Ref.scalar(sel)));
        d.output("o_acc", d.op("o_acc", Tag.CONTROL, PACK, 32, 1, NONE, Ref.array(v.out("acc_out"))));
        d.output("o_tot", v.out("tot"));
        d.output("o_c2", c2.out("q"));
        d.output("o_c2p", c2.out("pass"));
        d.output("o_pass", d.op("o_pass", Tag.CONTROL, ARRAY_GET, 8, 1, NONE, Ref.array(cells.out("pass")), Ref.scalar(sel)));
        return d;
    }

    /**
     * One layer of the size of the real network: {@code neurons} neurons of {@code inputs} synapses,
     * weight codes ({@code cw} bits per synapse) in a ROM of neurons x (inputs*cw) bits, BITSEL from a
     * bank of 2^cw level streams, AND with the input bits, POPCOUNT, and an accumulator per neuron.
     */
    static Design big(int neurons, int inputs, int cw) {
        Design d = new Design("big");
        Node xin = d.input("xin", inputs);
        Node idx = d.input("idx", 8);
        Node seed = d.input("seed", 16);
        Node xs = d.reg("xs", Tag.STREAM, inputs, 0);
        d.connect(xs, Ref.of(xin), null);
        Node lv = d.reg("lv", Tag.SMTJ, 16, 1);
        Node lvs = d.op("lvs", Tag.SMTJ, SHL, 16, 1, p(1), Ref.of(lv));
        d.connect(lv, Ref.of(d.op("lvn", Tag.SMTJ, XOR, 16, 1, NONE, Ref.of(lvs), Ref.of(seed))), null);
        int bank = 1 << cw;
        Node bankv = d.op("bank", Tag.STREAM, SLICE, bank, 1, p(0), Ref.of(lv));
        Random rnd = new Random(5);
        Bits[] codes = new Bits[neurons];
        for (int g = 0; g < neurons; g++) codes[g] = Bits.of(inputs * cw, new BigInteger(inputs * cw, rnd));
        Node wrom = d.constArray("wcodes", Tag.MEMORY, inputs * cw, codes);
        Node sel = d.op("sel", Tag.STREAM, BITSEL, inputs, neurons, p(cw), Ref.scalar(bankv), Ref.same(wrom));
        Node and = d.op("prod", Tag.MULTIPLIER, AND, inputs, neurons, NONE, Ref.same(sel), Ref.scalar(xs));
        int pw = 32 - Integer.numberOfLeadingZeros(inputs);
        Node pc = d.op("pc", Tag.ACCUMULATOR, POPCOUNT, pw, neurons, NONE, Ref.same(and));
        Node pcz = d.op("pcz", Tag.ACCUMULATOR, ZEXT, 16, neurons, NONE, Ref.same(pc));
        Node acc = d.reg("acc", Tag.ACCUMULATOR, 16, neurons, Bits.of(16, 0));
        d.connect(acc, Ref.same(d.op("accn", Tag.ACCUMULATOR, ADD, 16, neurons, NONE, Ref.same(acc), Ref.same(pcz))), null);
        d.output("acc_out", d.op("acc_get", Tag.CONTROL, ARRAY_GET, 16, 1, NONE, Ref.array(acc), Ref.of(idx)));
        d.output("pc_out", d.op("pc_get", Tag.CONTROL, ARRAY_GET, pw, 1, NONE, Ref.array(pc), Ref.of(idx)));
        return d;
    }

    /**
     * The weight cones of a sign-magnitude layer, small: {@code neurons} popcounts over
     * {@code inputs}-bit vectors of the form {@code x & (m1 & {w{b}} | m2) & ~(sgn ^ xneg)} with
     * constant masks (one neuron with all weights zero, one whose masks select every input), an
     * always-one mask OR-ed in for some neurons, a scalar popcount of one fixed element, and an
     * accumulator per neuron: the shapes {@link MaskedPopcounts} folds.
     */
    static Design maskedLayer(int neurons, int inputs) {
        Design d = new Design("mlay");
        Node x = d.input("x", inputs);
        Node xn = d.input("xneg", inputs);
        Node b = d.input("b", 1);
        Node sel = d.input("sel", 4);
        Random rnd = new Random(11);
        Bits[] m1 = new Bits[neurons], m2 = new Bits[neurons], sg = new Bits[neurons], on = new Bits[neurons];
        for (int g = 0; g < neurons; g++) {
            int gg = g;
            m1[g] = g == 0 ? Bits.zero(inputs) : g == 1 ? Bits.fromBits(inputs, i -> true) : Bits.of(inputs, new BigInteger(inputs, rnd));
            Bits a = m1[g];
            m2[g] = g == 0 ? Bits.zero(inputs) : Bits.fromBits(inputs, i -> !a.bit(i) && rnd.nextBoolean());
            sg[g] = Bits.of(inputs, new BigInteger(inputs, rnd));
            on[g] = Bits.fromBits(inputs, i -> gg % 3 == 2 && i % 7 == 0);
        }
        Tag m = Tag.MULTIPLIER;
        Node c1 = d.constArray("wm1", Tag.MEMORY, inputs, m1), c2 = d.constArray("wm2", Tag.MEMORY, inputs, m2);
        Node cs = d.constArray("wsg", Tag.MEMORY, inputs, sg), co = d.constArray("won", Tag.MEMORY, inputs, on);
        Node bank = d.op("wbank", Tag.STREAM, SEXT, inputs, 1, NONE, Ref.of(b));
        Node term = d.op("wterm", Tag.STREAM, AND, inputs, neurons, NONE, Ref.same(c1), Ref.scalar(bank));
        Node ws = d.op("wsum", Tag.STREAM, OR, inputs, neurons, NONE, Ref.same(term), Ref.same(c2));
        Node prod = d.op("prod", m, AND, inputs, neurons, NONE, Ref.scalar(x), Ref.same(d.op("wz", Tag.STREAM, ZEXT, inputs, neurons, NONE, Ref.same(ws))));
        Node neg = d.op("neg", m, XOR, inputs, neurons, NONE, Ref.same(cs), Ref.scalar(xn));
        Node up = d.op("up", m, OR, inputs, neurons, NONE, Ref.same(d.op("upp", m, AND, inputs, neurons, NONE, Ref.same(prod),
                Ref.same(d.op("pos", m, NOT, inputs, neurons, NONE, Ref.same(neg))))), Ref.same(co));
        Node dn = d.op("dn", m, AND, inputs, neurons, NONE, Ref.same(prod), Ref.same(neg));
        int pw = 32 - Integer.numberOfLeadingZeros(inputs);
        Node pu = d.op("pc_up", Tag.ACCUMULATOR, POPCOUNT, pw, neurons, NONE, Ref.same(up));
        Node pd = d.op("pc_dn", Tag.ACCUMULATOR, POPCOUNT, pw - 2, neurons, NONE, Ref.same(dn)); // modulo 2^(pw-2): wraps
        Node one = d.op("pc_one", Tag.ACCUMULATOR, POPCOUNT, pw, 1, NONE, Ref.elem(dn, 3));
        Node du = d.op("du", Tag.ACCUMULATOR, ZEXT, 16, neurons, NONE, Ref.same(pu));
        Node dd = d.op("dd", Tag.ACCUMULATOR, ZEXT, 16, neurons, NONE, Ref.same(pd));
        Node acc = d.reg("acc", Tag.ACCUMULATOR, 16, neurons, Bits.of(16, 0));
        d.connect(acc, Ref.same(d.op("accn", Tag.ACCUMULATOR, ADD, 16, neurons, NONE, Ref.same(acc),
                Ref.same(d.op("dl", Tag.ACCUMULATOR, SUB, 16, neurons, NONE, Ref.same(du), Ref.same(dd))))), null);
        d.output("acc_out", d.op("acc_get", Tag.CONTROL, ARRAY_GET, 16, 1, NONE, Ref.array(acc), Ref.of(sel)));
        d.output("up_out", d.op("up_get", Tag.CONTROL, ARRAY_GET, pw, 1, NONE, Ref.array(pu), Ref.of(sel)));
        d.output("dn_out", d.op("dn_get", Tag.CONTROL, ARRAY_GET, pw - 2, 1, NONE, Ref.array(pd), Ref.of(sel)));
        d.output("one_out", one);
        return d;
    }

    /**
     * The reads of a folded layer, small: a weight-mask ROM of {@code rows x phases} words read by
     * every neuron at {@code wbase[j] + phase} (the last neuron's rows run past the ROM's end: 0),
     * inputs selected at {@code q[i] + phase} (some past the vector's end: 0), a read whose index
     * depends on two signals (the phase and a 1-bit register, {@code {phase, r} - base}), a ROM
     * also read at a constant index (so it stays), and popcounts of the selected, masked bits (one
     * of 40 bits, modulo 8): the shapes {@link NarrowIndexReads} enumerates for Yosys, and a popcount
     * array that is not folded over constant masks.
     */
    static Design foldedReads() {
        Design d = new Design("fold");
        final int neurons = 6, phases = 4, p = 10, in = 37;
        Node ph = d.input("ph", 2);
        Node x = d.input("x", in);
        Node t = d.input("t", 1);
        Random rnd = new Random(5);
        Bits[] rom = new Bits[neurons * phases - 2];
        for (int w = 0; w < rom.length; w++) rom[w] = Bits.of(p, new BigInteger(p, rnd));
        Node m = d.constArray("wrom", Tag.MEMORY, p, rom);
        Bits[] base = new Bits[neurons];
        for (int j = 0; j < neurons; j++) base[j] = Bits.of(5, (long) j * phases);
        Node grp = d.op("grp", Tag.CONTROL, ZEXT, 5, 1, NONE, Ref.of(ph));
        Node addr = d.op("addr", Tag.CONTROL, ADD, 5, neurons, NONE, Ref.same(d.constArray("wbase", Tag.CONTROL, 5, base)), Ref.scalar(grp));
        Node row = d.op("row", Tag.MEMORY, ARRAY_GET, p, neurons, NONE, Ref.array(m), Ref.same(addr));
        Bits[] qs = new Bits[p];
        for (int q = 0; q < p; q++) qs[q] = Bits.of(6, (long) q * phases);
        Node xidx = d.op("xidx", Tag.STREAM, ADD, 6, p, NONE, Ref.same(d.constArray("qs", Tag.STREAM, 6, qs)),
                Ref.scalar(d.op("grp_i", Tag.CONTROL, ZEXT, 6, 1, NONE, Ref.of(ph))));
        Node xsel = d.op("xsel", Tag.STREAM, INDEX, 1, p, NONE, Ref.scalar(x), Ref.same(xidx));
        Node xv = d.op("xv", Tag.STREAM, PACK, p, 1, NONE, Ref.array(xsel));
        Node prod = d.op("prod", Tag.MULTIPLIER, AND, p, neurons, NONE, Ref.same(row), Ref.scalar(xv));
        Node pc = d.op("pc", Tag.ACCUMULATOR, POPCOUNT, 4, neurons, NONE, Ref.same(prod));
        d.output("pc_all", d.op("pc_all", Tag.CONTROL, PACK, 4 * neurons, 1, NONE, Ref.array(pc)));
        d.output("rows", d.op("rows", Tag.CONTROL, PACK, p * neurons, 1, NONE, Ref.array(row)));
        // a popcount of 40 bits, not over constant masks, modulo 8 (Yosys: a popcount module of 48 inputs per element)
        Node wide = d.op("wide", Tag.MULTIPLIER, CONCAT, 4 * p, neurons, NONE, Ref.same(row), Ref.same(prod), Ref.scalar(xv), Ref.same(row));
        Node pcw = d.op("pcw", Tag.ACCUMULATOR, POPCOUNT, 3, neurons, NONE, Ref.same(wide));
        d.output("pcw_all", d.op("pcw_all", Tag.CONTROL, PACK, 3 * neurons, 1, NONE, Ref.array(pcw)));
        // two leaves: {ph, r} - base2 (wraps below 0: out of range), r a register toggled by t
        Node r = d.reg("r", Tag.CONTROL, 1, 0);
        d.connect(r, Ref.of(d.op("rn", Tag.CONTROL, XOR, 1, 1, NONE, Ref.of(r), Ref.of(t))), null);
        Bits[] c16 = new Bits[8];
        for (int w = 0; w < c16.length; w++) c16[w] = Bits.of(16, new BigInteger(16, rnd));
        Node rom2 = d.constArray("rom2", Tag.MEMORY, 16, c16);
        Node base2 = d.constArray("base2", Tag.CONTROL, 3, words(3, 0, 1, 2));
        Node a2 = d.op("a2", Tag.CONTROL, SUB, 3, 3, NONE,
                Ref.scalar(d.op("pr", Tag.CONTROL, CONCAT, 3, 1, NONE, Ref.of(ph), Ref.of(r))), Ref.same(base2));
        Node g2 = d.op("g2", Tag.MEMORY, ARRAY_GET, 16, 3, NONE, Ref.array(rom2), Ref.same(a2));
        d.output("g2_all", d.op("g2_all", Tag.CONTROL, PACK, 48, 1, NONE, Ref.array(g2)));
        d.output("rom2_5", d.op("rom2_5", Tag.CONTROL, ARRAY_GET, 16, 1, NONE, Ref.array(rom2), Ref.of(d.constant("five", Tag.CONTROL, 3, 5))));
        return d;
    }
}
