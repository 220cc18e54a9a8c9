package scnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scnn.generator.synth.YosysSynth;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Synthesize generated RTL with Yosys: generic gates, flip-flops and a CMOS transistor estimate; "
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

    @Override
    public Integer call() {
        if (timeoutMinutes < 1) throw new scnn.core.io.UsageException("--timeout must be at least 1 minute, got " + timeoutMinutes);
        YosysSynth.Options opt = YosysSynth.Options.defaults().withPnr(!noPnr).withTimeout(Duration.ofMinutes(timeoutMinutes));
        Map<String, Object> r = YosysSynth.run(rtl, opt);
        if (json) {
            JsonNode node = Json.MAPPER.valueToTree(r);
            Json.print(node);
            return 0;
        }
        System.out.printf("%s: %,d cells, %,d flip-flops, about %,d transistors (CMOS estimate%s), %.1f s%n",
                r.get("top"), (Long) r.get("cells"), (Long) r.get("flip_flops"), r.get("cmos_transistors") == null ? 0L : (Long) r.get("cmos_transistors"),
                Boolean.TRUE.equals(r.get("cmos_estimate_complete")) ? "" : ", incomplete", (Double) r.get("seconds"));
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
