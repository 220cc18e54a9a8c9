package scnn.generator.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import scnn.core.io.ScnnException;

/**
 * External EDA tools (Verilator, Icarus, Yosys, nextpnr): finding them, the skip-or-fail rule for
 * tests, and running them with a timeout while capturing their output.
 *
 * <p>The rule for tests: a test that needs a tool calls {@link #require(String)}; when the tool is
 * installed it returns true; when it is missing and the environment variable {@code CI} is unset it
 * prints a loud {@code WARNING: ... SKIPPED because <tool> is not installed} line and returns false
 * (the test then skips itself, e.g. with JUnit's {@code assumeTrue}); when {@code CI} is set it
 * throws, so a CI run can never pass by skipping.
 */
public final class Tools {
    private Tools() {}

    /**
     * Where the install list lives: the {@code INSTALL_LIST} block of the {@code ./scnn} launcher,
     * which installs from it, copied onto the class path by the generator's build.
     */
    public static final String PACKAGES_RESOURCE = "scnn/generator/tools/scnn";

    /** The install list: tool (a command, or an absolute file path) to Debian package, in file order. */
    private static final Map<String, String> PACKAGE = loadPackages();

    private static Map<String, String> loadPackages() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        try (InputStream in = Tools.class.getClassLoader().getResourceAsStream(PACKAGES_RESOURCE)) {
            if (in == null) throw new IllegalStateException(PACKAGES_RESOURCE + " is missing from the class path");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int a = text.indexOf("\nINSTALL_LIST='\n"), b = a < 0 ? -1 : text.indexOf("\n'\n", a + 1);
            if (a < 0 || b < 0) throw new IllegalStateException(PACKAGES_RESOURCE + ": no INSTALL_LIST='...' block");
            for (String line : text.substring(text.indexOf('\n', a + 1) + 1, b).split("\n")) {
                if (line.isBlank()) continue;
                String[] f = line.strip().split("\\s+");
                if (f.length < 2) throw new IllegalStateException(PACKAGES_RESOURCE + ": bad line '" + line + "'");
                m.put(f[0], f[1]);
            }
        } catch (IOException e) {
            throw new IllegalStateException(PACKAGES_RESOURCE + ": " + e.getMessage(), e);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Every tool of the install list with its Debian package (what {@code ./scnn test} installs). */
    public static Map<String, String> installList() {
        return PACKAGE;
    }

    /** The Debian package providing {@code tool} (the tool's name when unknown). */
    public static String packageOf(String tool) {
        return PACKAGE.getOrDefault(tool, tool);
    }

    /** The exact install hint for a tool, e.g. {@code apt-get install -y yosys}. */
    public static String installHint(String tool) {
        return "apt-get install -y " + packageOf(tool);
    }

    /** The executable {@code tool} on the {@code PATH}, or null. */
    public static Path find(String tool) {
        if (tool.startsWith("/") && !PACKAGE.containsKey(tool)) {
            Path p = Path.of(tool);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        if (tool.startsWith("/")) { // a data file of the install list (a cell library, a dataset)
            Path p = Path.of(tool);
            return Files.isRegularFile(p) ? p : null;
        }
        if (tool.contains("/")) {
            Path p = Path.of(tool);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    public static boolean available(String tool) {
        return find(tool) != null;
    }

    /** True when the environment variable {@code CI} is set (to anything). */
    public static boolean underCi() {
        return System.getenv("CI") != null;
    }

    /**
     * For tests: true when every tool is installed. When one is missing: outside CI, prints
     * {@code WARNING: <caller> SKIPPED because <tool> is not installed (...)} to standard error and
     * returns false; under CI ({@code CI} set) throws {@link IllegalStateException}.
     */
    public static boolean require(String... tools) {
        for (String tool : tools)
            if (!PACKAGE.containsKey(tool))
                throw new IllegalArgumentException(tool + " is not in the install list (INSTALL_LIST of ./scnn)"
                        + ": add it there (with its Debian package) so that ./scnn test and CI install it");
        for (String tool : tools) {
            if (available(tool)) continue;
            String what = caller();
            if (underCi())
                throw new IllegalStateException(what + ": " + tool + " is not installed and CI is set, so this test may not skip ("
                        + installHint(tool) + ")");
            System.err.println("WARNING: " + what + " SKIPPED because " + tool + " is not installed (" + installHint(tool) + ")");
            return false;
        }
        return true;
    }

    /**
     * For tests that must run wherever the suite runs: every tool must be on the install list
     * and installed, or the test fails (never skips) with the install hint. {@code ./scnn test}
     * installs the whole list, so a missing tool is a broken set-up, not a reason to skip.
     */
    public static void need(String... tools) {
        for (String tool : tools) {
            if (!PACKAGE.containsKey(tool))
                throw new IllegalArgumentException(tool + " is not in the install list (INSTALL_LIST of ./scnn)"
                        + ": add it there (with its Debian package) so that ./scnn test and CI install it");
            if (!available(tool))
                throw new IllegalStateException(caller() + ": " + tool + " is not installed; ./scnn test installs it ("
                        + installHint(tool) + ")");
        }
    }

    private static String caller() {
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            String c = e.getClassName();
            if (c.equals(Tools.class.getName()) || c.startsWith("java.")) continue;
            return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
        }
        return "test";
    }

    /**
     * The result of a finished (or killed) process.
     *
     * @param command the command line
     * @param exitCode the exit code (-1 when it timed out and was killed)
     * @param stdout standard output (UTF-8)
     * @param stderr standard error (UTF-8)
     * @param timedOut true when the timeout killed it
     * @param elapsed wall-clock time
     */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut, Duration elapsed) {
        public boolean ok() {
            return !timedOut && exitCode == 0;
        }

        /** Standard output followed by standard error. */
        public String output() {
            return stdout + stderr;
        }

        /** The last {@code n} non-empty lines of the combined output (for error messages). */
        public String tail(int n) {
            String[] lines = output().split("\n");
            List<String> keep = new ArrayList<>();
            for (int i = lines.length - 1; i >= 0 && keep.size() < n; i--)
                if (!lines[i].isBlank()) keep.add(0, lines[i].strip());
            return String.join(" | ", keep);
        }
    }

    /** Runs {@code command} in {@code dir} (null: the current directory); see {@link #run(Path, Duration, List)}. */
    public static Result run(Path dir, Duration timeout, String... command) {
        return run(dir, timeout, List.of(command));
    }

    /**
     * Runs a command in {@code dir} with a timeout, capturing standard output and error. A process
     * still running at the timeout is killed with its children and reported with
     * {@code timedOut = true}. A missing executable throws {@link ScnnException} with the install hint.
     */
    public static Result run(Path dir, Duration timeout, List<String> command) {
        String tool = command.get(0);
        if (find(tool) == null)
            throw new ScnnException(tool + " is not installed: " + installHint(tool));
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) pb.directory(dir.toFile());
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ScnnException("cannot run " + tool + ": " + e.getMessage() + " (" + installHint(tool) + ")", e);
        }
        RUNNING.add(p);
        try {
            return await(p, tool, command, timeout, t0);
        } finally {
            RUNNING.remove(p);
        }
    }

    /** Tools running now: a shutdown (Ctrl-C, SIGTERM) ends them with scnn instead of leaving them behind. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : RUNNING) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, "scnn-tools-shutdown"));
    }

    private static Result await(Process p, String tool, List<String> command, Duration timeout, long t0) {
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to flush
        }
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        out.start();
        err.start();
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            out.join(10_000);
            err.join(10_000);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ScnnException(tool + " was interrupted", e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        return new Result(List.copyOf(command), done ? p.exitValue() : -1, out.text(), err.text(), !done, elapsed);
    }

    /** Reads a stream to the end on its own thread, so that a full pipe never blocks the process. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (in) {
                in.transferTo(buf);
            } catch (IOException e) {
                // the process was killed; keep what was read
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
