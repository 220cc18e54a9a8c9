package scnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Spark JVM's stderr passes through unchanged but for the JVM's first-line announcement of the vector module. */
class IncubatorWarningTest {
    private static String filter(String in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IncubatorWarning.copyWithout(new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dropsTheAnnouncementOnly() {
        assertEquals("scnn: x.json: bad\n", filter(IncubatorWarning.LINE + "\nscnn: x.json: bad\n"));
        assertEquals("progress 10 %\rprogress 20 %", filter(IncubatorWarning.LINE + "\nprogress 10 %\rprogress 20 %"));
        // not the first line, or another first line: everything passes
        assertEquals("other\n" + IncubatorWarning.LINE + "\n", filter("other\n" + IncubatorWarning.LINE + "\n"));
        assertEquals("no newline", filter("no newline"));
        assertEquals("", filter(""));
    }
}
