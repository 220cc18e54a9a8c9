package scnn.ir;

/**
 * An operand: a node and how it is indexed by the element {@code g} of the node that uses it.
 *
 * @param node the operand node
 * @param mode how the element is chosen
 * @param elem the fixed element for {@link Mode#ELEM}
 */
public record Ref(Node node, Mode mode, int elem) {
    public enum Mode {
        /** Element {@code g} (the operand has the user's count). */
        SAME,
        /** The operand is a scalar (count 1), used by every element. */
        SCALAR,
        /** The fixed element {@code elem} of an array, used by every element. */
        ELEM,
        /** The whole array (for {@link Op#PACK} and the array of {@link Op#ARRAY_GET}). */
        ARRAY
    }

    /** Element {@code g} of {@code n} when {@code n} is an array, else the scalar {@code n}. */
    public static Ref of(Node n) {
        return new Ref(n, n.count() == 1 ? Mode.SCALAR : Mode.SAME, 0);
    }

    public static Ref same(Node n) {
        return new Ref(n, Mode.SAME, 0);
    }

    public static Ref scalar(Node n) {
        if (n.count() != 1) throw new IllegalArgumentException(n.name() + " is an array");
        return new Ref(n, Mode.SCALAR, 0);
    }

    public static Ref elem(Node n, int e) {
        if (e < 0 || e >= n.count()) throw new IllegalArgumentException(n.name() + "[" + e + "] out of range");
        return new Ref(n, Mode.ELEM, e);
    }

    public static Ref array(Node n) {
        return new Ref(n, Mode.ARRAY, 0);
    }

    /** The element of the operand that element {@code g} of the user reads (not for ARRAY). */
    public int element(int g) {
        return switch (mode) {
            case SAME -> g;
            case SCALAR -> 0;
            case ELEM -> elem;
            case ARRAY -> throw new IllegalStateException("whole-array operand has no single element");
        };
    }

    public int width() {
        return node.width();
    }
}
