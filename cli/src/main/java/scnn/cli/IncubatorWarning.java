package scnn.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The line a JVM started with {@code --add-modules jdk.incubator.vector} writes first on its stderr
 * (the simulator's vector popcount kernel needs the module; users need not read about it).
 */
final class IncubatorWarning {
    static final String LINE = "WARNING: Using incubator modules: jdk.incubator.vector";

    private IncubatorWarning() {}

    /** Copies {@code in} to {@code out} as it arrives, without a first line equal to {@link #LINE}. */
    static void copyWithout(InputStream in, PrintStream out) {
        try {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') first.write(b);
            String l = first.toString(StandardCharsets.UTF_8);
            if (!l.equals(LINE) && !l.equals(LINE + "\r")) {
                out.write(first.toByteArray());
                if (b == '\n') out.write('\n');
            }
            out.flush();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) { // the child ended
        }
    }
}
