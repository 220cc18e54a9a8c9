package scnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.Arch;
import scnn.core.model.Encoding;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.generator.arch.SmtjModel;
import scnn.generator.arch.SynapseRng;
import scnn.generator.synth.Activity;
import scnn.generator.verilog.RtlWriter;
import scnn.generator.verilog.VerilogEmitter;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.sim.EnergyModel;
import scnn.sim.InferenceRunner;
import scnn.sim.SimResult;

/**
 * Switching activity for {@code synth}'s power analysis from scnn's own cycle-accurate simulation:
 * rebuilds the design of an RTL directory from its weights and the generation parameters in
 * {@code manifest.json}, checks that it prints exactly the Verilog in the directory, simulates test
 * images and turns every register, RAM and input bit's toggles into transitions per cycle under the
 * RTL names ({@code reg}, {@code reg[b]}, {@code array_q[g*W+b]}, {@code ram[g][b]}).
 */
final class SynthActivity {
    private SynthActivity() {}

    /** The design the manifest describes, built from {@code weights}; an error when it is not the RTL in {@code dir}. */
    static ScDesign rebuild(Path dir, Path weights) {
        JsonNode man;
        try {
            man = Json.MAPPER.readTree(dir.resolve(RtlWriter.MANIFEST).toFile());
        } catch (IOException e) {
            throw new ScnnException(dir.resolve(RtlWriter.MANIFEST) + ": cannot read (" + e.getMessage() + ")");
        }
        JsonNode p = man.path("parameters");
        if (p.has("replay")) throw new ScnnException(dir + ": generated with --replay; power from simulation needs the replay file (use --no-activity)");
        Network net = WeightsIO.read(weights);
        SmtjModel d = SmtjModel.DEFAULT;
        ScConfig cfg;
        try {
            cfg = new ScConfig(p.path("bits").asInt(), Encoding.parse(p.path("encoding").asText("sign-magnitude")), p.path("fold").asInt(1),
                    p.path("seed").asLong(1), new SmtjModel(p.path("clock_ns").asDouble(d.clockNs()), p.path("smtj_tau_corr_ns").asDouble(d.tauCorrNs()),
                    d.i0Ua(), d.iWidthUa()), null, Arch.parse(p.path("arch").asText("auto")), SynapseRng.parse(p.path("synapse_rng").asText("rotate")));
            // the chip, the weight sources and the analog baseline's DAC latency, as the manifest names them
            if (p.has("chip_seed"))
                cfg = cfg.withChip(new scnn.generator.arch.ChipVariation(p.path("chip_variation").asDouble(), p.path("chip_stuck_rate").asDouble(), p.path("chip_seed").asLong()));
            if (p.has("weight_sources")) cfg = cfg.withWeightSources(scnn.generator.arch.WeightSources.parse(p.path("weight_sources").asText()));
            if (p.has("dac_latency_cycles") || p.has("dac_conversion_pj"))
                cfg = cfg.withDac(new scnn.generator.arch.DacModel(p.path("dac_latency_cycles").asInt(1), p.has("dac_conversion_pj") ? p.path("dac_conversion_pj").asDouble() : null));
        } catch (IllegalArgumentException e) {
            throw new ScnnException(dir.resolve(RtlWriter.MANIFEST) + ": unusable generation parameters (" + e.getMessage() + ")");
        }
        ScDesign sd;
        try {
            sd = ScBuilder.build(net, cfg, ScBuilder.topName(net.name()));
        } catch (IllegalArgumentException e) {
            throw new ScnnException(weights + ": " + e.getMessage());
        }
        java.util.Set<String> boxes = new java.util.HashSet<>();
        for (JsonNode b : man.path("blackbox_modules")) boxes.add(b.asText());
        java.util.Set<String> cells = boxes.isEmpty() ? java.util.Set.of() : java.util.Set.of(ScDesign.SMTJ_CELL);
        for (VerilogEmitter.Output out : VerilogEmitter.emitAll(sd.design(), cells)) {
            Path v = dir.resolve(out.verilogFile());
            try {
                if (!Files.isRegularFile(v) || !Files.readString(v).equals(out.verilog()))
                    throw new ScnnException(dir + ": the RTL is not what " + weights + " generates with the manifest's parameters (pass the weights it was generated from with --weights)");
            } catch (IOException e) {
                throw new ScnnException(v + ": cannot read (" + e.getMessage() + ")");
            }
        }
        return sd;
    }

    static Activity measure(ScDesign sd, MnistSet test, int images, int threads, boolean bar) {
        InferenceRunner ir = new InferenceRunner(sd).recordBitToggles(true);
        SimResult r = ir.run(test, Math.min(images, test.size()), threads, EnergyModel.DEFAULT,
                bar ? new ConsoleProgress() : scnn.core.progress.Progress.NONE);
        double window = (double) r.images * r.cyclesPerInference;
        Map<String, Double> rates = new LinkedHashMap<>();
        scnn.ir.Flatten.Flat flat = sd.flat();
        for (Node n : flat.design().nodes()) {
            long[] t = r.stateBitToggles.get(n.name());
            if (t == null) continue;
            if (n.op() == Op.INPUT && n.count() > 1) continue;
            scnn.ir.Flatten.Origin o = flat.origin(n);
            int w = n.width(), copies = o.arrayAt() >= 0 ? o.copies() : 1, per = Math.max(1, n.count() / copies);
            for (int g = 0; g < n.count(); g++)
                for (int b = 0; b < w; b++) {
                    // the RTL name as the emitter prints it, as Yosys' flatten keeps it (instance path joined by '.')
                    String base = o.arrayAt() >= 0 ? o.verilogName(g / per) : o.verilogName(0);
                    int e = g % per;
                    // a register array is the flat state vector <reg>_q; a RAM read only at constant indices
                    // (the pixel memory) is mem2reg: one register <ram>[g] per word, as Yosys names them
                    String name = n.op() == Op.RAM && n.count() > 1 ? base + "[" + e + "]" + (w == 1 ? "" : "[" + b + "]")
                            : per > 1 ? base + "_q[" + (e * w + b) + "]" : w == 1 ? base : base + "[" + b + "]";
                    rates.put(name, t[g * w + b] / window);
                }
        }
        Map<String, Double> toggles = new TreeMap<>();
        double gates = 0, ffs = 0, bits = 0;
        for (String k : r.gateToggles.keySet()) {
            if (k.equals("smtj")) continue; // the behavioural s-MTJ model costs no energy in the event model
            gates += r.gateToggles.get(k);
            ffs += r.ffToggles.get(k);
            bits += r.ffBits.get(k);
        }
        toggles.put("gate_toggles", gates / r.images);
        toggles.put("flipflop_toggles", ffs / r.images);
        toggles.put("flipflop_bits", bits);
        toggles.put("smtj_samples", (double) r.smtjSamples / r.images);
        return new Activity(rates, "scnn cycle-accurate simulation of the first " + r.images + " MNIST test images", r.images,
                r.cyclesPerInference, new TreeMap<>(r.energyPj), toggles);
    }
}
