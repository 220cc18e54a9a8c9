package scnn.chisel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import scnn.generator.tools.Tools;
import scnn.generator.verilog.RtlWriter;
import scnn.ir.Design;

/**
 * Formal equivalence of the two emitters' netlists with Yosys: the Java-emitted Verilog and the
 * Chisel-emitted SystemVerilog of a combinational design with arrays and every element-wise
 * operation but MUL ({@link Designs#combArrayOps(boolean)}), as a miter whose outputs SAT proves
 * equal for all inputs. The same check must fail when the Chisel side is built from a mutant.
 */
class YosysEquivalenceTest {

    /** Runs the miter proof of the Java Verilog of {@code gold} against the Chisel SystemVerilog of {@code gate}. */
    private static boolean equivalent(Design gold, Design gate, String name) throws IOException {
        Path dir = Path.of("target", "chisel-test", name).toAbsolutePath();
        Files.createDirectories(dir);
        ChiselBackend.Result res = ChiselBackend.emit(gate, dir.resolve("chisel"));
        RtlWriter.write(gold, dir.resolve("java"), null);
        Path jv = dir.resolve("java").resolve(gold.name() + ".v");
        String script = String.join("\n",
                "read_verilog " + jv,
                "rename " + gold.name() + " gold",
                "read_verilog -sv " + res.verilog(),
                "rename " + gate.name() + " gate",
                "proc; opt_clean",
                "miter -equiv -flatten -make_assert gold gate miter",
                "hierarchy -top miter",
                "flatten; opt",
                "sat -verify -prove-asserts -show-inputs miter",
                "");
        Files.writeString(dir.resolve("equiv.ys"), script);
        Tools.Result r = Tools.run(dir, Duration.ofMinutes(5), "yosys", "-q", "-l", "equiv.log", "equiv.ys");
        String log = Files.readString(dir.resolve("equiv.log"));
        System.out.printf("yosys equivalence %s: exit %d in %.1f s%n", name, r.exitCode(), r.elapsed().toMillis() / 1e3);
        if (r.ok() && log.contains("SAT proof finished - no model found: SUCCESS!")) return true;
        assertTrue(log.contains("SAT proof finished - model found: FAIL!"), "yosys failed without a verdict: " + r.tail(30));
        return false;
    }

    @Test
    void javaAndChiselNetlistsAreEquivalent() throws IOException {
        assumeTrue(Tools.require("yosys"));
        assertTrue(equivalent(Designs.combArrayOps(false), Designs.combArrayOps(false), "yosys-cops"),
                "the Java and Chisel netlists of the same IR are equivalent (see target/chisel-test/yosys-cops/equiv.log)");
        assertFalse(equivalent(Designs.combArrayOps(false), Designs.combArrayOps(true), "yosys-cops-mutant"),
                "a signed comparison made unsigned must be found");
    }
}
