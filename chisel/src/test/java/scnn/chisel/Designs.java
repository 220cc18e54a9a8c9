package scnn.chisel;

import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;
import scnn.ir.Tag;

/** Hand-made IR designs for the backend tests. */
final class Designs {
    private Designs() {}

    /**
     * Every operation and operand mode of the IR (the design of the simulator's
     * {@code EngineTest.everyOperationMatchesTheWordLevelSemantics}), with a few more outputs so
     * that every node reaches a port.
     */
    static Design everyOp() {
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
        Node rand = d.op("red_and", T, Op.RED_AND, 1, 3, new int[0], Ref.of(r));
        Node rxor = d.op("rxor", T, Op.RED_XOR, 1, 1, new int[0], Ref.of(mul));
        Node pc = d.op("pc", T, Op.POPCOUNT, 4, 1, new int[0], Ref.of(cat));
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
        d.output("o3", index);
        d.output("o4", bs);
        d.output("o5", ror);
        d.output("o6", ne);
        d.output("o7", d.op("r0", T, Op.ZEXT, 1, 1, new int[0], Ref.elem(rand, 0)));
        // more observation points: every register element and a few edge cases
        d.output("r_all", pack);
        d.output("cat_o", cat);
        d.output("pc_wide", d.op("pcw", T, Op.POPCOUNT, 7, 1, new int[0], Ref.of(cat)));
        d.output("pc_narrow", d.op("pcn", T, Op.POPCOUNT, 2, 1, new int[0], Ref.of(cat)));
        d.output("lts1", d.op("lts1", T, Op.LTS, 1, 1, new int[0], Ref.of(s), Ref.of(eq)));
        d.output("shl_big", d.op("shl_big", T, Op.SHL, 8, 1, new int[] {9}, Ref.of(a)));
        d.output("shr_big", d.op("shr_big", T, Op.SHR, 8, 1, new int[] {8}, Ref.of(a)));
        d.output("ashr_big", d.op("ashr_big", T, Op.ASHR, 8, 1, new int[] {12}, Ref.of(a)));
        d.output("sext_tr", d.op("sext_tr", T, Op.SEXT, 5, 1, new int[0], Ref.of(a)));
        d.output("mul_w", d.op("mul_w", T, Op.MUL, 12, 1, new int[0], Ref.of(sext), Ref.of(zext)));
        d.output("sub_o", d.op("sub_o", T, Op.ZEXT, 8, 1, new int[0], Ref.elem(sub, 2)));
        Node cc = d.constant("cc", T, 8, 0b11_10_01_00); // codes 0, 1, 2 and the out-of-range 3
        d.output("bsc", d.op("bsc", T, Op.BITSEL, 4, 1, new int[] {2}, Ref.of(bank), Ref.of(cc)));
        Node one = d.constArray("one", T, 8, new Bits[] {Bits.of(8, 99)});
        d.output("get1", d.op("get1", T, Op.ARRAY_GET, 8, 1, new int[0], Ref.array(one), Ref.of(d.op("i1", T, Op.SLICE, 1, 1, new int[] {0}, Ref.of(i)))));
        d.output("ramw", d.op("ramw", T, Op.ZEXT, 8, 1, new int[0], Ref.elem(ram, 3)));
        return d;
    }

