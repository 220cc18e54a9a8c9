package scnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;
import scnn.generator.arch.ScDesign;
import scnn.generator.synth.Activity;
import scnn.generator.synth.Liberty;
import scnn.generator.synth.YosysSynth;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Synthesize generated RTL with Yosys: generic gates, flip-flops and a CMOS transistor estimate; "
                + "with --liberty, standard cells (area per module and per hardware class), static timing (critical path, slack, fmax) "
                + "and power with OpenSTA from the simulated switching activity; with --fpga xc7, Xilinx 7-series resources; "
                + "for small designs also place and route on an " + YosysSynth.PNR_DEVICE + " with nextpnr "
                + "(not fitting is reported, not an error). Writes synth.json (and logs in synth/) into the RTL directory.")
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--rtl", required = true, paramLabel = "DIR", description = "RTL directory written by ./scnn generate (with manifest.json and files.f).")
    Path rtl;

    @Option(names = "--json", description = "Print one JSON object (the content of synth.json) instead of text.")
    boolean json;

    @Option(names = "--no-pnr", description = "Skip the iCE40 place and route.")
    boolean noPnr;

    @Option(names = "--timeout", paramLabel = "MIN", defaultValue = "60", description = "Time limit of each tool run in minutes (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Option(names = "--liberty", paramLabel = "LIB",
            description = "Map to a standard-cell library: osu018 (Debian's qflow-tech-osu018, OSU 0.18 um) or a .lib file; then time it and estimate its power with OpenSTA.")
    String liberty;

    @Option(names = "--clock-ns", paramLabel = "T", description = "Clock period of timing (worst slack) and power, ns (default: the design's s-MTJ period from manifest.json, 10).")
    Double clockNs;

    @Option(names = "--fpga", paramLabel = "F", split = ",", defaultValue = "ice40",
            description = "FPGA flows, comma-separated: ice40 (synth_ice40 + nextpnr where the design fits), xc7 (synth_xilinx resources and part fits), none. Default: ${DEFAULT-VALUE}.")
    List<String> fpga;

    @Option(names = "--weights", paramLabel = "W",
            description = "Weights the RTL was generated from, for the simulated switching activity of the power analysis (default: weights/<network>.json when it generates this RTL).")
    Path weights;

    @Option(names = "--images", paramLabel = "K", defaultValue = "64", description = "Test images simulated for the switching activity (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "Simulator threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--default-activity", paramLabel = "A", defaultValue = "0.1",
            description = "Transitions per cycle of inputs without a simulated rate (default: ${DEFAULT-VALUE}).")
    double defaultActivity;

    @Option(names = "--no-activity", description = "Power with the default activity everywhere (no simulation).")
    boolean noActivity;

    @Option(names = "--jobs", paramLabel = "J", defaultValue = "1",
            description = "Yosys sessions at once (1 or 2, default: ${DEFAULT-VALUE}): with 2 and an xc7 synthesis, synth_xilinx runs beside "
                    + "the standard-cell mapping (the 3h net's point: 35 instead of 54 minutes, but 13.8 instead of 9.5 GB at once); 1 runs them one after the other. "
                    + "The figures are the same.")
    int jobs;

    @Mixin DataOptions data;

    @Override
    public Integer call() {
        if (timeoutMinutes < 1) throw new scnn.core.io.UsageException("--timeout must be at least 1 minute, got " + timeoutMinutes);
        if (clockNs != null && !(clockNs > 0)) throw new scnn.core.io.UsageException("--clock-ns must be positive, got " + clockNs);
        if (images < 1) throw new scnn.core.io.UsageException("--images must be at least 1, got " + images);
        if (jobs < 1 || jobs > 2) throw new scnn.core.io.UsageException("--jobs must be 1 or 2, got " + jobs);
        if (!(defaultActivity >= 0) || defaultActivity > 2) throw new scnn.core.io.UsageException("--default-activity must be in 0..2, got " + defaultActivity);
        boolean ice40 = false, xc7 = false;
        for (String f : fpga) {
            switch (f.strip()) {
                case "ice40" -> ice40 = true;
                case "xc7" -> xc7 = true;
                case "none" -> { }
                default -> throw new scnn.core.io.UsageException("--fpga " + f + ": unknown (ice40, xc7, none)");
            }
        }
        YosysSynth.Options opt = YosysSynth.Options.defaults().withPnr(ice40 && !noPnr).withTimeout(Duration.ofMinutes(timeoutMinutes))
                .withXc7(xc7).withClockNs(clockNs).withDefaultActivity(defaultActivity).withJobs(jobs);
        String activityNote = null;
        if (liberty != null) {
            opt = opt.withLiberty(Liberty.resolve(liberty));
            if (!noActivity) {
                Path w = weights;
                if (w == null) {
                    String network = manifest().path("network").asText("");
                    Path guess = Paths.root().resolve("weights").resolve(network + ".json");
                    if (network.matches("[A-Za-z0-9_.-]+") && Files.isRegularFile(guess)) w = guess;
                }
                if (w == null) {
                    activityNote = "no --weights and no weights/<network>.json: power with the default activity";
                } else {
                    ScDesign sd = SynthActivity.rebuild(rtl, w);
                    Activity a = SynthActivity.measure(sd, data.files().test(), images, threads, !json);
                    opt = opt.withActivity(a);
                }
            }
        }
        Map<String, Object> r = YosysSynth.run(rtl, opt);
        if (json) {
            JsonNode node = Json.MAPPER.valueToTree(r);
            Json.print(node);
            return 0;
        }
        System.out.printf("%s: %,d cells, %,d flip-flops, about %,d transistors (CMOS estimate%s), %.1f s%n",
                r.get("top"), (Long) r.get("cells"), (Long) r.get("flip_flops"), r.get("cmos_transistors") == null ? 0L : (Long) r.get("cmos_transistors"),
                Boolean.TRUE.equals(r.get("cmos_estimate_complete")) ? "" : ", incomplete", (Double) r.get("seconds"));
        if (r.get("asic") instanceof Map<?, ?> a) printAsic(a, activityNote);
        if (r.get("fpga") instanceof Map<?, ?> f && f.get("xc7") instanceof Map<?, ?> x) printXc7(x);
        @SuppressWarnings("unchecked")
        Map<String, Object> pnr = (Map<String, Object>) r.get("pnr");
        if (!Boolean.TRUE.equals(pnr.get("ran"))) {
            System.out.println("place and route: skipped, " + pnr.get("reason"));
        } else if (Boolean.TRUE.equals(pnr.get("fits"))) {
            System.out.printf("place and route: fits on %s, %s%s%n", pnr.get("device"), utilisation(pnr),
                    pnr.get("fmax_mhz") == null ? "" : String.format(", %.1f MHz", (Double) pnr.get("fmax_mhz")));
        } else {
            System.out.printf("place and route: does not fit on %s: %s%n", pnr.get("device"), pnr.get("error"));
        }
        System.out.println("report: " + rtl.resolve(YosysSynth.REPORT));
        return 0;
    }

    private JsonNode manifest() {
        try {
            return Json.MAPPER.readTree(rtl.resolve("manifest.json").toFile());
        } catch (java.io.IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static void printAsic(Map<?, ?> a, String note) {
        System.out.printf("standard cells (%s, %.2f V): %,.0f um^2, %,d cells, %,d flip-flops%s%n", a.get("library"), (Double) a.get("voltage_v"),
                (Double) a.get("area_um2"), (Long) a.get("cells"), (Long) a.get("flip_flops"),
                ((Long) a.get("black_boxes")) > 0 ? String.format(", %,d black boxes %s", (Long) a.get("black_boxes"), a.get("black_box_types")) : "");
        if (a.get("area_by_class_um2") instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<?, ?> e : m.entrySet()) sb.append(String.format("%s %,.0f, ", e.getKey(), (Double) e.getValue()));
            System.out.println("  area by class (um^2): " + sb.substring(0, Math.max(0, sb.length() - 2)));
        }
        if (a.get("timing") instanceof Map<?, ?> t)
            System.out.printf("  timing at %.2f ns: critical path %s -> %s, %.3f ns (%d cells), slack %.3f ns, fmax %.1f MHz%n",
                    (Double) t.get("clock_ns"), t.get("startpoint"), t.get("endpoint"), (Double) t.get("delay_ns"), (Integer) t.get("cells"),
                    (Double) t.get("slack_ns"), (Double) t.get("fmax_mhz"));
        if (a.get("power") instanceof Map<?, ?> p) {
            System.out.printf("  power at %.2f ns: %.4g W dynamic, %.4g W leakage (activity: %s)%n", (Double) p.get("clock_ns"),
                    (Double) p.get("dynamic_w"), (Double) p.get("leakage_w"), ((Map<?, ?>) p.get("activity")).get("source"));
            if (p.get("logic_energy_pj_per_inference") != null)
                System.out.printf("  logic energy per inference: %.1f pJ (%d cycles)%n", (Double) p.get("logic_energy_pj_per_inference"),
                        (Integer) p.get("cycles_per_inference"));
        }
        if (a.get("energy_comparison") instanceof Map<?, ?> c)
            System.out.printf("  event model (simulate --energy): %.1f pJ logic + %.1f pJ s-MTJ devices; re-priced with the library's per-toggle energies %.1f pJ%n",
                    (Double) c.get("event_model_logic_pj"), (Double) c.get("event_model_device_pj"), (Double) c.get("event_model_calibrated_logic_pj"));
        if (a.get("energy_file") != null) System.out.println("  energy model calibrated from the library: " + a.get("energy_file") + " (for --energy)");
        if (note != null) System.out.println("  " + note);
    }

    private static void printXc7(Map<?, ?> x) {
        StringBuilder fits = new StringBuilder();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) x.get("parts")).entrySet())
            fits.append(e.getKey()).append(Boolean.TRUE.equals(((Map<?, ?>) e.getValue()).get("fits")) ? " fits" : " no").append(", ");
        System.out.printf("xc7: %,d LUTs (+%,d as RAM), %,d flip-flops, %,d CARRY4, %.1f BRAM36, %,d DSP48; %s%n", (Long) x.get("luts"),
                (Long) x.get("lutram_luts"), (Long) x.get("flip_flops"), (Long) x.get("carry4"), (Double) x.get("bram36"), (Long) x.get("dsp48"),
                fits.substring(0, fits.length() - 2));
    }

    @SuppressWarnings("unchecked")
    private static String utilisation(Map<String, Object> pnr) {
        Object u = pnr.get("utilisation");
        if (!(u instanceof Map<?, ?> m) || m.isEmpty()) return "utilisation unknown";
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
            Map<String, Object> v = (Map<String, Object>) e.getValue();
            if (sb.length() > 0) sb.append(", ");
            sb.append(e.getKey()).append(' ').append(v.get("used")).append('/').append(v.get("available"));
        }
        return sb.toString();
    }
}
