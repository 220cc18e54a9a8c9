package scnn.generator.synth;

import java.util.Map;
import java.util.TreeMap;

/**
 * The library's logic energy per inference beside the event model's ({@code simulate --energy})
 * for the same design and images, and the event model re-priced with the per-toggle energies
 * calibrated from the library: {@code asic.energy_comparison}.
 */
final class EnergyComparison {
    private EnergyComparison() {}

    /** Classes whose event-model energy is not CMOS logic (device samples, DAC conversions). */
    private static boolean notLogic(String cls) {
        return cls.equals("smtj") || cls.equals("dac");
    }

    @SuppressWarnings("unchecked")
    static void add(Map<String, Object> asic, Activity a) {
        Map<String, Object> power = (Map<String, Object>) asic.get("power");
        Map<String, Object> cal = (Map<String, Object>) asic.get("calibrated_energy");
        Object libE = power.get("logic_energy_pj_per_inference");
        if (!(libE instanceof Double lib) || a.eventEnergyPj().isEmpty()) return;
        double eventLogic = 0, eventSmtj = 0;
        for (Map.Entry<String, Double> e : a.eventEnergyPj().entrySet())
            if (notLogic(e.getKey())) eventSmtj += e.getValue();
            else eventLogic += e.getValue();
        Map<String, Object> m = new TreeMap<>();
        m.put("library_logic_pj", lib);
        m.put("library_dynamic_pj", power.get("dynamic_energy_pj_per_inference"));
        m.put("library_leakage_pj", power.get("leakage_energy_pj_per_inference"));
        m.put("event_model_logic_pj", eventLogic);
        m.put("event_model_device_pj", eventSmtj);
        m.put("event_model_by_class_pj", new TreeMap<>(a.eventEnergyPj()));
        Object byClass = power.get("energy_by_class_pj_per_inference");
        m.put("library_by_class_pj", byClass);
        double libSmtj = byClass instanceof Map<?, ?> bc && bc.get("smtj") instanceof Double d ? d : 0;
        m.put("library_logic_without_smtj_model_pj", lib - libSmtj);
        m.put("library_over_event_model", eventLogic == 0 ? null : lib / eventLogic);
        double gates = a.eventToggles().getOrDefault("gate_toggles", 0.0), fft = a.eventToggles().getOrDefault("flipflop_toggles", 0.0),
                ffBits = a.eventToggles().getOrDefault("flipflop_bits", 0.0);
        double g = (Double) cal.get("gate_toggle_pj"), f = (Double) cal.get("ff_toggle_pj"), c = (Double) cal.get("ff_clock_pj");
        double repriced = gates * g + fft * f + ffBits * a.cyclesPerInference() * c;
        m.put("event_model_calibrated_logic_pj", repriced);
        m.put("event_counts_per_inference", new TreeMap<>(a.eventToggles()));
        m.put("images", a.images());
        m.put("explanation", String.format(java.util.Locale.ROOT,
                "The library figure is OpenSTA's power of every mapped cell (internal + switching + leakage) over %d cycles at the clock, "
                        + "with the behavioural s-MTJ logic included when the RTL has it (the event model prices the device per sample instead and "
                        + "gives its xorshift model no energy) and the clock load of every flip-flop in every cycle. The event model prices IR-level "
                        + "events at %s: %.0f gate toggles, %.0f flip-flop toggles and %.0f flip-flop bits clocked per cycle per inference. "
                        + "Re-priced with the library's per-toggle energies (%.4g pJ a gate toggle, %.4g pJ a flip-flop toggle, %.4g pJ a "
                        + "flip-flop clock) the same events cost %.1f pJ against the library's %.1f pJ; the rest of the gap is what the IR "
                        + "counts do not see (a mapped IR gate is several cells, the popcount trees' internal nets are estimated) and the "
                        + "probabilistic activity OpenSTA propagates through the logic. Without the behavioural s-MTJ logic (class smtj) "
                        + "the library figure is %.1f pJ.",
                a.cyclesPerInference(), "0.001 pJ, 0.005 pJ and 0.0005 pJ by default", gates, fft, ffBits, g, f, c, repriced, lib, lib - libSmtj));
        asic.put("energy_comparison", m);
    }
}
