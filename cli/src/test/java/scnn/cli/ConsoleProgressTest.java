package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Progress in a log: a few plain lines, not hundreds of bar redraws. */
class ConsoleProgressTest {
    @Test
    void aLogGetsElevenLinesAtMostForAThousandSteps() {
        PrintStream old = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
            ConsoleProgress p = new ConsoleProgress(false);
            p.start("simulating", 1000);
            for (int i = 0; i < 1000; i++) p.advance(1);
            p.finish();
            p.finish(); // twice is once
        } finally {
            System.setErr(old);
        }
        String[] lines = b.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(11, lines.length, String.join("\n", lines));
        assertEquals("scnn: simulating: 0 / 1,000", lines[0]);
        assertTrue(lines[1].startsWith("scnn: simulating: 100 / 1,000 (10 %"), lines[1]);
        assertTrue(lines[10].startsWith("scnn: simulating: done, 1,000 / 1,000 in "), lines[10]);
        for (String l : lines) assertTrue(!l.contains("\r"), l);
    }
}
