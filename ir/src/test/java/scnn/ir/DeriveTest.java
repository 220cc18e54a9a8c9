package scnn.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeriveTest {
    /** A cell: a register that adds its input. */
    static Design cell() {
        Design c = new Design("dv_cell");
        Node x = c.input("x", 4);
        Node q = c.reg("q", Tag.CONTROL, 4, 0);
        c.connect(q, Ref.of(c.op("q_next", Tag.CONTROL, Op.ADD, 4, 1, new int[0], Ref.of(q), Ref.of(x))), null);
        c.output("y", q);
        c.probe("smtj_samples", c.op("q_any", Tag.CONTROL, Op.RED_OR, 1, 1, new int[0], Ref.of(q)));
        return c.cell("dv");
    }

    /** A top: a 4-word RAM written from ports, read at constant addresses into an instance array; a second output from b. */
    static Design top(Design cell) {
        Design d = new Design("dv_top");
        Node we = d.input("we", 1), wa = d.input("wa", 2), wd = d.input("wd", 4), b = d.input("b", 4);
        Node mem = d.ram("mem", Tag.MEMORY, 4, 4, Ref.of(we), Ref.of(wa), Ref.of(wd));
        Node idx = d.constArray("idx", Tag.CONTROL, 2, new Bits[] {Bits.of(2, 3), Bits.of(2, 2), Bits.of(2, 1), Bits.of(2, 0)});
        Node rd = d.op("rd", Tag.MEMORY, Op.ARRAY_GET, 4, 4, new int[0], Ref.array(mem), Ref.of(idx));
        Instance ci = d.instance("cells", cell, 4, Map.of("x", Ref.of(rd)));
        d.output("sum", d.op("sum_pk", Tag.IO, Op.PACK, 16, 1, new int[0], Ref.array(ci.out("y"))));
        d.output("bb", d.op("b_inv", Tag.IO, Op.NOT, 4, 1, new int[0], Ref.of(b)));
        d.params().put("k", 1);
        return d;
    }

    @Test
    void memoryBecomesAnArrayInputAndDeadLogicGoes() {
        Design cell = cell();
        Design src = top(cell);
        Design d = Derive.derive(src, "dv_core", Map.of("mem", "pix"), Set.of("bb"));
        assertEquals("dv_core", d.name());
        assertEquals(List.of("pix"), d.inputs().stream().map(Node::name).toList(), "the write port and b are gone");
        assertEquals(4, d.node("pix").count());
        assertEquals(4, d.node("pix").width());
        assertEquals(Set.of("sum"), d.outputs().keySet());
        assertNull(d.node("b_inv"));
        assertSame(cell, d.instances().get(0).module(), "the same module object is instantiated");
        assertEquals(4, d.instances().get(0).count());
        assertEquals(1, d.params().get("k"));
        // instantiated with an array driving its new port, it flattens like any module
        Design w = new Design("dv_w");
        Node pr = w.reg("pr", Tag.MEMORY, 4, 4, Bits.of(4, 1), Bits.of(4, 2), Bits.of(4, 3), Bits.of(4, 4));
        w.connect(pr, Ref.of(pr), null);
        Instance core = w.instance("core", d, 1, Map.of("pix", Ref.array(pr)));
        w.output("s", core.out("sum"));
        Flatten.Flat f = Flatten.flatten(w);
        assertEquals(Tag.CONTROL, f.design().node("core_cells_q").tag());
        assertEquals(4, f.design().node("core_cells_q").count());
        assertEquals(1, f.probes().size());
        assertEquals(4, f.probes().get(0).elements());
    }

    @Test
    void nothingToReplaceKeepsEveryNode() {
        Design src = top(cell());
        Design d = Derive.derive(src, "dv_same", Map.of());
        assertEquals(src.nodes().stream().map(Node::name).toList(), d.nodes().stream().map(Node::name).toList());
        assertEquals(src.inputs().stream().map(Node::name).toList(), d.inputs().stream().map(Node::name).toList());
    }

    @Test
    void unknownNamesAreRejected() {
        Design src = top(cell());
        assertThrows(IllegalArgumentException.class, () -> Derive.derive(src, "x1", Map.of("nope", "p")));
        assertThrows(IllegalArgumentException.class, () -> Derive.derive(src, "x2", Map.of(), Set.of("nope")));
    }

    @Test
    void clockingAndPortOrderAreCheckedAndFingerprinted() {
        Design a = top(cell()), b = top(cell());
        assertEquals(a.fingerprint(), b.fingerprint());
        b.clocking("aclk", "aresetn", true);
        assertEquals("aclk", b.clockPort());
        assertEquals(true, b.resetActiveLow());
        assertEquals(false, a.fingerprint().equals(b.fingerprint()));
        b.portOrder(List.of("aclk", "aresetn", "we"));
        assertThrows(IllegalStateException.class, b::validate, "a port order must list every port");
        b.portOrder(List.of("bb", "sum", "aclk", "aresetn", "we", "wa", "wd", "b"));
        b.validate();
        assertThrows(IllegalArgumentException.class, () -> a.clocking("x", "x", false));
        Design c = top(cell());
        c.clocking("mem", "r", false);
        assertThrows(IllegalStateException.class, c::validate, "a clock port may not clash with a node");
        assertEquals("aclk", Flatten.flatten(b).design().clockPort(), "flattening keeps the port names");
    }
}
