package scnn.chisel;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import scnn.chisel.examples.ScnnSystem;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.generator.tools.Tools;

/** The example: the Chisel-elaborated network and the BlackBox of the Java Verilog agree on every cycle. */
class ExampleTest {
    @Test
    void chiselNetworkAndJavaVerilogBlackBoxAgreeOnEveryCycle() throws IOException {
        Path out = Path.of("target", "chisel-test", "example").toAbsolutePath();
        ScDesign sd = ScnnSystem.emit(TestNets.random(3, 5, 5, 10), new ScConfig(4, Encoding.SIGN_MAGNITUDE, 1, 7, SmtjModel.DEFAULT), out);
        Path sys = out.resolve("system");
        assertTrue(Files.isRegularFile(sys.resolve("ScnnSystem.sv")));
        String top = sd.design().name().replace("_chisel", "");
        assertTrue(Files.isRegularFile(sys.resolve(top + ".v")), "black-box Verilog copied next to the system");
        Path scala = ScnnBlackBox.writeScala(out.resolve("java"), out.resolve("gen").resolve("ScnnBB.scala"), "gen");
        assertTrue(Files.readString(scala).contains("class ScnnRand3BlackBox"), Files.readString(scala));
        assumeTrue(Tools.require("iverilog", "vvp"));

        int cpi = sd.cyclesPerInference();
        String tb = """
                `timescale 1ns/1ps
                module tb;
                    reg clock = 0, reset = 1, we = 0, start = 0;
                    reg [9:0] addr = 0;
                    reg [7:0] data = 0;
                    wire agree, busy, done;
                    wire [3:0] cls;
                    ScnnSystem dut (.clock(clock), .reset(reset), .io_pix_we(we), .io_pix_addr(addr), .io_pix_data(data),
                        .io_start(start), .io_score_sel(4'd1), .io_busy(busy), .io_done(done), .io_class_out(cls), .agree(agree));
                    integer c, bad = 0, dones = 0;
                    always #1 clock = ~clock;
                    initial begin
                        @(negedge clock) reset = 0;
                        for (c = 0; c < 784; c = c + 1) begin
                            we = 1; addr = c; data = (c * 37) %% 251;
                            @(negedge clock) if (agree !== 1'b1) bad = bad + 1;
                        end
                        we = 0; start = 1;
                        @(negedge clock) start = 0;
                        for (c = 0; c < %d; c = c + 1) begin
                            if (agree !== 1'b1) bad = bad + 1;
                            if (done === 1'b1) dones = dones + 1;
                            @(negedge clock);
                        end
                        $display("RESULT bad=%%0d dones=%%0d class=%%0d", bad, dones, cls);
                        $finish;
                    end
                endmodule
                """.formatted(cpi + 4);
        Files.writeString(sys.resolve("tb.v"), tb);
        List<String> cmd = new ArrayList<>(List.of("iverilog", "-g2012", "-o", "simv", "-s", "tb", "tb.v"));
        try (var files = Files.list(sys)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if ((n.endsWith(".sv") || n.endsWith(".v")) && !n.equals("tb.v")) cmd.add(n);
            }
        }
        Tools.Result c = Tools.run(sys, Duration.ofMinutes(5), cmd);
        assertTrue(c.ok(), c.tail(20));
        Tools.Result r = Tools.run(sys, Duration.ofMinutes(5), "vvp", "-n", "simv");
        assertTrue(r.ok(), r.tail(20));
        String line = r.stdout().lines().filter(l -> l.startsWith("RESULT")).findFirst().orElseThrow(() -> new AssertionError(r.output()));
        System.out.println("example: " + line);
        assertTrue(line.contains("bad=0 "), line);
        assertFalse(line.contains("dones=0 "), "done never rose: " + line);
    }
}
