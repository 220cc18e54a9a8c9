package scnn.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scnn.core.TestSupport.assertOnlyFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scnn.core.io.OutputPolicy.Mark;
import scnn.core.io.OutputPolicy.Replace;

/** Each rule of the output policy, and that the atomic writers apply it. */
class OutputPolicyTest {
    @TempDir Path tmp;

    private static final Mark MINE = Mark.containing("written-by-scnn");

    @Test
    void emptyPathRootCurrentHomeAndCheckoutAndTheirAncestorsAreNeverOutputs() {
        for (Replace r : Replace.values()) {
            assertTrue(OutputPolicy.directoryProblem(Path.of(""), r).contains("empty path"));
            assertTrue(OutputPolicy.directoryProblem(Path.of("."), r).contains("current directory"));
            assertTrue(OutputPolicy.directoryProblem(Path.of(".."), r).contains("ancestor of the current directory"));
            assertTrue(OutputPolicy.directoryProblem(Path.of("/"), r).contains("root directory"));
            assertTrue(OutputPolicy.directoryProblem(Path.of(System.getProperty("user.home")), r).contains("home directory"));
            Path root = Path.of(System.getProperty("scnn.root"));
            assertNotNull(OutputPolicy.directoryProblem(root, r));
            assertNotNull(OutputPolicy.directoryProblem(root.getParent(), r));
            assertNotNull(OutputPolicy.fileProblem(Path.of(""), r, Mark.ANY));
            assertNotNull(OutputPolicy.fileProblem(Path.of("."), r, Mark.ANY));
            assertNotNull(OutputPolicy.fileProblem(Path.of(System.getProperty("user.dir")).getParent(), r, Mark.ANY));
        }
        // a path through a symbolic link to the current directory is the current directory
        assertNull(OutputPolicy.forbidden(tmp.resolve("new")));
    }

