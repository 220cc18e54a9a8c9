package scnn.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.generator.arch.CoreInterface;
import scnn.generator.arch.ScDesign;
import java.util.Map;
import java.util.TreeMap;
import scnn.ir.Design;
import scnn.ir.Flatten;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.ir.Tag;
import scnn.sim.engine.Compiler;
import scnn.sim.engine.Machine;
import scnn.sim.engine.Program;

/**
 * Runs MNIST images through a generated design, cycle by cycle, 64 images per machine word, on
 * several threads. Each image is one inference of the RTL after reset, driven through the
 * documented interface: its pixels are in {@code pix_mem} (loaded directly, as the inputs' {@code pix_we}
 * writes would leave them), the inference counter holds the image's index k (as after k earlier
 * starts; {@link ScDesign#keyLatency} idle edges let the key registers follow it), {@code start} is pulsed, the design runs until {@code done}, then {@code class_out} and
 * every class's {@code score} (through {@code score_sel}) are read. By the random-stream rule the
 * result is exactly what the RTL computes for that image as the k-th inference since reset.
 */
public final class InferenceRunner {
    /**
     * Revision of the switching-event accounting (which nets are counted and how the netlist is
     * compiled into counted gates). Bump it when a change alters event counts of the same netlist,
     * so that stored results (e.g. sweep points) are recomputed.
     */
    public static final int EVENTS_REVISION = 4;

    private final ScDesign sd;
    private final Program program;
    /** The same design with start = 0 and pix_we = 0 folded in: what runs between start and done, and the score readout. */
    private final Program running;
    private final double compileSeconds;
    private final Node start, scoreSel, pixWe, done, cls, score, pixMem, counter;
    private final int keyLatency;
    /** The design's event probes (s-MTJ samples, DAC conversions) on the flat design. */
    private final List<Flatten.FlatProbe> probes;
    /** Per probe, the slots (in the running variant) of the elements it counts. */
    private final int[][] probeSlots;

    public InferenceRunner(ScDesign sd) {
        this.sd = sd;
        long t0 = System.nanoTime();
        // the hierarchy is inlined before compiling (ScDesign.flat): the compiler sees one flat design
        Design d = sd.flat().design();
        this.program = Compiler.compile(d);
        // score_sel stays an input: the scores are read through it in this variant after done,
        // without a switch back (a switch recomputes every node)
        this.running = Compiler.compile(d, java.util.Map.of(d.node(CoreInterface.START), 0L, d.node(CoreInterface.PIX_WE), 0L), program);
        this.compileSeconds = (System.nanoTime() - t0) / 1e9;
        start = d.node(CoreInterface.START);
        scoreSel = d.node(CoreInterface.SCORE_SEL);
        pixWe = d.node(CoreInterface.PIX_WE);
        done = d.outputs().get(CoreInterface.DONE).node();
        cls = d.outputs().get(CoreInterface.CLASS_OUT).node();
        score = d.outputs().get(CoreInterface.SCORE).node();
        pixMem = d.node(sd.pixelMemory());
        counter = d.node(sd.inferenceCounter());
        keyLatency = sd.keyLatency();
        probes = sd.flat().probes();
        probeSlots = new int[probes.size()][];
        for (int i = 0; i < probes.size(); i++) {
            Flatten.FlatProbe p = probes.get(i);
            int[] sg = running.signals(p.signal().node());
            boolean broadcast = p.signal().mode() == scnn.ir.Ref.Mode.SCALAR || p.signal().mode() == scnn.ir.Ref.Mode.ELEM;
            int[] slots = new int[broadcast ? 1 : p.elements()];
            for (int e = 0; e < slots.length; e++) slots[e] = sg[p.element(e)];
            probeSlots[i] = slots;
        }
    }

    /** The ones among the lanes of {@code mask} in a slot (constant slots included). */
    private static long ones(Machine m, int slot, long mask) {
        if (slot == Program.C0) return 0;
        if (slot == Program.C1) return Long.bitCount(mask);
        return Long.bitCount(m.word(slot) & mask);
    }

    private boolean recordBitToggles;

