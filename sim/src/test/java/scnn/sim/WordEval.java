package scnn.sim;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Ref;

/**
 * A deliberately naive word-level interpreter of the IR (BigInteger per element), written straight
 * from the semantics in {@code scnn.ir}'s documentation. Tests compare the bit-sliced engine with it.
 */
final class WordEval {
    private final Design d;
    private final List<Node> order;
    final Map<Node, BigInteger[]> val = new HashMap<>();

    WordEval(Design d) {
        this.d = d;
        this.order = d.validate();
        for (Node n : d.nodes()) {
            BigInteger[] v = new BigInteger[n.count()];
            for (int g = 0; g < n.count(); g++)
                v[g] = n.op() == Op.CONST || n.op() == Op.REG ? n.data(g).toBigInteger() : BigInteger.ZERO;
            val.put(n, v);
        }
    }

    void set(Node input, long v) {
        val.get(input)[0] = mask(BigInteger.valueOf(v), input.width());
    }

    BigInteger get(Node n, int g) {
        return val.get(n)[g];
    }

    private static BigInteger mask(BigInteger v, int w) {
        return v.and(BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE));
    }

    private static BigInteger signed(BigInteger v, int w) {
        return v.testBit(w - 1) ? v.subtract(BigInteger.ONE.shiftLeft(w)) : v;
    }

    private BigInteger arg(Node n, int i, int g) {
        Ref r = n.arg(i);
        return val.get(r.node())[r.element(g)];
    }

    void eval() {
        for (Node n : order) {
            BigInteger[] out = val.get(n);
            for (int g = 0; g < n.count(); g++) out[g] = mask(element(n, g), n.width());
        }
    }

    void step() {
        eval();
        Map<Node, BigInteger[]> next = new HashMap<>();
        for (Node n : d.nodes()) {
            if (n.op() == Op.REG) {
                BigInteger[] nv = val.get(n).clone();
                for (int g = 0; g < n.count(); g++) {
                    boolean en = n.enable() == null || val.get(n.enable().node())[n.enable().element(g)].testBit(0);
                    if (en) nv[g] = val.get(n.next().node())[n.next().element(g)];
                }
                next.put(n, nv);
            } else if (n.op() == Op.RAM) {
                BigInteger[] nv = val.get(n).clone();
                if (arg(n, 0, 0).testBit(0)) {
                    BigInteger a = arg(n, 1, 0);
                    if (a.compareTo(BigInteger.valueOf(n.count())) < 0) nv[a.intValue()] = arg(n, 2, 0);
                }
                next.put(n, nv);
            }
        }
        val.putAll(next);
    }

    private BigInteger element(Node n, int g) {
        int w = n.width();
        switch (n.op()) {
            case NOT: return arg(n, 0, g).not();
            case AND: return arg(n, 0, g).and(arg(n, 1, g));
            case OR: return arg(n, 0, g).or(arg(n, 1, g));
            case XOR: return arg(n, 0, g).xor(arg(n, 1, g));
            case XNOR: return arg(n, 0, g).xor(arg(n, 1, g)).not();
            case ADD: return arg(n, 0, g).add(arg(n, 1, g));
            case SUB: return arg(n, 0, g).subtract(arg(n, 1, g));
            case MUL: return arg(n, 0, g).multiply(arg(n, 1, g));
            case SHL: return arg(n, 0, g).shiftLeft(n.param(0));
            case SHR: return arg(n, 0, g).shiftRight(n.param(0));
            case ASHR: return signed(arg(n, 0, g), w).shiftRight(n.param(0));
            case EQ: return arg(n, 0, g).equals(arg(n, 1, g)) ? BigInteger.ONE : BigInteger.ZERO;
            case NE: return arg(n, 0, g).equals(arg(n, 1, g)) ? BigInteger.ZERO : BigInteger.ONE;
            case LTU: return arg(n, 0, g).compareTo(arg(n, 1, g)) < 0 ? BigInteger.ONE : BigInteger.ZERO;
            case LTS: {
                int aw = n.arg(0).width();
                return signed(arg(n, 0, g), aw).compareTo(signed(arg(n, 1, g), aw)) < 0 ? BigInteger.ONE : BigInteger.ZERO;
            }
            case MUX: return arg(n, 0, g).testBit(0) ? arg(n, 2, g) : arg(n, 1, g);
            case CONCAT: {
                BigInteger v = BigInteger.ZERO;
                for (int i = 0; i < n.arity(); i++) v = v.shiftLeft(n.arg(i).width()).or(arg(n, i, g));
                return v;
            }
            case SLICE: return arg(n, 0, g).shiftRight(n.param(0));
            case ZEXT: return arg(n, 0, g);
            case SEXT: return signed(arg(n, 0, g), n.arg(0).width());
            case RED_OR: return arg(n, 0, g).signum() != 0 ? BigInteger.ONE : BigInteger.ZERO;
            case RED_AND: return arg(n, 0, g).equals(BigInteger.ONE.shiftLeft(n.arg(0).width()).subtract(BigInteger.ONE)) ? BigInteger.ONE : BigInteger.ZERO;
            case RED_XOR: return BigInteger.valueOf(arg(n, 0, g).bitCount() & 1);
            case POPCOUNT: return BigInteger.valueOf(arg(n, 0, g).bitCount());
            case PACK: {
                Node a = n.arg(0).node();
                BigInteger v = BigInteger.ZERO;
                for (int e = a.count() - 1; e >= 0; e--) v = v.shiftLeft(a.width()).or(val.get(a)[e]);
                return v;
            }
            case INDEX: {
                BigInteger idx = arg(n, 1, g);
                return idx.compareTo(BigInteger.valueOf(n.arg(0).width())) < 0 && arg(n, 0, g).testBit(idx.intValue()) ? BigInteger.ONE : BigInteger.ZERO;
            }
            case BITSEL: {
                int cw = n.param(0);
                BigInteger bank = arg(n, 0, g), codes = arg(n, 1, g), v = BigInteger.ZERO;
                for (int j = 0; j < w; j++) {
                    int c = codes.shiftRight(j * cw).intValue() & ((1 << cw) - 1);
                    if (c < n.arg(0).width() && bank.testBit(c)) v = v.setBit(j);
                }
                return v;
            }
            case ARRAY_GET: {
                Node a = n.arg(0).node();
                BigInteger idx = arg(n, 1, g);
                return idx.compareTo(BigInteger.valueOf(a.count())) < 0 ? val.get(a)[idx.intValue()] : BigInteger.ZERO;
            }
            default: throw new IllegalStateException(n.toString());
        }
    }
}
