package scnn.generator.synth;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.generator.tools.Tools;
import scnn.generator.verilog.RtlWriter;

/**
 * Synthesizes an RTL directory (as written by {@link RtlWriter}) with Yosys and, when the design is
 * small enough, places and routes it for an iCE40 HX8K with nextpnr.
 *
 * <p>Steps, all run in the RTL directory (so that {@code $readmemh} finds the memory files):
 * <ol>
 *   <li>{@code read_verilog <files.f>; synth -top <top> -nordff; stat -json}: generic gate-level
 *       cells and flip-flops (every {@code $_DFF*}, {@code $_SDFF*}, {@code $_DLATCH*} ... cell is
 *       one bit). {@code -nordff} keeps Yosys from moving a register into a ROM read port (which
 *       would add data flip-flops, as the ROMs become logic anyway);
 *   <li>then {@code dfflegalize -cell $_DFF_P_ 01; abc -g cmos2; stat -tech cmos}: the netlist as
 *       NAND/NOR/NOT gates and plain D flip-flops, and Yosys' CMOS transistor estimate;
 *   <li>when the generic netlist has at most {@link Options#pnrMaxCells} cells and nextpnr-ice40 is
 *       installed: {@code synth_ice40 -json}, then {@code nextpnr-ice40 --hx8k --package ct256}
 *       (I/O unconstrained, timing allowed to fail): whether it fits, the utilisation and the
 *       achieved clock. A design that does not fit is a result, not an error.
 * </ol>
 * The summary goes to {@code synth.json} in the RTL directory, the tool logs and raw reports to
 * {@code synth/} beside it.
 */
public final class YosysSynth {
    public static final String REPORT = "synth.json";
    public static final String LOG_DIR = "synth";

    /** The iCE40 part used for place and route. */
    public static final String PNR_DEVICE = "iCE40HX8K-CT256";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectWriter JSON = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private YosysSynth() {}

    /**
     * Options.
     *
     * @param pnr try place and route when the design is small enough
     * @param timeout limit for each tool run (Yosys synthesis, synth_ice40, nextpnr)
     * @param pnrMaxCells largest generic netlist (cells) that is tried on the iCE40
     */
    public record Options(boolean pnr, Duration timeout, long pnrMaxCells, Path liberty, Double clockNs, Activity activity,
                          double defaultActivity, boolean xc7, int jobs) {
        public static Options defaults() {
            return new Options(true, Duration.ofMinutes(60), 40_000, null, null, null, 0.1, false, 1);
        }

        /**
         * Tool sessions at once: 2 runs {@code synth_xilinx} beside the standard-cell mapping (both
         * cores, the two sessions' memory at once), 1 (the default) runs them one after the other.
         */
        public Options withJobs(int j) {
            if (j < 1 || j > 2) throw new IllegalArgumentException("jobs must be 1 or 2: " + j);
            return new Options(pnr, timeout, pnrMaxCells, liberty, clockNs, activity, defaultActivity, xc7, j);
        }

        public Options withPnr(boolean p) {
            return new Options(p, timeout, pnrMaxCells, liberty, clockNs, activity, defaultActivity, xc7, jobs);
        }

        public Options withTimeout(Duration t) {
            return new Options(pnr, t, pnrMaxCells, liberty, clockNs, activity, defaultActivity, xc7, jobs);
        }

        /** Map to this Liberty library, time and estimate power (the {@code asic} object); null: no standard cells. */
        public Options withLiberty(Path lib) {
            return new Options(pnr, timeout, pnrMaxCells, lib, clockNs, activity, defaultActivity, xc7, jobs);
        }

        /** Clock period of timing and power; null: the design's s-MTJ period from the manifest (10 ns by default). */
        public Options withClockNs(Double t) {
            return new Options(pnr, timeout, pnrMaxCells, liberty, t, activity, defaultActivity, xc7, jobs);
        }

        /** Simulated switching activity for the power analysis; null: default activity everywhere. */
        public Options withActivity(Activity a) {
            return new Options(pnr, timeout, pnrMaxCells, liberty, clockNs, a, defaultActivity, xc7, jobs);
        }

        public Options withDefaultActivity(double a) {
            return new Options(pnr, timeout, pnrMaxCells, liberty, clockNs, activity, a, xc7, jobs);
        }

        /** Also synthesize for Xilinx 7-series (the {@code fpga.xc7} object). */
        public Options withXc7(boolean x) {
            return new Options(pnr, timeout, pnrMaxCells, liberty, clockNs, activity, defaultActivity, x, jobs);
        }
    }