    /**
     * Every element-wise operation on arrays (count 5), with array, scalar and fixed-element
     * operands and edge cases (shifts by the width or more, truncating extensions, 1-bit signed
     * compares, POPCOUNT wider and narrower than needed, out-of-range table and array indices),
     * for the bit-plane elaboration of arrays. Every array is observed through a PACK output.
     */
    static Design everyArrayOp() {
        Design d = new Design("aops");
        Node a = d.input("a", 8), b = d.input("b", 8), s = d.input("s", 1), i = d.input("i", 4);
        Tag T = Tag.CONTROL;
        int C = 5;
        Node ra = d.reg("ra", T, 8, C, Bits.of(8, 5), Bits.of(8, 250), Bits.of(8, 0), Bits.of(8, 128), Bits.of(8, 77));
        Node rb = d.reg("rb", T, 8, C, Bits.of(8, 3), Bits.of(8, 200), Bits.of(8, 255), Bits.of(8, 1), Bits.of(8, 64));
        Node rs = d.reg("rs", T, 1, C, Bits.of(1, 1), Bits.of(1, 0), Bits.of(1, 1), Bits.of(1, 1), Bits.of(1, 0));
        Node rom = d.constArray("tab", T, 8, new Bits[] {Bits.of(8, 17), Bits.of(8, 200), Bits.of(8, 129)});
        Node add = d.op("add", T, Op.ADD, 8, C, new int[0], Ref.of(ra), Ref.scalar(a));
        Node sub = d.op("sub", T, Op.SUB, 8, C, new int[0], Ref.of(ra), Ref.of(rb));
        Node mul = d.op("mul", T, Op.MUL, 8, C, new int[0], Ref.of(ra), Ref.of(rb));
        Node shl = d.op("shl", T, Op.SHL, 8, C, new int[] {3}, Ref.of(ra));
        Node shr = d.op("shr", T, Op.SHR, 8, C, new int[] {2}, Ref.of(rb));
        Node ashr = d.op("ashr", T, Op.ASHR, 8, C, new int[] {3}, Ref.of(rb));
        Node shlBig = d.op("shl_big", T, Op.SHL, 8, C, new int[] {9}, Ref.of(ra));
        Node shrBig = d.op("shr_big", T, Op.SHR, 8, C, new int[] {8}, Ref.of(ra));
        Node ashrBig = d.op("ashr_big", T, Op.ASHR, 8, C, new int[] {12}, Ref.of(rb));
        Node sext = d.op("sext", T, Op.SEXT, 12, C, new int[0], Ref.of(ashr));
        Node sextTr = d.op("sext_tr", T, Op.SEXT, 5, C, new int[0], Ref.of(ra));
        Node zext = d.op("zext", T, Op.ZEXT, 12, C, new int[0], Ref.of(shr));
        Node zextTr = d.op("zext_tr", T, Op.ZEXT, 3, C, new int[0], Ref.of(rb));
        Node cat = d.op("cat", T, Op.CONCAT, 24, C, new int[0], Ref.of(sext), Ref.of(zext));
        Node cat3 = d.op("cat3", T, Op.CONCAT, 10, C, new int[0], Ref.of(rs), Ref.scalar(b), Ref.of(rs));
        Node sl = d.op("sl", T, Op.SLICE, 7, C, new int[] {9}, Ref.of(cat));
        Node eq = d.op("eq", T, Op.EQ, 1, C, new int[0], Ref.of(ra), Ref.of(rb));
        Node ne = d.op("ne", T, Op.NE, 1, C, new int[0], Ref.of(ra), Ref.scalar(a));
        Node ltu = d.op("ltu", T, Op.LTU, 1, C, new int[0], Ref.of(ra), Ref.of(rb));
        Node lts = d.op("lts", T, Op.LTS, 1, C, new int[0], Ref.of(ra), Ref.elem(rb, 2));
        Node lts1 = d.op("lts1", T, Op.LTS, 1, C, new int[0], Ref.of(rs), Ref.of(eq));
        Node ltu1 = d.op("ltu1", T, Op.LTU, 1, C, new int[0], Ref.of(rs), Ref.of(ne));
        Node eq1 = d.op("eq1", T, Op.EQ, 1, C, new int[0], Ref.of(rs), Ref.scalar(s));
        Node ror = d.op("ror", T, Op.RED_OR, 1, C, new int[0], Ref.of(sl));
        Node rand = d.op("red_and", T, Op.RED_AND, 1, C, new int[0], Ref.of(zextTr));
        Node rxor = d.op("rxor", T, Op.RED_XOR, 1, C, new int[0], Ref.of(rb));
        Node pc = d.op("pc", T, Op.POPCOUNT, 4, C, new int[0], Ref.of(cat));
        Node pcw = d.op("pcw", T, Op.POPCOUNT, 7, C, new int[0], Ref.of(cat));
        Node pcn = d.op("pcn", T, Op.POPCOUNT, 2, C, new int[0], Ref.of(ra));
        Node pc1 = d.op("pc1", T, Op.POPCOUNT, 3, C, new int[0], Ref.of(rs));
        Node mx = d.op("mx", T, Op.MUX, 8, C, new int[0], Ref.of(lts), Ref.of(ra), Ref.of(rb));
        Node mxs = d.op("mxs", T, Op.MUX, 8, C, new int[0], Ref.scalar(s), Ref.of(ra), Ref.scalar(b));
        Node mxe = d.op("mxe", T, Op.MUX, 1, C, new int[0], Ref.elem(eq, 1), Ref.of(rs), Ref.of(ltu));
        Node not = d.op("nt", T, Op.NOT, 8, C, new int[0], Ref.of(mx));
        Node and = d.op("and1", T, Op.AND, 8, C, new int[0], Ref.of(not), Ref.scalar(a));
        Node or = d.op("or1", T, Op.OR, 8, C, new int[0], Ref.of(and), Ref.elem(ra, 4));
        Node xr = d.op("xr", T, Op.XOR, 8, C, new int[0], Ref.of(or), Ref.of(mxs));
        Node xn = d.op("xn", T, Op.XNOR, 8, C, new int[0], Ref.of(xr), Ref.of(add));
        Node ga = d.op("ga", T, Op.SLICE, 2, C, new int[] {0}, Ref.of(ra));
        Node get = d.op("get", T, Op.ARRAY_GET, 8, C, new int[0], Ref.array(rom), Ref.of(ga));
        Node gb = d.op("gb", T, Op.SLICE, 3, C, new int[] {5}, Ref.of(rb));
        Node getr = d.op("getr", T, Op.ARRAY_GET, 8, C, new int[0], Ref.array(ra), Ref.of(gb));
        Node ix = d.op("ix", T, Op.ZEXT, 5, C, new int[0], Ref.of(gb));
        Node index = d.op("index", T, Op.INDEX, 1, C, new int[0], Ref.of(cat), Ref.of(ix));
        Node codes = d.op("codes", T, Op.SLICE, 8, C, new int[] {0}, Ref.of(rb));
        Node bank = d.op("bank", T, Op.CONCAT, 3, 1, new int[0], Ref.scalar(s), Ref.elem(eq, 0), Ref.elem(rxor, 3));
        Node bs = d.op("bs", T, Op.BITSEL, 4, C, new int[] {2}, Ref.scalar(bank), Ref.of(codes));
        Node pk = d.op("pk", T, Op.PACK, 40, C, new int[0], Ref.array(ra));
        Node en = d.op("en", T, Op.OR, 1, C, new int[0], Ref.of(ltu1), Ref.scalar(s));
        Node wide = d.op("wide", T, Op.SEXT, 16, C, new int[0], Ref.of(rs));
        d.connect(ra, Ref.of(d.op("ra_next", T, Op.XOR, 8, C, new int[0], Ref.of(xn), Ref.of(get))), Ref.of(en));
        d.connect(rb, Ref.of(d.op("rb_next", T, Op.ADD, 8, C, new int[0], Ref.of(sub),
                Ref.of(d.op("pcx", T, Op.ZEXT, 8, C, new int[0], Ref.of(pcw))))), Ref.scalar(d.op("rb_en", T, Op.NOT, 1, 1, new int[0], Ref.scalar(s))));
        d.connect(rs, Ref.of(d.op("rs_next", T, Op.XOR, 1, C, new int[0], Ref.of(lts1), Ref.of(mxe))), null);
        Node[] observed = {add, sub, mul, shl, shr, ashr, shlBig, shrBig, ashrBig, sext, sextTr, zext, zextTr, cat, cat3, sl, eq, ne, ltu,
                lts, lts1, ltu1, eq1, ror, rand, rxor, pc, pcw, pcn, pc1, mx, mxs, mxe, not, and, or, xr, xn, get, getr, index, bs, pk, en,
                wide, ra, rb, rs};
        for (Node n : observed)
            d.output("o_" + n.name(), d.op("p_" + n.name(), T, Op.PACK, n.width() * n.count(), 1, new int[0], Ref.array(n)));
        d.output("o_i", d.op("i_sum", T, Op.ADD, 4, 1, new int[0], Ref.scalar(i), Ref.scalar(d.op("ra0", T, Op.SLICE, 4, 1, new int[] {0}, Ref.elem(ra, 0)))));
        return d;
    }

