package scnn.generator.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import scnn.core.io.ScnnException;

class ToolsTest {
    @Test
    void runsCapturesAndTimesOut() {
        Tools.Result r = Tools.run(null, Duration.ofSeconds(20), "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.ok());
        Tools.Result t = Tools.run(null, Duration.ofMillis(300), "sh", "-c", "sleep 30");
        assertTrue(t.timedOut());
        assertTrue(t.elapsed().toSeconds() < 20);
    }

    @Test
    void missingToolSaysHowToInstall() {
        ScnnException e = assertThrows(ScnnException.class, () -> Tools.run(null, Duration.ofSeconds(5), "scnn-no-such-tool"));
        assertEquals("scnn-no-such-tool is not installed: apt-get install -y scnn-no-such-tool", e.getMessage());
        assertEquals("apt-get install -y yosys", Tools.installHint("yosys"));
        assertEquals("apt-get install -y iverilog", Tools.installHint("vvp"));
    }

    @Test
    void requireSkipsLoudlyOutsideCiAndFailsUnderCi() {
        if (Tools.underCi()) {
            assertThrows(IllegalStateException.class, () -> Tools.require("scnn-no-such-tool"));
        } else {
            assertFalse(Tools.require("scnn-no-such-tool"));
        }
        assertTrue(Tools.require("sh"));
    }
}
