package scnn.generator.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.ScnnException;
import scnn.generator.tools.Tools;

class LibertyTest {
    @TempDir
    Path tmp;

    static final String LIB = """
            /* a two-cell library */
            library(tiny) {
              time_unit : "1ns"; leakage_power_unit : "1nW"; capacitive_load_unit (1,ff); nom_voltage : 1.2;
              power_lut_template(e2) { variable_1 : input_transition_time; variable_2 : total_output_net_capacitance;
                index_1 ("1, 2"); index_2 ("1, 2"); }
              cell (INV) { area : 2.5; cell_leakage_power : 0.5;
                pin(A) { direction : input; capacitance : 3; }
                pin(Y) { direction : output; function : "!A";
                  internal_power() { related_pin : "A";
                    rise_power(e2) { index_1 ("0.1, 0.3"); index_2 ("10, 30"); values ("1, 2", \\
                                                                                  "3, 4"); }
                    fall_power(e2) { index_1 ("0.1, 0.3"); index_2 ("10, 30"); values ("1, 2", "3, 4"); } } } }
              cell (DFF) { area : 10; ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }
                pin(CK) { direction : input; clock : true; capacitance : 2; }
                pin(D) { direction : input; capacitance : 1; }
                pin(Q) { direction : output; function : "IQ"; } }
            }
            """;

    @Test
    void readsCellsPinsAndEnergyTables() throws IOException {
        Path f = tmp.resolve("tiny.lib");
        Files.writeString(f, LIB);
        Liberty l = Liberty.read(f);
        assertEquals("tiny", l.name());
        assertEquals(1.2, l.nominalVoltage());
        assertEquals(1e-3, l.capacitanceUnitPf(), 1e-15);
        assertEquals(1e-9, l.leakageUnitW(), 1e-24);
        assertEquals(2.5, l.cell("INV").area());
        assertFalse(l.cell("INV").sequential());
        assertTrue(l.cell("DFF").sequential());
        assertTrue(l.cell("DFF").pins().get("CK").clock());
        assertEquals(List.of("Q"), l.cell("DFF").outputs().stream().map(Liberty.Pin::name).toList());
        Liberty.EnergyTable t = l.cell("INV").energy().get(0);
        assertEquals("A", t.relatedPin());
        // variable_1 is the transition: the table is stored as [load][slew]
        // values rows follow index_1 (slew), columns index_2 (load)
        assertEquals(3.0, t.energy(10, 0.3), 1e-12);
        assertEquals(2.0, t.energy(30, 0.1), 1e-12);
        assertEquals(2.5, t.energy(20, 0.2), 1e-12); // bilinear in the middle
    }

    @Test
    void osu018HasTheCellsQflowNames() {
        Tools.need(Liberty.OSU018.toString());
        Liberty l = Liberty.read(Liberty.OSU018);
        assertEquals(96.0, l.cell("DFFPOSX1").area());
        assertEquals(16.0, l.cell("INVX1").area());
        assertTrue(l.cell("DFFPOSX1").sequential());
        assertEquals(1.8, l.nominalVoltage());
        // the DFF's Q energy table at its first index point is the library's first value
        Liberty.EnergyTable q = l.cell("DFFPOSX1").energy().stream().filter(e -> e.pin().equals("Q")).findFirst().orElseThrow();
        assertEquals(q.rise()[0][0] / 2 + q.fall()[0][0] / 2, q.energy(q.loadIndex()[0], q.slewIndex()[0]), 1e-12);
    }

    @Test
    void notALibraryIsAOneLineError() throws IOException {
        Path f = tmp.resolve("bad.lib");
        Files.writeString(f, "library(x) { cell (A) { area : 1; ");
        ScnnException e = assertThrows(ScnnException.class, () -> Liberty.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not a Liberty file"), e.getMessage());
        assertThrows(ScnnException.class, () -> Liberty.resolve(tmp.resolve("missing.lib").toString()));
    }
}