    @Test
    void aLinkToAProtectedDirectoryIsThatDirectory() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("here"), Path.of(System.getProperty("user.dir")));
        assertTrue(OutputPolicy.forbidden(link).contains("current directory"), OutputPolicy.forbidden(link));
        assertNull(OutputPolicy.forbidden(link.resolve("sub")));
    }

    @Test
    void directories() throws IOException {
        assertNull(OutputPolicy.directoryProblem(tmp.resolve("missing"), Replace.OWN));
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertNull(OutputPolicy.directoryProblem(empty, Replace.OWN));
        Path own = Files.createDirectory(tmp.resolve("own"));
        Files.writeString(own.resolve("manifest.json"), "{\n  \"generator\" : \"scnn\",\n  \"top\": \"x\"\n}\n");
        Files.writeString(own.resolve("user-notes.txt"), "mine");
        assertNull(OutputPolicy.directoryProblem(own, Replace.OWN));
        Path inside = Files.createDirectory(own.resolve("logs"));
        Files.writeString(inside.resolve("a.log"), "x");
        assertNull(OutputPolicy.directoryProblem(inside, Replace.OWN), "a directory inside scnn's own output is scnn's");
        Path older = Files.createDirectory(tmp.resolve("older"));
        Files.writeString(older.resolve("manifest.json"), "{\n  \"bits_by_tag\" : {},\n  \"mem_dir_parameter\" : null,\n  \"state_bits_by_tag\" : {}\n}\n");
        assertNull(OutputPolicy.directoryProblem(older, Replace.OWN), "an RTL directory written before the generator key is scnn's");
        Path foreign = Files.createDirectory(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("manifest.json"), "{\"generator\": \"someone else\"}");
        assertTrue(OutputPolicy.directoryProblem(foreign, Replace.OWN).contains("not an scnn output directory"));
        assertNull(OutputPolicy.directoryProblem(foreign, Replace.FORCE));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(OutputPolicy.directoryProblem(file, Replace.OWN).contains("is a file"));
        assertNull(OutputPolicy.directoryProblem(file, Replace.FORCE));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), own);
        assertTrue(OutputPolicy.directoryProblem(link, Replace.OWN).contains("symbolic link"));
        assertNull(OutputPolicy.directoryProblem(link, Replace.FORCE));
    }

    @Test
    void devicesAndFifosAreNeverReplaced() throws Exception {
        Path dev = Path.of("/dev/null");
        for (Replace r : Replace.values()) {
            assertTrue(OutputPolicy.directoryProblem(dev, r).contains("device"));
            assertTrue(OutputPolicy.fileProblem(dev, r, Mark.ANY).contains("device"));
        }
        Path fifo = tmp.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        for (Replace r : Replace.values()) {
            assertTrue(OutputPolicy.fileProblem(fifo, r, Mark.ANY).contains("FIFO"));
            ScnnException e = assertThrows(ScnnException.class, () -> AtomicFiles.write(fifo, r, Mark.ANY, out -> out.write(1)));
            assertTrue(e.getMessage().startsWith(fifo + ": "), e.getMessage());
        }
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo));
    }

    @Test
    void filesAreReplacedOnlyWhenScnnWroteThem() throws IOException {
        Path mine = Files.writeString(tmp.resolve("mine.vcd"), "header written-by-scnn\n");
        Path theirs = Files.writeString(tmp.resolve("theirs.vcd"), "my thesis\n");
        assertNull(OutputPolicy.fileProblem(mine, Replace.OWN, MINE));
        assertTrue(OutputPolicy.fileProblem(theirs, Replace.OWN, MINE).contains("not written by scnn"));
        ScnnException e = assertThrows(ScnnException.class, () -> AtomicFiles.write(theirs, Replace.OWN, MINE, out -> out.write('x')));
        assertEquals(theirs + ": exists and was not written by scnn; choose another path or add --force", e.getMessage());
        assertEquals("my thesis\n", Files.readString(theirs));
        AtomicFiles.write(theirs, Replace.FORCE, MINE, out -> out.write('x'));
        assertEquals("x", Files.readString(theirs));
        Path dir = Files.createDirectory(tmp.resolve("adir"));
        for (Replace r : Replace.values()) assertTrue(OutputPolicy.fileProblem(dir, r, Mark.ANY).contains("is a directory"));
        Path target = Files.writeString(tmp.resolve("target"), "keep");
        Path link = Files.createSymbolicLink(tmp.resolve("link.vcd"), target);
        assertTrue(OutputPolicy.fileProblem(link, Replace.OWN, Mark.ANY).contains("symbolic link"));
        AtomicFiles.write(link, Replace.FORCE, Mark.ANY, out -> out.write('n'));
        assertEquals("keep", Files.readString(target), "the link is replaced, never its target");
        assertEquals("n", Files.readString(link));
    }

    @Test
    void writeDirectoryRefusesAForeignDirectoryAndLeavesItAlone() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("work"));
        Files.writeString(d.resolve("mywork.txt"), "precious");
        ScnnException e = assertThrows(ScnnException.class, () -> AtomicFiles.writeDirectory(d, x -> Files.writeString(x.resolve("a"), "a")));
        assertTrue(e.getMessage().startsWith(d + ": exists and is not an scnn output directory"), e.getMessage());
        assertOnlyFiles(d, "mywork.txt");
        assertOnlyFiles(tmp, "work");
        AtomicFiles.writeDirectory(d, Replace.FORCE, x -> Files.writeString(x.resolve("a"), "a"));
        assertOnlyFiles(d, "a");
    }

    @Test
    void claimDirectoryWritesTheMarkOnceAndRefusesFiles() throws IOException {
        Path d = tmp.resolve("sweep");
        OutputPolicy.claimDirectory(d, Replace.OWN, "sweep");
        assertTrue(OutputPolicy.isScnnDirectory(d));
        Files.writeString(d.resolve("results.json"), "{}");
        OutputPolicy.claimDirectory(d, Replace.OWN, "sweep");
        assertOnlyFiles(d, "manifest.json", "results.json");
        Path f = Files.writeString(tmp.resolve("afile"), "x");
        for (Replace r : Replace.values()) assertThrows(ScnnException.class, () -> OutputPolicy.claimDirectory(f, r, "sweep"));
        assertEquals("x", Files.readString(f));
    }

    @Test
    void namesBecomeOneSafeComponent() {
        assertEquals("mnist-1h-L5-sc", OutputPolicy.fileComponent("mnist-1h-L5-sc"));
        assertEquals("______elsewhere", OutputPolicy.fileComponent("../../elsewhere"));
        assertEquals("_etc_passwd", OutputPolicy.fileComponent("/etc/passwd"));
        assertEquals("net_", OutputPolicy.fileComponent("."));
        assertEquals("net__", OutputPolicy.fileComponent(".."));
        assertEquals("net", OutputPolicy.fileComponent(""));
        assertEquals("_rf", OutputPolicy.fileComponent("-rf"));
        assertEquals(100, OutputPolicy.fileComponent("x".repeat(500)).length());
        for (String s : new String[] {"a/b", "a\\b", "a\0b", "é", "\n"}) {
            String c = OutputPolicy.fileComponent(s);
            assertTrue(c.matches("[A-Za-z0-9_][A-Za-z0-9_-]*"), c);
        }
    }
}
