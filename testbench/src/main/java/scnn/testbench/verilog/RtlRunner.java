package scnn.testbench.verilog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.generator.tools.Tools;

/**
 * Builds the testbench with the design under Verilator or Icarus and runs it. Every tool's output is
 * kept in a log file in the work directory; a failure is one {@link ScnnException} line naming the
 * tool and the log.
 */
public final class RtlRunner {
    private RtlRunner() {}

    /**
     * How to build.
     *
     * @param jobs         parallel compile jobs (Verilator {@code -j})
     * @param modelThreads Verilator model threads ({@code --threads}; 1 = single-threaded model)
     * @param optFast      C++ optimization of the model's evaluation code ({@code OPT_FAST} of Verilator's
     *                     makefile), e.g. {@code -O1}
     * @param optSlow      C++ optimization of the code that runs once (constructors, initial blocks:
     *                     {@code OPT_SLOW}) and of the Verilator runtime ({@code OPT_GLOBAL})
     * @param fastX        add {@code --x-assign fast --x-initial fast} (speed; every register is reset and
     *                     every pixel written, so X handling cannot change results)
     * @param timeout      limit for the whole build
     * @param unrollStmts  Verilator {@code --unroll-stmts}: loops whose body is larger stay loops (0: Verilator's
     *                     default, 30,000)
     */
    public record BuildOptions(int jobs, int modelThreads, String optFast, String optSlow, boolean fastX, Duration timeout,
                               int unrollStmts) {
        public BuildOptions(int jobs, int modelThreads, String optFast, String optSlow, boolean fastX, Duration timeout) {
            this(jobs, modelThreads, optFast, optSlow, fastX, timeout, 0);
        }

        /**
         * For co-simulation: {@code -O1} for the evaluation code, {@code -O0} for the rest. (Measured on
         * the 784-256-10 net: -O0 builds in about 0.8x the CPU time of -O1 but simulates 12x slower;
         * -O2 builds in 1.5x the time and simulates 1.5x faster.)
         */
        public static BuildOptions cosim() {
            return new BuildOptions(2, 1, "-O1", "-O0", false, Duration.ofHours(1));
        }

        /** For the benchmark: an optimized model. */
        public static BuildOptions bench(int modelThreads) {
            return new BuildOptions(2, modelThreads, "-O2", "-O1", true, Duration.ofHours(1));
        }

        /**
         * For a co-simulation of a few images (the test suite): {@link #cosim()} with Verilator's
         * {@code --unroll-stmts 100}, so that Verilator keeps the emitter's element loops over wide
         * elements as loops instead of unrolling the ones of at most 64 elements (each element's
         * multi-word operations then become straight-line C++ that g++ compiles at {@code -O1}).
         * Measured on session 7's RTL, CPU seconds of the whole build: a 784-12-10 analog-baseline
         * net 245 against 78, a per-synapse 784-5-4-10 net 161 against 124, the 784-6-10 quantized
         * net 48 against 36, the shipped 3h net 129 against 121; the 3h model runs about 30 % slower
         * (2.35 against 1.78 s for 20 images), hence not the default of {@code scnn cosim}.
         */
        public static BuildOptions fewImages() {
            return cosim().withUnrollStmts(100);
        }

        public BuildOptions withTimeout(Duration t) {
            return new BuildOptions(jobs, modelThreads, optFast, optSlow, fastX, t, unrollStmts);
        }

        /** With {@code flags} (e.g. {@code -O0}) for the evaluation code. */
        public BuildOptions withOptFast(String flags) {
            return new BuildOptions(jobs, modelThreads, flags, optSlow, fastX, timeout, unrollStmts);
        }

        public BuildOptions withUnrollStmts(int n) {
            if (n < 0) throw new IllegalArgumentException("unrollStmts " + n);
            return new BuildOptions(jobs, modelThreads, optFast, optSlow, fastX, timeout, n);
        }
    }

    /**
     * A built simulation.
     *
     * @param simulator   which tool
     * @param dir         the work directory (build products, logs)
     * @param command     the command that runs it (without plusargs)
     * @param seconds     wall-clock build time
     * @param log         the build log
     * @param description how it was built, for reports
     */
    public record Build(Simulator simulator, Path dir, List<String> command, double seconds, Path log, String description) {}

    /**
     * A finished simulation run.
     *
     * @param results the parsed results file
     * @param seconds wall-clock time of the simulator process
     * @param log     the run log
     */
    public record Run(RtlResults results, double seconds, Path log) {}

    public static final String OBJ_DIR = "obj_dir";
    public static final String BUILD_LOG = "build.log";
    public static final String RUN_LOG = "run.log";

    /**
     * Builds {@code tb} with the design's Verilog {@code dut} in {@code workDir} (created; an old
     * Verilator object directory there is removed first, so the time is a full build).
     */
    public static Build build(Simulator sim, Path tb, Path dut, Path workDir, BuildOptions o) {
        return build(sim, tb, List.of(dut), workDir, o);
    }

