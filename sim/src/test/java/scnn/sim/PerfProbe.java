package scnn.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;

class PerfProbe {
    @Test
    void runsAndCountsCycles() {
        MnistSet test = MnistFiles.defaultLocation(Path.of(System.getProperty("scnn.root", "..")).toAbsolutePath()).test();
        var net = TestNets.random(1, 5, 256, 10);
        ScDesign sd = ScBuilder.build(net, ScConfig.of(100), "t");
        InferenceRunner ir = new InferenceRunner(sd);
        System.out.println("slots " + ir.program().slotCount() + " instr " + ir.program().instructionCount() + " compile " + ir.compileSeconds());
        var prog = ir.program();
        java.util.Map<String,Integer> byNode = new java.util.TreeMap<>();
        for (int slot = 0; slot < prog.slotCount(); slot++) { int o = prog.slotOwner(slot); if (o>=0) byNode.merge(sd.design().nodes().get(o).op()+"/"+sd.design().nodes().get(o).tag(), 1, Integer::sum); }
        System.out.println(byNode);
        SimResult r = ir.run(test, 1024, 2, EnergyModel.DEFAULT, Progress.NONE);
        System.out.println(r.toJson(new com.fasterxml.jackson.databind.ObjectMapper(), false).toPrettyString());
        assertEquals(sd.cyclesPerInference(), r.cyclesPerInference);
    }
}
