package scnn.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The machine's execution loops are the ones generated from the instructions' definitions. */
class LoopsGenTest {
    @Test
    void machineHoldsTheGeneratedLoops() throws Exception {
        Path file = Path.of("src/main/java/scnn/sim/engine/Machine.java");
        String s = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(LoopsGen.replaceRegion(s), s,
                "Machine.java's generated region is out of date: run java -cp sim/target/test-classes:sim/target/classes scnn.sim.engine.LoopsGen " + file);
    }

    @Test
    void everyFixedInstructionHasItsLoops() {
        String g = LoopsGen.generate();
        for (Instr op : Instr.ALL) {
            if (!op.fixed()) continue;
            assertEquals(op.writes, op.semantics.length, op + ": one expression per write");
            assertTrue(g.contains("                case " + op + " -> {\n"), op + " in exec and repeat");
            assertTrue(g.contains("private long " + LoopsGen.repName(op) + "(int[] c, int q, int copies)"), op + " pattern loop");
        }
        // one carry-save step, in both popcount kernels
        assertEquals(2, g.split("sixteen inputs through carry-save adders", -1).length - 1);
    }
}