    /**
     * Runs the flow on {@code rtlDir} and writes {@code synth.json}; returns the same summary (keys
     * sorted): {@code top}, {@code yosys} (version), {@code cells}, {@code cells_by_type},
     * {@code flip_flops}, {@code cmos_transistors}, {@code cmos_estimate_complete},
     * {@code cmos_cells_by_type}, {@code seconds}, {@code pnr} (an object with {@code ran} and
     * either {@code reason} or {@code device}, {@code fits}, {@code utilisation}, {@code fmax_mhz},
     * {@code error}).
     *
     * @throws ScnnException for a directory that is not RTL, a missing Yosys, a Yosys error or timeout
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> run(Path rtlDir, Options opt) {
        Path dir = rtlDir.toAbsolutePath().normalize();
        String top = readTop(dir);
        List<String> files = readFileList(dir);
        Map<String, String> logs = new TreeMap<>();
        long t0 = System.nanoTime();

        String readCmd = "read_verilog " + String.join(" ", files);
        Path work;
        try {
            work = Files.createTempDirectory("scnn-synth-");
        } catch (IOException e) {
            throw new ScnnException("cannot create a temporary directory for Yosys (" + e.getMessage() + ")", e);
        }
        try {
            String stat = work.resolve("stat.json").toString();
            String cmos = work.resolve("cmos.json").toString();
            String script = readCmd + "\n"
                    + "synth -top " + top + " -nordff -noshare\n"
                    + "tee -q -o " + stat + " stat -json\n"
                    + "design -save generic\n"
                    + "dfflegalize -cell $_DFF_P_ 01\n"
                    + "abc -g cmos2\n"
                    + "opt_clean\n"
                    + "tee -q -o " + cmos + " stat -json -tech cmos\n"
                    + (opt.liberty() == null ? "" : AsicFlow.yosysScript(opt.liberty(), work, clockNs(dir, opt)));
            Path ys = work.resolve("synth.ys");
            Files.writeString(ys, script);
            // with two jobs, synth_xilinx (its own Yosys session from the RTL) runs beside the
            // standard-cell mapping, on the other core; the flatten, the largest step in memory,
            // waits for it (on the 3h net: the two sessions 6.3 GB each at once, the flatten 9 GB alone)
            Map<String, String> xc7Logs = new TreeMap<>();
            FutureTask<Map<String, Object>> xc7 = null;
            Thread xc7Thread = null;
            if (opt.xc7() && opt.jobs() > 1 && opt.liberty() != null) {
                xc7 = new FutureTask<>(() -> Xc7Flow.run(dir, work, top, readCmd, opt.timeout(), xc7Logs));
                xc7Thread = new Thread(xc7, "scnn-synth-xilinx");
                xc7Thread.setDaemon(true);
                xc7Thread.start();
            }
            Map<String, Object> xc7Report;
            double yosysSeconds, flattenSeconds = 0;
            try {
                Tools.Result r = Tools.run(dir, opt.timeout(), "yosys", "-q", "-d", "-l", work.resolve("yosys.log").toString(), "-s", ys.toString());
                logs.put("yosys.log", readOr(work.resolve("yosys.log"), r.output()));
                logs.put("synth.ys", script.replace(work.toString() + "/", ""));
                checkYosys(r, dir, top, opt, logs, "yosys.log");
                yosysSeconds = (System.nanoTime() - t0) / 1e9;
                xc7Report = xc7 == null ? null : join(xc7);
            } finally {
                if (xc7Thread != null) {
                    xc7.cancel(true); // no-op once done; else kills the session (Tools.run on interrupt)
                    joinQuietly(xc7Thread);
                    logs.putAll(xc7Logs);
                }
            }
            // synth_xilinx before the flatten and the standard-cell analysis: the analysis holds the
            // flattened netlist in the JVM (8 GB for the 3h net), which a later Yosys run would have to share the machine with
            if (opt.xc7() && xc7Report == null) xc7Report = Xc7Flow.run(dir, work, top, readCmd, opt.timeout(), logs);
            if (opt.liberty() != null) {
                long tf = System.nanoTime();
                Path fys = work.resolve("flatten.ys");
                Files.writeString(fys, AsicFlow.flattenScript(work));
                Tools.Result f = Tools.run(dir, opt.timeout(), "yosys", "-q", "-d", "-l", work.resolve("flatten-yosys.log").toString(), "-s", fys.toString());
                logs.put("flatten-yosys.log", readOr(work.resolve("flatten-yosys.log"), f.output()));
                checkYosys(f, dir, top, opt, logs, "flatten-yosys.log");
                flattenSeconds = (System.nanoTime() - tf) / 1e9;
            }
            JsonNode generic = design(readStat(work.resolve("stat.json")));
            JsonNode gates = design(readStat(work.resolve("cmos.json")));
            logs.put("stat.json", Files.readString(work.resolve("stat.json")));
            logs.put("cmos.json", Files.readString(work.resolve("cmos.json")));

            Map<String, Object> rep = new TreeMap<>();
            rep.put("top", top);
            rep.put("yosys", yosysVersion(dir));
            long cells = generic.path("num_cells").asLong();
            rep.put("cells", cells);
            Map<String, Long> byType = byType(generic);
            rep.put("cells_by_type", byType);
            rep.put("flip_flops", flipFlops(byType));
            String est = gates.path("estimated_num_transistors").asText("");
            Matcher m = Pattern.compile("(\\d+)").matcher(est);
            rep.put("cmos_transistors", m.find() ? Long.parseLong(m.group(1)) : null);
            rep.put("cmos_estimate_complete", !est.isEmpty() && !est.contains("+"));
            rep.put("cmos_cells_by_type", byType(gates));
            // Yosys' generic and standard-cell sessions (not synth_xilinx: fpga.xc7.seconds)
            rep.put("yosys_seconds", round(yosysSeconds + flattenSeconds));
            rep.put("yosys_flatten_seconds", round(flattenSeconds));
            rep.put("jobs", opt.xc7() && opt.liberty() != null ? opt.jobs() : 1);
            if (xc7Report != null) rep.put("fpga", Map.of("xc7", xc7Report));
            if (opt.liberty() != null) {
                long ta = System.nanoTime();
                Liberty lib = Liberty.read(opt.liberty());
                JsonNode params = readManifest(dir).path("parameters");
                double clock = clockNs(dir, opt);
                int cycles = readManifest(dir).path("cycles_per_inference").asInt(0);
                Map<String, Object> asic = AsicFlow.analyze(work, top, lib, RtlClasses.read(dir, files),
                        new AsicFlow.Options(clock, opt.timeout(), opt.defaultActivity()), opt.activity(), cycles, logs);
                if (opt.activity() != null) EnergyComparison.add(asic, opt.activity());
                Path ef = dir.resolve("energy-" + lib.name().replaceAll("[^A-Za-z0-9_.-]", "_") + ".json");
                AtomicFiles.writeString(ef, toJson(new TreeMap<>((Map<String, Object>) asic.get("calibrated_energy"))));
                asic.put("energy_file", ef.getFileName().toString());
                asic.put("seconds", round((System.nanoTime() - ta) / 1e9));
                rep.put("asic", asic);
                logs.put("mapped.v", Files.readString(work.resolve("mapped.v")));
            }

            Map<String, Object> pnr = new TreeMap<>();
            if (!opt.pnr()) {
                pnr.put("ran", false);
                pnr.put("reason", "not requested (--no-pnr)");
            } else if (cells > opt.pnrMaxCells()) {
                pnr.put("ran", false);
                pnr.put("reason", String.format("%,d generic cells: more than the %,d tried on an %s (7,680 LUTs)", cells,
                        opt.pnrMaxCells(), PNR_DEVICE));
            } else if (!Tools.available("nextpnr-ice40")) {
                pnr.put("ran", false);
                pnr.put("reason", "nextpnr-ice40 is not installed: " + Tools.installHint("nextpnr-ice40"));
            } else {
                pnr = placeAndRoute(dir, work, top, readCmd, opt, logs);
            }
            rep.put("pnr", pnr);
            rep.put("seconds", round((System.nanoTime() - t0) / 1e9));
            writeLogs(dir, logs);
            AtomicFiles.writeString(dir.resolve(REPORT), toJson(rep));
            return rep;
        } catch (IOException e) {
            throw new ScnnException(dir + ": cannot read or write synthesis results (" + e.getMessage() + ")", e);
        } finally {
            AtomicFiles.deleteTree(work);
        }
    }

    private static void checkYosys(Tools.Result r, Path dir, String top, Options opt, Map<String, String> logs, String log) {
        if (r.timedOut()) {
            writeLogs(dir, logs);
            throw new ScnnException("yosys did not finish synthesizing " + top + " within " + minutes(opt.timeout())
                    + " (see " + dir.resolve(LOG_DIR).resolve(log) + ")");
        }
        if (!r.ok()) {
            writeLogs(dir, logs);
            throw new ScnnException("yosys failed on " + dir + ": " + firstError(r.output()) + " (see "
                    + dir.resolve(LOG_DIR).resolve(log) + ")");
        }
    }

    /** The result of a finished task; its own unchecked exceptions (a {@link ScnnException}) as they are. */
    private static <T> T join(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScnnException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw new ScnnException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static Map<String, Object> placeAndRoute(Path dir, Path work, String top, String readCmd, Options opt,
                                                     Map<String, String> logs) throws IOException {
        Map<String, Object> pnr = new TreeMap<>();
        pnr.put("ran", true);
        pnr.put("device", PNR_DEVICE);
        long t0 = System.nanoTime();
        Path json = work.resolve("ice40.json");
        String script = readCmd + "\nsynth_ice40 -top " + top + " -json " + json + "\n";
        Path ys = work.resolve("ice40.ys");
        Files.writeString(ys, script);
        Tools.Result s = Tools.run(dir, opt.timeout(), "yosys", "-q", "-l", work.resolve("ice40-yosys.log").toString(), "-s", ys.toString());
        logs.put("ice40-yosys.log", readOr(work.resolve("ice40-yosys.log"), s.output()));
        if (!s.ok()) {
            pnr.put("fits", false);
            pnr.put("error", s.timedOut() ? "synth_ice40 timed out after " + minutes(opt.timeout()) : "synth_ice40 failed: " + firstError(s.output()));
            pnr.put("seconds", round((System.nanoTime() - t0) / 1e9));
            return pnr;
        }
        Path report = work.resolve("nextpnr-report.json");
        Tools.Result r = Tools.run(dir, opt.timeout(), "nextpnr-ice40", "--hx8k", "--package", "ct256", "--json", json.toString(),
                "--pcf-allow-unconstrained", "--timing-allow-fail", "--seed", "1", "--report", report.toString(), "-q",
                "--log", work.resolve("nextpnr.log").toString());
        logs.put("nextpnr.log", readOr(work.resolve("nextpnr.log"), r.output()));
        if (Files.exists(report)) {
            JsonNode rep = MAPPER.readTree(report.toFile());
            logs.put("nextpnr-report.json", Files.readString(report));
            Map<String, Object> util = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = rep.path("utilization").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                long used = e.getValue().path("used").asLong(), avail = e.getValue().path("available").asLong();
                if (used == 0) continue;
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("used", used);
                u.put("available", avail);
                u.put("percent", avail == 0 ? null : round(100.0 * used / avail));
                util.put(e.getKey(), u);
            }
            pnr.put("utilisation", util);
            double fmax = Double.NaN;
            for (JsonNode clk : rep.path("fmax")) if (clk.has("achieved")) fmax = Double.isNaN(fmax) ? clk.get("achieved").asDouble() : Math.min(fmax, clk.get("achieved").asDouble());
            pnr.put("fmax_mhz", Double.isNaN(fmax) ? null : round(fmax));
        }
        if (r.ok()) {
            pnr.put("fits", true);
        } else {
            pnr.put("fits", false);
            pnr.put("error", r.timedOut() ? "nextpnr-ice40 timed out after " + minutes(opt.timeout()) : firstError(r.output() + "\n" + logs.get("nextpnr.log")));
        }
        pnr.put("seconds", round((System.nanoTime() - t0) / 1e9));
        return pnr;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The clock period of the standard-cell flow: the option, else the manifest's s-MTJ period, else 10 ns. */
    static double clockNs(Path dir, Options opt) {
        return opt.clockNs() != null ? opt.clockNs() : readManifest(dir).path("parameters").path("clock_ns").asDouble(10.0);
    }

    static JsonNode readManifest(Path dir) {
        try {
            return MAPPER.readTree(dir.resolve(RtlWriter.MANIFEST).toFile());
        } catch (IOException e) {
            throw new ScnnException(dir.resolve(RtlWriter.MANIFEST) + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The top module from manifest.json. */
    static String readTop(Path dir) {
        Path manifest = dir.resolve(RtlWriter.MANIFEST);
        if (!Files.isDirectory(dir)) throw new ScnnException(dir + ": no such RTL directory");
        if (!Files.isRegularFile(manifest))
            throw new ScnnException(dir + ": not an RTL directory (no " + RtlWriter.MANIFEST + "; write one with ./scnn generate)");
        try {
            String top = MAPPER.readTree(manifest.toFile()).path("top").asText("");
            if (!top.matches("[A-Za-z_][A-Za-z0-9_$]*")) throw new ScnnException(manifest + ": no valid \"top\" module name");
            return top;
        } catch (IOException e) {
            throw new ScnnException(manifest + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Verilog sources named in files.f (relative to the directory); checks that they exist. */
    static List<String> readFileList(Path dir) {
        Path f = dir.resolve(RtlWriter.FILE_LIST);
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(f)) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("//") || s.startsWith("#")) continue;
                if (s.startsWith("+") || s.startsWith("-") || s.contains(" ") || s.contains("\""))
                    throw new ScnnException(f + ": unsupported entry '" + s + "' (one plain file name per line)");
                if (!Files.isRegularFile(dir.resolve(s))) throw new ScnnException(f + ": listed file " + s + " does not exist");
                out.add(s);
            }
        } catch (IOException e) {
            throw new ScnnException(f + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) throw new ScnnException(f + ": lists no Verilog files");
        return out;
    }

    /**
     * Reads a {@code stat -json} report. Yosys 0.23 writes the submodule counts of a hierarchy
     * deeper than one level as plain text lines ({@code "      name      7"}) between the modules
     * and the {@code design} object, which is not JSON; those lines are dropped (the counts are in
     * each module's {@code num_cells_by_type} anyway).
     */
    static JsonNode readStat(Path f) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(f)) {
            if (STAT_TEXT_LINE.matcher(line).matches()) continue;
            sb.append(line).append('\n');
        }
        return MAPPER.readTree(sb.toString());
    }

    private static final Pattern STAT_TEXT_LINE = Pattern.compile("\\s*[^\\s\"{}\\[\\],:]+\\s+\\d+\\s*");

    private static JsonNode design(JsonNode stat) {
        JsonNode d = stat.path("design");
        if (d.isMissingNode() || d.isEmpty()) {
            // single module: take it from "modules"
            Iterator<JsonNode> it = stat.path("modules").elements();
            if (it.hasNext()) return it.next();
        }
        return d;
    }

    private static Map<String, Long> byType(JsonNode d) {
        Map<String, Long> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.path("num_cells_by_type").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asLong());
        }
        return m;
    }

