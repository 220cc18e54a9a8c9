package scnn.generator.verilog;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;

/**
 * A deliberately naive, independent reading of the IR semantics (package-info and Op javadoc) with
 * BigInteger values, used to check the emitted Verilog under Icarus and Verilator. An unknown value
 * (registers before the first reset, RAM words before their first write) is null and makes every
 * result that reads it unknown; outputs that are unknown here are not compared.
 */
final class RefEval {
    private final Design d;
    private final List<Node> order;
    private final BigInteger[][] v;

    RefEval(Design d) {
        this.d = d;
        this.order = d.validate();
        v = new BigInteger[d.nodes().size()][];
        for (Node n : d.nodes()) {
            v[n.id()] = new BigInteger[n.count()];
            if (n.op() == Op.CONST)
                for (int g = 0; g < n.count(); g++) v[n.id()][g] = n.data(g).toBigInteger();
        }
    }

    static BigInteger mask(int w) {
        return BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE);
    }

    static BigInteger signed(BigInteger a, int w) {
        return a.testBit(w - 1) ? a.subtract(BigInteger.ONE.shiftLeft(w)) : a;
    }

    private BigInteger get(Ref r, int g) {
        Node n = r.node();
        int e = n.count() == 1 ? 0 : r.element(g);
        return v[n.id()][e];
    }

    /** Applies the inputs, returns the outputs seen before the clock edge, then clocks (with rst). */
    Map<String, BigInteger> step(Map<String, BigInteger> inputs, boolean rst) {
        for (Node in : d.inputs()) {
            BigInteger x = inputs.get(in.name());
            v[in.id()][0] = x == null ? null : x.and(mask(in.width()));
        }
        for (Node n : order)
            for (int g = 0; g < n.count(); g++) v[n.id()][g] = comb(n, g);
        Map<String, BigInteger> out = new LinkedHashMap<>();
        for (Map.Entry<String, Ref> e : d.outputs().entrySet()) out.put(e.getKey(), get(e.getValue(), 0));
        // clock edge: compute every next state from the pre-edge values, then commit
        BigInteger[][] next = new BigInteger[v.length][];
        for (Node n : d.nodes()) {
            if (n.op() == Op.REG) {
                BigInteger[] nx = new BigInteger[n.count()];
                for (int g = 0; g < n.count(); g++) {
                    if (rst) {
                        nx[g] = n.data(g).toBigInteger();
                        continue;
                    }
                    BigInteger en = n.enable() == null ? BigInteger.ONE : get(n.enable(), g);
                    if (en == null) nx[g] = null;
                    else nx[g] = en.signum() != 0 ? get(n.next(), g) : v[n.id()][g];
                }
                next[n.id()] = nx;
            } else if (n.op() == Op.RAM) {
                BigInteger[] nx = v[n.id()].clone();
                BigInteger we = get(n.arg(0), 0), wa = get(n.arg(1), 0);
                if (we == null || wa == null) java.util.Arrays.fill(nx, null);
                else if (we.signum() != 0 && wa.compareTo(BigInteger.valueOf(n.count())) < 0)
                    nx[wa.intValueExact()] = get(n.arg(2), 0);
                next[n.id()] = nx;
            }
        }
        for (Node n : d.nodes()) if (next[n.id()] != null) v[n.id()] = next[n.id()];
        return out;
    }

    private BigInteger comb(Node n, int g) {
        int w = n.width();
        BigInteger m = mask(w);
        BigInteger[] a = new BigInteger[n.arity()];
        for (int i = 0; i < n.arity(); i++) {
            Ref r = n.arg(i);
            if (r.mode() == Ref.Mode.ARRAY) continue;
            a[i] = get(r, g);
            if (a[i] == null) return null;
        }
        switch (n.op()) {
            case NOT: return a[0].not().and(m);
            case AND: return a[0].and(a[1]);
            case OR: return a[0].or(a[1]);
            case XOR: return a[0].xor(a[1]);
            case XNOR: return a[0].xor(a[1]).not().and(m);
            case ADD: return a[0].add(a[1]).and(m);
            case SUB: return a[0].subtract(a[1]).and(m);
            case MUL: return a[0].multiply(a[1]).and(m);
            case SHL: return a[0].shiftLeft(n.param(0)).and(m);
            case SHR: return a[0].shiftRight(n.param(0));
            case ASHR: return signed(a[0], w).shiftRight(n.param(0)).and(m);
            case EQ: return bool(a[0].equals(a[1]));
            case NE: return bool(!a[0].equals(a[1]));
            case LTU: return bool(a[0].compareTo(a[1]) < 0);
            case LTS: {
                int ow = n.arg(0).width();
                return bool(signed(a[0], ow).compareTo(signed(a[1], ow)) < 0);
            }
            case MUX: return a[0].signum() != 0 ? a[2] : a[1];
            case CONCAT: {
                BigInteger acc = BigInteger.ZERO;
                for (int i = 0; i < a.length; i++) acc = acc.shiftLeft(n.arg(i).width()).or(a[i]);
                return acc;
            }
            case SLICE: return a[0].shiftRight(n.param(0)).and(m);
            case ZEXT: return a[0].and(m);
            case SEXT: return signed(a[0], n.arg(0).width()).and(m);
            case RED_OR: return bool(a[0].signum() != 0);
            case RED_AND: return bool(a[0].equals(mask(n.arg(0).width())));
            case RED_XOR: return bool(a[0].bitCount() % 2 == 1);
            case POPCOUNT: return BigInteger.valueOf(a[0].bitCount()).and(m);
            case PACK: {
                Node arr = n.arg(0).node();
                BigInteger acc = BigInteger.ZERO;
                for (int e = arr.count() - 1; e >= 0; e--) {
                    BigInteger x = v[arr.id()][e];
                    if (x == null) return null;
                    acc = acc.shiftLeft(arr.width()).or(x);
                }
                return acc;
            }
            case INDEX: {
                int b = n.arg(0).width();
                return a[1].compareTo(BigInteger.valueOf(b)) < 0 ? bool(a[0].testBit(a[1].intValueExact())) : BigInteger.ZERO;
            }
            case BITSEL: {
                int cw = n.param(0), b = n.arg(0).width();
                BigInteger r = BigInteger.ZERO;
                for (int j = 0; j < w; j++) {
                    int code = a[1].shiftRight(j * cw).and(mask(cw)).intValueExact();
                    if (code < b && a[0].testBit(code)) r = r.setBit(j);
                }
                return r;
            }
            case ARRAY_GET: {
                Node arr = n.arg(0).node();
                if (a[1].compareTo(BigInteger.valueOf(arr.count())) >= 0) return BigInteger.ZERO;
                return v[arr.id()][a[1].intValueExact()];
            }
            default: throw new IllegalStateException(n.op() + " is not combinational");
        }
    }

    private static BigInteger bool(boolean b) {
        return b ? BigInteger.ONE : BigInteger.ZERO;
    }

    static Bits bits(int w, BigInteger x) {
        return Bits.of(w, x);
    }
}
