package scnn.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import scnn.core.io.ScnnException;

/**
 * Energy per event. Energy per inference = sum over event classes of count x energy.
 *
 * <p>Defaults and their sources (all overridable with {@code --energy FILE}, a JSON object with any
 * of these keys):
 * <ul>
 *   <li>{@code smtj_sample_pj} = 0.1 pJ per s-MTJ sample (per device per active clock): the
 *       low-energy end of s-MTJ random-bit costs (about 0.1 pJ SOT, 1 pJ STT, 20 pJ VCMA; Liu et al.,
 *       IEEE JXCDC 2022, arXiv 2211.16588): a superparamagnetic MTJ fluctuates thermally and is only
 *       biased and read.</li>
 *   <li>{@code smtj_flip_pj} = 0: thermal flips draw no energy from the circuit.</li>
 *   <li>{@code gate_toggle_pj} = 0.001 pJ per toggle of a logic-gate output (about C V^2 / 2 with
 *       C ~ 2 fF, V ~ 1 V in a 45 nm-class process).</li>
 *   <li>{@code ff_toggle_pj} = 0.005 pJ per flip-flop output toggle; {@code ff_clock_pj} = 0.0005 pJ
 *       per flip-flop per clock (clock load) while the design is busy.</li>
 *   <li>{@code mem_read_bit_pj} = 0.005 pJ per bit read from a memory (SRAM-class, ~5 fJ/bit).</li>
 *   <li>{@code dac_conversion_pj} = 1 pJ per DAC conversion (analog baseline only: one per hidden neuron
 *       per inference, the count-to-bias-current conversion that programs the neuron's output s-MTJ).
 *       <b>Inferred</b>, no source: the order of magnitude of a ~10-bit current-steering DAC conversion in
 *       a 45 nm-class process; the ROM read that precedes it is counted as memory bits. A device file's
 *       {@code dac_conversion_pj} ({@code --device FILE}) replaces it for that design ({@link #forDesign}).</li>
 *   <li>{@code clock_ns}: clock period; 0 (default) = the s-MTJ sampling period of the design.</li>
 * </ul>
 * The xorshift generators and comparators that emulate the s-MTJ randomness in RTL are a behavioural
 * model of the device, not hardware of the real design: their toggles are reported but cost no
 * energy; the device costs {@code smtj_sample_pj} per sample instead.
 */
public record EnergyModel(double smtjSamplePj, double smtjFlipPj, double gateTogglePj, double ffTogglePj,
                          double ffClockPj, double memReadBitPj, double clockNs, double dacConversionPj) implements java.io.Serializable {
    public static final EnergyModel DEFAULT = new EnergyModel(0.1, 0.0, 0.001, 0.005, 0.0005, 0.005, 0, 1.0);

    public EnergyModel(double smtjSamplePj, double smtjFlipPj, double gateTogglePj, double ffTogglePj,
                       double ffClockPj, double memReadBitPj, double clockNs) {
        this(smtjSamplePj, smtjFlipPj, gateTogglePj, ffTogglePj, ffClockPj, memReadBitPj, clockNs, DEFAULT_DAC_PJ);
    }

    /** Default energy of one DAC conversion (inferred, see the class comment). */
    public static final double DEFAULT_DAC_PJ = 1.0;

    /** This model with another energy per DAC conversion. */
    public EnergyModel withDacConversionPj(double pj) {
        return new EnergyModel(smtjSamplePj, smtjFlipPj, gateTogglePj, ffTogglePj, ffClockPj, memReadBitPj, clockNs, pj);
    }

    /**
     * The model that prices a design's events: this one, with the DAC energy of the design's device
     * file ({@code dac_conversion_pj}, {@code scnn.generator.arch.DacModel}) when it gives one.
     */
    public EnergyModel forDesign(scnn.generator.arch.ScConfig cfg) {
        Double pj = cfg.dac().conversionPj();
        return pj == null ? this : withDacConversionPj(pj);
    }

    /** Whether the energy file {@code file} gives {@code key} (after {@link #read(Path)} accepted it). */
    public static boolean fileGives(Path file, String key) {
        try {
            JsonNode n = new ObjectMapper(scnn.core.io.InputFiles.jsonFactory()).readTree(scnn.core.io.InputFiles.readBytes(file, 1 << 20));
            return n != null && n.has(key);
        } catch (IOException e) {
            return false;
        }
    }

    public ObjectNode toJson(ObjectMapper m) {
        ObjectNode o = m.createObjectNode();
        o.put("smtj_sample_pj", smtjSamplePj);
        o.put("smtj_flip_pj", smtjFlipPj);
        o.put("gate_toggle_pj", gateTogglePj);
        o.put("ff_toggle_pj", ffTogglePj);
        o.put("ff_clock_pj", ffClockPj);
        o.put("mem_read_bit_pj", memReadBitPj);
        o.put("clock_ns", clockNs);
        o.put("dac_conversion_pj", dacConversionPj);
        return o;
    }

    /**
     * The largest value an energy file may give (pJ per event, or ns): far above any device's,
     * small enough that sums over billions of events stay finite.
     */
    public static final double MAX_VALUE = 1e9;

    /** Reads overrides from a JSON file; unknown keys and bad values are errors naming the file. */
    public static EnergyModel read(Path file) {
        JsonNode n;
        byte[] bytes = scnn.core.io.InputFiles.readBytes(file, 1 << 20);
        try {
            n = new ObjectMapper(scnn.core.io.InputFiles.jsonFactory())
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
        } catch (IOException e) {
            throw new ScnnException(file + ": cannot read energy model (" + e.getMessage().split("\n")[0] + ")");
        }
        if (n == null || !n.isObject()) throw new ScnnException(file + ": an energy model must be a JSON object");
        double[] v = {DEFAULT.smtjSamplePj, DEFAULT.smtjFlipPj, DEFAULT.gateTogglePj, DEFAULT.ffTogglePj, DEFAULT.ffClockPj, DEFAULT.memReadBitPj, DEFAULT.clockNs, DEFAULT.dacConversionPj};
        String[] keys = {"smtj_sample_pj", "smtj_flip_pj", "gate_toggle_pj", "ff_toggle_pj", "ff_clock_pj", "mem_read_bit_pj", "clock_ns", "dac_conversion_pj"};
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            int i = java.util.Arrays.asList(keys).indexOf(k);
            if (i < 0) {
                if (k.startsWith("_") || k.equals("sources")) continue; // comments
                throw new ScnnException(file + ": unknown energy key \"" + k + "\" (known: " + String.join(", ", keys) + ")");
            }
            JsonNode x = n.get(k);
            if (!x.isNumber() || !(x.doubleValue() >= 0) || !(x.doubleValue() <= MAX_VALUE))
                throw new ScnnException(file + ": \"" + k + "\" must be a number in 0.." + (long) MAX_VALUE + ", got " + x);
            if (k.equals("clock_ns") && !(x.doubleValue() > 0)) throw new ScnnException(file + ": \"clock_ns\" must be positive");
            v[i] = x.doubleValue();
        }
        return new EnergyModel(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }
}