    /** As {@link #build(Simulator, Path, Path, Path, BuildOptions)}, with the design's Verilog files (its modules). */
    public static Build build(Simulator sim, Path tb, List<Path> dut, Path workDir, BuildOptions o) {
        Path dir = workDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ScnnException(dir + ": cannot create (" + e.getMessage() + ")");
        }
        String tbA = tb.toAbsolutePath().toString();
        List<String> dutA = dut.stream().map(f -> f.toAbsolutePath().toString()).toList();
        List<String> cmd = new ArrayList<>();
        List<String> runCmd;
        String desc;
        if (sim == Simulator.VERILATOR) {
            AtomicFiles.deleteTree(dir.resolve(OBJ_DIR));
            cmd.addAll(List.of("verilator", "--binary", "-j", String.valueOf(o.jobs()), "--top-module", TestbenchWriter.TB_TOP,
                    "-Wno-fatal", "--Mdir", OBJ_DIR, "-o", "Vtb"));
            if (o.modelThreads() > 1) cmd.addAll(List.of("--threads", String.valueOf(o.modelThreads())));
            if (o.fastX()) cmd.addAll(List.of("--x-assign", "fast", "--x-initial", "fast"));
            if (o.unrollStmts() > 0) cmd.addAll(List.of("--unroll-stmts", String.valueOf(o.unrollStmts())));
            cmd.addAll(List.of("-MAKEFLAGS", "OPT_FAST=" + o.optFast(), "-MAKEFLAGS", "OPT_SLOW=" + o.optSlow(),
                    "-MAKEFLAGS", "OPT_GLOBAL=" + o.optSlow()));
            cmd.add(tbA);
            cmd.addAll(dutA);
            runCmd = List.of(dir.resolve(OBJ_DIR).resolve("Vtb").toString());
            desc = "verilator --binary -j " + o.jobs() + ", C++ " + o.optFast() + " (run-once code " + o.optSlow() + ")"
                    + (o.fastX() ? ", --x-assign/--x-initial fast" : "")
                    + (o.unrollStmts() > 0 ? ", --unroll-stmts " + o.unrollStmts() : "")
                    + ", model threads " + Math.max(1, o.modelThreads());
        } else {
            Path vvp = dir.resolve("tb.vvp");
            cmd.addAll(List.of("iverilog", "-g2012", "-s", TestbenchWriter.TB_TOP, "-o", vvp.toString(), tbA));
            cmd.addAll(dutA);
            runCmd = List.of("vvp", "-n", vvp.toString());
            desc = "iverilog -g2012 + vvp";
        }
        Path log = dir.resolve(BUILD_LOG);
        Tools.Result r = Tools.run(dir, o.timeout(), cmd);
        writeLog(log, r);
        if (r.timedOut())
            throw new ScnnException(sim.tool() + " build timed out after " + o.timeout().toSeconds() + " s (log: " + log + ")");
        if (r.exitCode() != 0)
            throw new ScnnException(sim.tool() + " build failed (exit " + r.exitCode() + "): " + r.tail(2) + " (log: " + log + ")");
        return new Build(sim, dir, runCmd, r.elapsed().toNanos() / 1e9, log, desc);
    }

    /** Messages of either simulator about a memory file it could not read. */
    private static final Pattern READMEM_PROBLEM = Pattern.compile("(?i)^.*(\\$readmem|readmem[hb]).*$", Pattern.MULTILINE);

    /**
     * Runs a build on the first {@code images} images of {@code imageFile}, in {@code memDir} (where
     * the design's memory files are), writing {@code resultsFile} and {@code log}.
     *
     * @param monitors  count switching events (off: {@code +nomon})
     * @param backdoor  load pixels by hierarchical assignment instead of the pixel port ({@code +backdoor})
     * @param classes   output classes (fields per results line)
     */
    public static Run run(Build b, Path memDir, Path imageFile, int images, int classes, boolean monitors, boolean backdoor,
                          Path resultsFile, Path log, Duration timeout) {
        if (!Files.isDirectory(memDir)) throw new ScnnException(memDir + ": RTL directory does not exist");
        Path res = resultsFile.toAbsolutePath();
        try {
            Files.deleteIfExists(res);
        } catch (IOException e) {
            throw new ScnnException(res + ": cannot remove old results (" + e.getMessage() + ")");
        }
        List<String> cmd = new ArrayList<>(b.command());
        cmd.add("+images=" + images);
        cmd.add("+imgfile=" + imageFile.toAbsolutePath());
        cmd.add("+out=" + res);
        if (!monitors) cmd.add("+nomon");
        if (backdoor) cmd.add("+backdoor");
        String tool = b.simulator() == Simulator.VERILATOR ? "verilator model" : "vvp";
        Tools.Result r = Tools.run(memDir, timeout, cmd);
        writeLog(log, r);
        if (r.timedOut())
            throw new ScnnException(tool + " run timed out after " + timeout.toSeconds() + " s (log: " + log + ")");
        if (r.exitCode() != 0)
            throw new ScnnException(tool + " run failed (exit " + r.exitCode() + "): " + r.tail(2) + " (log: " + log + ")");
        var m = READMEM_PROBLEM.matcher(r.output());
        if (m.find())
            throw new ScnnException(tool + " could not read a memory file: " + m.group().strip() + " (log: " + log + ")");
        for (String line : r.output().split("\n"))
            if (line.startsWith("tb: error"))
                throw new ScnnException(tool + ": " + line.strip() + " (log: " + log + ")");
        RtlResults rr = RtlResults.parse(res, classes);
        if (rr.images().size() != images)
            throw new ScnnException(res + ": has " + rr.images().size() + " images, expected " + images + " (log: " + log + ")");
        return new Run(rr, r.elapsed().toNanos() / 1e9, log);
    }

    private static void writeLog(Path log, Tools.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("$ ").append(String.join(" ", r.command())).append('\n');
        sb.append("# exit ").append(r.timedOut() ? "timeout" : String.valueOf(r.exitCode()))
                .append(String.format(", %.2f s%n", r.elapsed().toNanos() / 1e9));
        sb.append(r.stdout());
        if (!r.stderr().isEmpty()) sb.append("---- stderr ----\n").append(r.stderr());
        try {
            Files.writeString(log, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScnnException(log + ": cannot write log (" + e.getMessage() + ")");
        }
    }
}