    /** Also keep the per-bit toggles of every state and input node in {@link SimResult#stateBitToggles}. */
    public InferenceRunner recordBitToggles(boolean on) {
        this.recordBitToggles = on;
        return this;
    }

    public Program program() {
        return program;
    }

    public double compileSeconds() {
        return compileSeconds;
    }

    /**
     * Runs of at least this many batches of 64 images use the machine's fused pattern code
     * ({@link Machine#useFused}); shorter ones would not repay the JIT's compilation of it
     * (docs/simulator.md: measured break-even about 60-110 batches on 3h). The results are the same.
     */
    static final int FUSED_MIN_BATCHES = 100;

    /** Per-thread accumulation. */
    private final class Worker {
        final Machine m = new Machine(program, running);
        int maxCycles = sd.cyclesPerInference() * 4 + 16;
        /** Events counted by each probe, over all lanes and batches. */
        final long[] probeCounts = new long[probes.size()];

        /** Runs images [from, from + n) (n <= {@link Machine#LANES}) of {@code set} as lanes; fills the result arrays. */
        void batch(MnistSet set, int from, int n, int[] pred, long[][] scores, int[] cyclesOut) {
            m.setCounting(false);
            m.use(0);
            m.reset();
            for (int j = 0; j < n; j++) {
                int img = from + j;
                for (int p = 0, np = sd.coreInterface().inputs(); p < np; p++) m.poke(pixMem, p, j, set.pixel(img, p));
                m.poke(counter, 0, j, img);
            }
            m.set(pixWe, 0);
            m.set(scoreSel, 0);
            m.set(start, 0);
            // the key registers follow the poked counter (a two-stage pipeline of it): idle edges first
            for (int i = 0; i < keyLatency; i++) m.step();
            m.setCountedLanes(n);
            m.set(start, 1);
            m.step(); // the start edge
            m.set(start, 0);
            m.use(1);
            int doneSig = program.signals(done)[0];
            int cycles = 0;
            long mask = n == 64 ? -1L : (1L << n) - 1;
            while (true) {
                // events count from the edge after the start edge: the first cycle after it is the
                // baseline, because every register was just put in a state free of history
                m.eval();
                m.setCounting(true);
                for (int i = 0; i < probeSlots.length; i++) {
                    int[] ps = probeSlots[i];
                    long c = 0;
                    for (int slot : ps) c += ones(m, slot, mask);
                    if (ps.length == 1) c *= probes.get(i).elements();
                    probeCounts[i] += c * probes.get(i).weight();
                }
                m.commit();
                cycles++;
                long dw = m.word(doneSig) & mask;
                if (dw != 0) {
                    if (dw != mask) throw new IllegalStateException("lanes finished at different cycles");
                    break;
                }
                if (cycles > maxCycles) throw new IllegalStateException("done never rose within " + maxCycles + " cycles");
            }
            m.setCounting(false);
            cyclesOut[0] = cycles;
            for (int j = 0; j < n; j++) pred[from + j] = (int) m.peek(cls, 0, j);
            int outs = sd.coreInterface().classes();
            int w = score.width();
            for (int c = 0; c < outs; c++) {
                m.set(scoreSel, c);
                m.eval();
                for (int j = 0; j < n; j++) {
                    long v = m.peek(score, 0, j);
                    if (w < 64 && ((v >>> (w - 1)) & 1) != 0) v |= -1L << w;
                    scores[from + j][c] = v;
                }
            }
        }
    }

