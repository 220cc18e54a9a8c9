package scnn.generator.arch;

import java.util.List;
import java.util.Map;
import scnn.core.weights.Network;
import scnn.ir.Design;
import scnn.ir.Flatten;

/**
 * The generated hardware: the IR design plus what reports, testbenches and simulators need to know
 * about it.
 *
 * @param design             the netlist IR
 * @param network            the weights it implements
 * @param config             generation options
 * @param cyclesPerInference clock edges from the edge that samples {@code start} to the edge that
 *                           raises {@code done}
 * @param scoreWidth         width W of the {@code score} port (signed)
 * @param sources            s-MTJ source groups
 * @param pixelMemory        name of the pixel RAM node (one 8-bit word per input: {@link CoreInterface#inputs()})
 * @param inferenceCounter   name of the inference counter register (k: starts since reset)
 * @param flat               the design with its hierarchy inlined ({@link Flatten}): what the
 *                           simulator and the Chisel backend execute; the names above are names of
 *                           its nodes
 * @param chip               the devices that the chip's variation and faults affect ({@link ScConfig#chip}), or null on an ideal chip
 */
public record ScDesign(Design design, Network network, ScConfig config, int cyclesPerInference, int scoreWidth,
                       List<SourceGroup> sources, String pixelMemory, String inferenceCounter, Flatten.Flat flat,
                       ChipVariation.Report chip) {
    public ScDesign(Design design, Network network, ScConfig config, int cyclesPerInference, int scoreWidth,
                    List<SourceGroup> sources, String pixelMemory, String inferenceCounter, Flatten.Flat flat) {
        this(design, network, config, cyclesPerInference, scoreWidth, sources, pixelMemory, inferenceCounter, flat, null);
    }

    public ScDesign {
        CoreInterface io = CoreInterface.of(network, scoreWidth, cyclesPerInference);
        for (CoreInterface.Port p : io.ports()) {
            scnn.ir.Node n = p.input() ? design.node(p.name()) : design.outputs().containsKey(p.name()) ? design.outputs().get(p.name()).node() : null;
            if (n == null || (p.input() && n.op() != scnn.ir.Op.INPUT) || n.width() != p.width())
                throw new IllegalArgumentException(design.name() + ": port " + p.name() + " does not match the interface description (" + p + ")");
        }
    }

    /**
     * Clock edges from a change of the inference counter ({@link #inferenceCounter}) until the key
     * registers ({@link #inferenceKeyRegisters}) hold the key K(k) of its value: the per-inference
     * key is a two-stage pipeline of the counter. Running an inference as the k-th since reset by
     * poking the counter with k therefore takes this many idle cycles (start = 0) before the start
     * (in a run from reset the counter changes at a start, and the next start is at least
     * {@code cyclesPerInference + 1} edges later, so nothing waits).
     */
    public int keyLatency() {
        return ControlFsm.KEY_LATENCY;
    }

    /** The key pipeline's registers in the flat design (state derived from the counter, not history of an inference). */
    public List<String> inferenceKeyRegisters() {
        return ControlFsm.KEY_REGISTERS.stream().map(n -> Flatten.flatName(ControlFsm.INSTANCE, n)).toList();
    }

    /**
     * The interface facts of the core (port names and widths, pixel count, class count, timing):
     * what testbenches, runners and wrappers read instead of their own copies.
     */
    public CoreInterface coreInterface() {
        return CoreInterface.of(network, scoreWidth, cyclesPerInference);
    }

    /** The cell kind of the s-MTJ cell ({@code Design.cellKind()}), for writing it as a black box. */
    public static final String SMTJ_CELL = SmtjCell.KIND;

    /**
     * A group of s-MTJ devices with a common role.
     *
     * @param name    group name (prefix of its nodes)
     * @param role    what the devices generate
     * @param devices number of devices
     * @param layer   1-based layer whose multiply-accumulate phase clocks them
     * @param state   name of the register array of the device states in the flat design (its toggles are the flips)
     */
    public record SourceGroup(String name, String role, int devices, int layer, String state) {}

    public int totalSources() {
        return sources.stream().mapToInt(SourceGroup::devices).sum();
    }

    public double latencyNs() {
        return cyclesPerInference * config.device().clockNs();
    }

    /** Facts for the manifest. */
    public Map<String, Object> manifestFacts() {
        return Map.of(
                "network", network.name(),
                "shape", network.shape(),
                "levels", network.levels(),
                "synapses", network.synapses(),
                "smtj_sources", totalSources(),
                "cycles_per_inference", cyclesPerInference,
                "latency_ns", latencyNs(),
                "score_width", scoreWidth,
                "seed", config.seed());
    }
}