    /**
     * A purely combinational design with arrays (count 5) and every element-wise operation except
     * MUL: for a decisive SAT equivalence check (no state) of the two emitters' netlists. With
     * {@code mutant}, the signed comparison {@code lts} is an unsigned one (a design that must not be
     * equivalent).
     */
    static Design combArrayOps(boolean mutant) {
        Design d = new Design("cops");
        Node a = d.input("a", 8), b = d.input("b", 8), s = d.input("s", 1), i = d.input("i", 4);
        Tag T = Tag.CONTROL;
        int C = 5;
        Node ka = d.constArray("ka", T, 8, new Bits[] {Bits.of(8, 5), Bits.of(8, 250), Bits.of(8, 0), Bits.of(8, 128), Bits.of(8, 77)});
        Node kb = d.constArray("kb", T, 8, new Bits[] {Bits.of(8, 3), Bits.of(8, 200), Bits.of(8, 255), Bits.of(8, 1), Bits.of(8, 64)});
        Node ks = d.constArray("ks", T, 1, new Bits[] {Bits.of(1, 1), Bits.of(1, 0), Bits.of(1, 1), Bits.of(1, 1), Bits.of(1, 0)});
        Node ra = d.op("ra", T, Op.XOR, 8, C, new int[0], Ref.of(ka), Ref.scalar(a));
        Node rb = d.op("rb", T, Op.ADD, 8, C, new int[0], Ref.of(kb), Ref.scalar(b));
        Node rs = d.op("rs", T, Op.XOR, 1, C, new int[0], Ref.of(ks), Ref.scalar(s));
        Node rom = d.constArray("tab", T, 8, new Bits[] {Bits.of(8, 17), Bits.of(8, 200), Bits.of(8, 129)});
        Node add = d.op("add", T, Op.ADD, 8, C, new int[0], Ref.of(ra), Ref.scalar(a));
        Node sub = d.op("sub", T, Op.SUB, 8, C, new int[0], Ref.of(ra), Ref.of(rb));
        Node shl = d.op("shl", T, Op.SHL, 8, C, new int[] {3}, Ref.of(ra));
        Node shr = d.op("shr", T, Op.SHR, 8, C, new int[] {2}, Ref.of(rb));
        Node ashr = d.op("ashr", T, Op.ASHR, 8, C, new int[] {3}, Ref.of(rb));
        Node sext = d.op("sext", T, Op.SEXT, 12, C, new int[0], Ref.of(ashr));
        Node zext = d.op("zext", T, Op.ZEXT, 12, C, new int[0], Ref.of(shr));
        Node cat = d.op("cat", T, Op.CONCAT, 24, C, new int[0], Ref.of(sext), Ref.of(zext));
        Node sl = d.op("sl", T, Op.SLICE, 7, C, new int[] {9}, Ref.of(cat));
        Node eq = d.op("eq", T, Op.EQ, 1, C, new int[0], Ref.of(ra), Ref.of(rb));
        Node ne = d.op("ne", T, Op.NE, 1, C, new int[0], Ref.of(ra), Ref.scalar(a));
        Node ltu = d.op("ltu", T, Op.LTU, 1, C, new int[0], Ref.of(ra), Ref.of(rb));
        Node lts = d.op("lts", T, mutant ? Op.LTU : Op.LTS, 1, C, new int[0], Ref.of(ra), Ref.elem(rb, 2));
        Node lts1 = d.op("lts1", T, Op.LTS, 1, C, new int[0], Ref.of(rs), Ref.of(eq));
        Node ror = d.op("ror", T, Op.RED_OR, 1, C, new int[0], Ref.of(sl));
        Node rxor = d.op("rxor", T, Op.RED_XOR, 1, C, new int[0], Ref.of(rb));
        Node pc = d.op("pc", T, Op.POPCOUNT, 4, C, new int[0], Ref.of(cat));
        Node mx = d.op("mx", T, Op.MUX, 8, C, new int[0], Ref.of(lts), Ref.of(ra), Ref.of(rb));
        Node mxs = d.op("mxs", T, Op.MUX, 8, C, new int[0], Ref.scalar(s), Ref.of(ra), Ref.scalar(b));
        Node xn = d.op("xn", T, Op.XNOR, 8, C, new int[0], Ref.of(mx), Ref.of(mxs));
        Node nt = d.op("nt", T, Op.NOT, 8, C, new int[0], Ref.of(xn));
        Node ga = d.op("ga", T, Op.SLICE, 2, C, new int[] {0}, Ref.of(ra));
        Node get = d.op("get", T, Op.ARRAY_GET, 8, C, new int[0], Ref.array(rom), Ref.of(ga));
        Node gb = d.op("gb", T, Op.SLICE, 3, C, new int[] {5}, Ref.of(rb));
        Node getr = d.op("getr", T, Op.ARRAY_GET, 8, C, new int[0], Ref.array(ra), Ref.of(gb));
        Node ix = d.op("ix", T, Op.ZEXT, 5, C, new int[0], Ref.of(gb));
        Node index = d.op("index", T, Op.INDEX, 1, C, new int[0], Ref.of(cat), Ref.of(ix));
        Node[] observed = {add, sub, shl, cat, sl, eq, ne, ltu, lts, lts1, ror, rxor, pc, nt, get, getr, index};
        for (Node n : observed)
            d.output("o_" + n.name(), d.op("p_" + n.name(), T, Op.PACK, n.width() * n.count(), 1, new int[0], Ref.array(n)));
        d.output("o_g", d.op("g_s", T, Op.ARRAY_GET, 8, 1, new int[0], Ref.array(getr), Ref.scalar(i)));
        return d;
    }
}
