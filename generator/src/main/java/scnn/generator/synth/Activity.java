package scnn.generator.synth;

import java.util.Map;

/**
 * Switching activity of RTL nets measured by a simulation, for power analysis.
 *
 * @param togglesPerCycle    per net bit (RTL name: {@code reg}, {@code reg[i]}, {@code array_q[i]},
 *                           {@code port[i]}): transitions per clock cycle while an inference runs
 * @param source             what produced it (e.g. "scnn simulation of 64 MNIST test images")
 * @param images             images simulated
 * @param cyclesPerInference cycles of one inference (the window the rates are averaged over)
 * @param eventEnergyPj      the event model's energy per inference per class (pJ), for comparison;
 *                           may be empty
 * @param eventToggles       the event model's counts per inference: {@code gate_toggles},
 *                           {@code flipflop_toggles}, {@code flipflop_bits}, {@code smtj_samples}; may be empty
 */
public record Activity(Map<String, Double> togglesPerCycle, String source, int images, int cyclesPerInference,
                       Map<String, Double> eventEnergyPj, Map<String, Double> eventToggles) {}
