package scnn.generator.arch;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import scnn.core.io.InputFiles;
import scnn.core.io.ScnnException;

/**
 * A device file ({@code --device FILE}, JSON): the s-MTJ physics and the analog baseline's DAC.
 *
 * <ul>
 *   <li>s-MTJ physics ({@link DevicePhysics}): {@code delta_kt}, {@code tau0_ns}, {@code ic_ua} and
 *       {@code clock_ns}, all four, or {@code "preset": "measured-5ns"} with any of them overridden.
 *       A file with none of them (and no preset) keeps the default telegraph model.</li>
 *   <li>The DAC ({@link DacModel}): {@code dac_latency_cycles} (an integer 1..65536; default 1) and
 *       {@code dac_conversion_pj} (0..1e9; default: the energy model's {@code dac_conversion_pj}).</li>
 * </ul>
 * Keys starting with {@code _} are comments; any other key is an error.
 *
 * @param physics the s-MTJ physics, or null (the default telegraph model)
 * @param dac     the DAC
 */
public record DeviceFile(DevicePhysics physics, DacModel dac) {
    static final List<String> PHYSICS_KEYS = List.of("delta_kt", "tau0_ns", "ic_ua", "clock_ns");
    static final List<String> DAC_KEYS = List.of("dac_latency_cycles", "dac_conversion_pj");

    /** Reads a device file; every problem is one line naming the file. */
    public static DeviceFile read(Path file) {
        JsonNode n;
        try {
            n = new com.fasterxml.jackson.databind.ObjectMapper(InputFiles.jsonFactory())
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(InputFiles.readBytes(file, 1 << 20));
        } catch (java.io.IOException e) {
            throw new ScnnException(file + ": not a device file (" + e.getMessage().split("\n")[0] + ")");
        }
        if (n == null || !n.isObject()) throw new ScnnException(file + ": a device file must be a JSON object");
        DevicePhysics base = null;
        if (n.has("preset")) {
            String p = n.get("preset").asText();
            if (!p.equals("measured-5ns")) throw new ScnnException(file + ": unknown preset \"" + p + "\" (measured-5ns)");
            base = DevicePhysics.MEASURED_5NS;
        }
        double[] v = base == null ? new double[4] : new double[] {base.deltaKt(), base.tau0Ns(), base.icUa(), base.clockNs()};
        boolean[] set = new boolean[4];
        int latency = DacModel.DEFAULT.latencyCycles();
        Double dacPj = DacModel.DEFAULT.conversionPj();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.startsWith("_") || k.equals("preset")) continue;
            JsonNode x = n.get(k);
            if (k.equals("dac_latency_cycles")) {
                if (!x.canConvertToInt() || !x.isIntegralNumber() || x.intValue() < 1 || x.intValue() > DacModel.MAX_LATENCY)
                    throw new ScnnException(file + ": \"dac_latency_cycles\" must be a whole number of cycles in 1.." + DacModel.MAX_LATENCY + ", got " + x);
                latency = x.intValue();
                continue;
            }
            if (k.equals("dac_conversion_pj")) {
                if (!x.isNumber() || !(x.doubleValue() >= 0 && x.doubleValue() <= 1e9))
                    throw new ScnnException(file + ": \"dac_conversion_pj\" must be a number of pJ in 0..1e9, got " + x);
                dacPj = x.doubleValue();
                continue;
            }
            int i = PHYSICS_KEYS.indexOf(k);
            if (i < 0)
                throw new ScnnException(file + ": unknown device key \"" + k + "\" (known: preset, " + String.join(", ", PHYSICS_KEYS) + ", "
                        + String.join(", ", DAC_KEYS) + ")");
            if (!x.isNumber() || !(x.doubleValue() > 0) || Double.isInfinite(x.doubleValue()))
                throw new ScnnException(file + ": \"" + k + "\" must be a positive number, got " + x);
            v[i] = x.doubleValue();
            set[i] = true;
        }
        boolean anySet = set[0] || set[1] || set[2] || set[3];
        DevicePhysics physics = null;
        if (base != null || anySet) {
            if (base == null)
                for (int i = 0; i < 4; i++)
                    if (!set[i]) throw new ScnnException(file + ": \"" + PHYSICS_KEYS.get(i) + "\" is missing (or give \"preset\")");
            try {
                physics = new DevicePhysics(v[0], v[1], v[2], v[3]);
            } catch (IllegalArgumentException e) {
                throw new ScnnException(file + ": " + e.getMessage());
            }
        }
        return new DeviceFile(physics, new DacModel(latency, dacPj));
    }
}
