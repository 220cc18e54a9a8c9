package scnn.generator.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    void requireAcceptsOnlyToolsOfTheInstallList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tools.require("scnn-no-such-tool"));
        assertTrue(e.getMessage().startsWith("scnn-no-such-tool is not in the install list (INSTALL_LIST of ./scnn)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tools.need("scnn-no-such-tool"));
        Tools.need("sh");
        assertTrue(Tools.require("sh"));
        assertEquals("opensta", Tools.packageOf("sta"));
        assertEquals("fpga-icestorm", Tools.packageOf("icepack"));
    }

    /**
     * Every tool that a test requires ({@code Tools.require("...")} and the simulators' tool lists
     * in any module's test sources; the simulators' tool lists are
     * checked in the testbench module) is in the install list, so ./scnn test and CI install it; and
     * the launcher reads that same list.
     */
    @Test
    void everyToolATestRequiresIsInTheInstallList() throws IOException {
        Path root = Path.of(System.getProperty("scnn.root"));
        Pattern call = Pattern.compile("Tools\\.(?:require|need)\\(([^)]*)\\)");
        Pattern literal = Pattern.compile("\"([^\"]+)\"");
        Set<String> required = new TreeSet<>();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(p -> p.toString().contains("/src/test/") && !p.toString().contains("/target/")
                    && (p.toString().endsWith(".java") || p.toString().endsWith(".scala"))).toList();
        }
        for (Path f : sources) {
            Matcher m = call.matcher(Files.readString(f));
            while (m.find()) {
                Matcher l = literal.matcher(m.group(1));
                while (l.find()) required.add(l.group(1));
            }
        }
        required.remove("scnn-no-such-tool"); // the test above, of an unlisted tool
        required.remove("..."); // this test's own comment
        assertTrue(required.containsAll(List.of("verilator", "iverilog", "vvp", "yosys")), required.toString());
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(Tools.installList().keySet());
        assertEquals(Set.of(), missing, "tools that tests require but the install list lacks");
        String launcher = Files.readString(root.resolve("scnn"));
        String block = launcher.substring(launcher.indexOf("\nINSTALL_LIST='\n"));
        for (var e : Tools.installList().entrySet())
            assertTrue(Pattern.compile("\\n" + Pattern.quote(e.getKey()) + "\\s+" + Pattern.quote(e.getValue()) + "\\s").matcher(block).find(),
                    "./scnn test installs " + e + " from its INSTALL_LIST");
        String ci = Files.readString(root.resolve(".ci/run"));
        assertTrue(ci.contains("./scnn test") && !ci.contains("apt-get install"), ".ci/run installs nothing of its own: " + ci);
    }
}