    /** Simulates the first {@code k} images of {@code set}. */
    public SimResult run(MnistSet set, int k, int threads, EnergyModel energy, Progress progress) {
        EnergyModel em = energy.forDesign(sd.config());
        int n = Math.min(k, set.size());
        int batches = (n + Machine.LANES - 1) / Machine.LANES;
        int[] pred = new int[n];
        long[][] scores = new long[n][];
        for (int i = 0; i < n; i++) scores[i] = new long[sd.coreInterface().classes()];
        int t = Math.max(1, Math.min(threads, batches));
        progress.start("simulate", n);
        long t0 = System.nanoTime();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < t; i++) workers.add(new Worker());
        for (Worker w : workers) w.m.useFused(batches >= FUSED_MIN_BATCHES);
        int[] cyc = new int[t];
        ExecutorService ex = Executors.newFixedThreadPool(t);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < t; w++) {
                final int wi = w;
                fs.add(ex.submit(() -> {
                    int[] c = new int[1];
                    for (int b = wi; b < batches; b += t) {
                        int from = b * Machine.LANES, cnt = Math.min(Machine.LANES, n - from);
                        workers.get(wi).batch(set, from, cnt, pred, scores, c);
                        if (cyc[wi] != 0 && cyc[wi] != c[0]) throw new IllegalStateException("cycle count changed between batches");
                        cyc[wi] = c[0];
                        progress.advance(cnt);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("simulation failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            ex.shutdownNow();
            progress.finish();
        }
        double wall = (System.nanoTime() - t0) / 1e9;

        SimResult r = new SimResult();
        r.images = n;
        r.bits = sd.config().bits();
        r.seed = sd.config().seed();
        r.predictions = pred;
        r.scores = scores;
        r.labels = new int[n];
        for (int i = 0; i < n; i++) {
            r.labels[i] = set.label(i);
            if (pred[i] == r.labels[i]) r.correct++;
        }
        r.cyclesPerInference = cyc[0];
        r.clockNs = em.clockNs() > 0 ? em.clockNs() : sd.config().device().clockNs();
        r.wallSeconds = wall;
        r.compileSeconds = compileSeconds;
        r.synapses = sd.network().synapses();
        r.threads = t;
        if (sd.chip() != null) r.chip = sd.chip().toJson(new com.fasterxml.jackson.databind.ObjectMapper(), sd.config().chip());
        account(r, workers, em);
        return r;
    }

    /** Sums the workers' event counts per tag and prices them. */
    private void account(SimResult r, List<Worker> workers, EnergyModel em) {
        Design d = sd.flat().design();
        Program program = running; // every counted event happened in the running variant
        long[] tog = new long[Math.max(program.slotCount(), this.program.slotCount())];
        long[] runs = new long[program.blocks()];
        for (Worker w : workers) {
            long[] t = w.m.toggles();
            for (int i = 0; i < tog.length; i++) tog[i] += t[i];
            long[] br = w.m.blockRuns(1);
            for (int i = 0; i < runs.length; i++) runs[i] += br[i];
        }
        for (Tag tag : Tag.values()) {
            r.netToggles.put(tag.key(), 0L);
            r.gateToggles.put(tag.key(), 0L);
            r.ffToggles.put(tag.key(), 0L);
            r.ffBits.put(tag.key(), 0L);
        }
        int nn = d.nodes().size();
        long[] gateOf = new long[nn], ffOf = new long[nn], memOf = new long[nn];
        for (Node n : d.nodes()) {
            long s = 0;
            for (int sg : program.signals(n)) if (sg >= 0) s += tog[sg];
            r.netToggles.merge(n.tag().key(), s, Long::sum);
            if (recordBitToggles && (n.isState() || n.op() == Op.INPUT)) {
                int[] sig = program.signals(n);
                long[] bt = new long[sig.length];
                for (int i = 0; i < sig.length; i++) bt[i] = sig[i] >= 0 ? tog[sig[i]] : 0;
                r.stateBitToggles.put(n.name(), bt);
            }
            if (n.op() == Op.REG) {
                r.ffToggles.merge(n.tag().key(), s, Long::sum);
                r.ffBits.merge(n.tag().key(), (long) n.count() * n.width(), Long::sum);
                ffOf[n.id()] = s;
            }
        }
        for (int slot = 0; slot < program.slotCount(); slot++) {
            int o = program.slotOwner(slot);
            if (o < 0) continue;
            Node n = d.nodes().get(o);
            if (n.isState() || n.op() == Op.INPUT) continue;
            r.gateToggles.merge(n.tag().key(), tog[slot], Long::sum);
            gateOf[o] += tog[slot];
        }
        // the adder tree of a wide popcount runs as one kernel without internal nets: estimate its
        // internal activity as one gate toggle per toggle of each input (about one full adder per input)
        for (int kk = 0; kk < program.kernels(); kk++) {
            long est = 0;
            for (int in : program.kernelInputs(kk)) est += tog[in];
            r.gateToggles.merge(d.nodes().get(program.kernelNode(kk)).tag().key(), est, Long::sum);
            gateOf[program.kernelNode(kk)] += est;
        }
        // memory reads: evaluations of ARRAY_GET nodes that read a memory (per lane)
        double lanesPerRun = (double) r.images / ((r.images + Machine.LANES - 1) / Machine.LANES);
        long memBits = 0;
        for (int b = 0; b < program.blocks(); b++) {
            int node = program.blockMarks(b);
            if (node < 0) continue;
            Node n = d.nodes().get(node);
            if (n.op() == Op.ARRAY_GET && n.arg(0).node().tag() == Tag.MEMORY) {
                memBits += runs[b] * n.count() * n.width();
                memOf[node] += runs[b] * n.count() * n.width();
            }
        }
        r.memBitsRead = Math.round(memBits * lanesPerRun);
        double n = r.images;
        Flatten.Flat flat = sd.flat();
        Map<String, Double> byModule = new TreeMap<>();
        for (ScDesign.SourceGroup g : sd.sources()) {
            Node st = d.node(g.state());
            long flips = 0;
            for (int sg : program.signals(st)) if (sg >= 0) flips += tog[sg];
            r.smtjFlips += flips;
            byModule.merge(flat.origin(st).path(), flips * em.smtjFlipPj(), Double::sum);
        }
        // s-MTJ samples and DAC conversions: the probes of the IR (a cell's sample-enable), counted every cycle
        long[] pc = new long[probes.size()];
        for (Worker w : workers) for (int i = 0; i < pc.length; i++) pc[i] += w.probeCounts[i];
        boolean anyDac = false;
        for (int i = 0; i < pc.length; i++) {
            Flatten.FlatProbe p = probes.get(i);
            switch (p.kind()) {
                case "smtj_samples" -> {
                    r.smtjSamples += pc[i];
                    byModule.merge(p.path(), pc[i] * em.smtjSamplePj(), Double::sum);
                }
                case "dac_conversions" -> {
                    r.dacConversions += pc[i];
                    anyDac = true;
                    byModule.merge(p.path(), pc[i] * em.dacConversionPj(), Double::sum);
                }
                default -> throw new IllegalStateException("unknown probe kind " + p.kind());
            }
        }
        r.arch = String.valueOf(d.params().getOrDefault("arch", "quantized"));
        r.activationLatencyCycles = ((Number) d.params().getOrDefault("activation_latency_cycles", 0)).intValue();
        if (anyDac || d.params().containsKey("dac_conversions_per_inference"))
            r.energyPj.put("dac", r.dacConversions * em.dacConversionPj() / n);
        for (Tag tag : Tag.values()) {
            String k = tag.key();
            double e;
            if (tag == Tag.SMTJ) {
                e = r.smtjSamples * em.smtjSamplePj() + r.smtjFlips * em.smtjFlipPj();
            } else {
                e = r.gateToggles.get(k) * em.gateTogglePj() + r.ffToggles.get(k) * em.ffTogglePj()
                        + (double) r.ffBits.get(k) * r.cyclesPerInference * n * em.ffClockPj();
            }
            if (tag == Tag.MEMORY) e += r.memBitsRead * em.memReadBitPj();
            r.energyPj.put(k, e / n);
        }
        // the same energy per module instance path: each node's events go to the module it came from
        for (Node x : d.nodes()) {
            double e = memOf[x.id()] * lanesPerRun * em.memReadBitPj();
            if (x.tag() != Tag.SMTJ) {
                e += gateOf[x.id()] * em.gateTogglePj() + ffOf[x.id()] * em.ffTogglePj();
                if (x.op() == Op.REG) e += (double) x.count() * x.width() * r.cyclesPerInference * n * em.ffClockPj();
            }
            if (e != 0) byModule.merge(flat.origin(x).path(), e, Double::sum);
        }
        for (Map.Entry<String, Double> e : byModule.entrySet()) r.energyByModulePj.put(e.getKey().isEmpty() ? "top" : "top." + e.getKey(), e.getValue() / n);
    }
}
