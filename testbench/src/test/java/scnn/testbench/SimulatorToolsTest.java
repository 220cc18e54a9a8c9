package scnn.testbench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import scnn.generator.tools.Tools;
import scnn.testbench.verilog.Simulator;

/** The tools of every simulator that cosim runs are in the one install list (so CI installs them). */
class SimulatorToolsTest {
    @Test
    void everySimulatorsToolsAreInTheInstallList() {
        for (Simulator s : Simulator.values())
            assertTrue(Tools.installList().keySet().containsAll(List.of(s.tools())), s + ": " + List.of(s.tools()));
    }
}