    /** Prefixes of Yosys' fine-grained one-bit state cells (flip-flops and latches of every flavour). */
    private static final List<String> FF_PREFIXES = List.of("$_DFF", "$_SDFF", "$_ALDFF", "$_DLATCH", "$_SR_", "$_FF_");

    /** Number of one-bit state cells ({@code $_DFF*}, {@code $_SDFF*}, ... ) among the fine-grained cells. */
    static long flipFlops(Map<String, Long> byType) {
        long n = 0;
        for (Map.Entry<String, Long> e : byType.entrySet())
            for (String p : FF_PREFIXES)
                if (e.getKey().startsWith(p)) {
                    n += e.getValue();
                    break;
                }
        return n;
    }

    private static String yosysVersion(Path dir) {
        Tools.Result r = Tools.run(dir, Duration.ofSeconds(30), "yosys", "-V");
        return r.ok() ? r.stdout().strip() : "unknown";
    }

    /** The first line that looks like an error, or the last lines of the output. */
    static String firstError(String output) {
        for (String l : output.split("\n")) {
            String s = l.strip();
            if (s.startsWith("ERROR") || s.contains("error:") || s.startsWith("Error")) return s;
        }
        String[] lines = output.strip().split("\n");
        return lines.length == 0 ? "(no output)" : lines[lines.length - 1].strip();
    }

    private static String readOr(Path p, String fallback) {
        try {
            return Files.exists(p) ? Files.readString(p) : fallback;
        } catch (IOException e) {
            return fallback;
        }
    }

    private static void writeLogs(Path dir, Map<String, String> logs) {
        AtomicFiles.writeDirectory(dir.resolve(LOG_DIR), tmp -> {
            for (Map.Entry<String, String> e : logs.entrySet()) Files.writeString(tmp.resolve(e.getKey()), e.getValue());
        });
    }

    private static String minutes(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    static String toJson(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
