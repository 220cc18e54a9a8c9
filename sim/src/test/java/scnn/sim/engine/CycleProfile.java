package scnn.sim.engine;

import java.nio.file.Path;
import java.util.*;
import scnn.core.mnist.MnistFiles;
import scnn.core.mnist.MnistSet;
import scnn.core.model.Encoding;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.*;
import scnn.ir.Design;
import scnn.ir.Node;

/**
 * A developer's tool (not a test): what one 64-lane clock cycle of the running phase executes, and
 * what it costs. {@code CycleProfile NET BITS} prints the instructions per cycle of the running
 * variant (over one inference of 64 lanes, averaged over its cycles), in all and per node kind;
 * {@code CycleProfile NET BITS R} runs R inferences of 64 images one after another on one thread and
 * prints the CPU time of the simulating thread per cycle of each (the steady state is the second
 * half: the first ones include the JIT's warm-up). Run it like {@code SimulatorBench} (docs/simulator.md).
 */
public class CycleProfile {
    public static void main(String[] a) {
        if (a.length < 2) {
            System.err.println("usage: CycleProfile NET BITS [REPETITIONS]   (NET: a weights/ file without .json)");
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("scnn.root", "."));
        Network n = WeightsIO.read(root.resolve("weights").resolve(a[0] + ".json"));
        ScConfig cfg = new ScConfig(Integer.parseInt(a[1]), Encoding.parse("sign-magnitude"), 1, 1, SmtjModel.DEFAULT, null, Arch.parse("auto"), SynapseRng.parse("rotate"));
        ScDesign sd = ScBuilder.build(n, cfg, ScBuilder.topName(n.name()));
        Design d = sd.flat().design();
        Program p0 = Compiler.compile(d);
        Program p = Compiler.compile(d, Map.of(d.node(CoreInterface.START), 0L, d.node(CoreInterface.PIX_WE), 0L), p0);
        MnistSet set = MnistFiles.defaultLocation(root).test();
        if (a.length > 2) {
            int reps = Integer.parseInt(a[2]);
            Machine m = new Machine(p0, p);
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long[] us = new long[reps];
            long[] setup = new long[reps], first = new long[reps];
            for (int r = 0; r < reps; r++) {
                long ts = mx.getCurrentThreadCpuTime();
                m.use(0);
                m.setCounting(false);
                m.reset();
                start(m, sd, set, 64 * r);
                int cycles = sd.cyclesPerInference();
                long t0 = mx.getCurrentThreadCpuTime();
                m.step();
                long t1 = mx.getCurrentThreadCpuTime();
                for (int c = 1; c < cycles; c++) m.step();
                us[r] = (mx.getCurrentThreadCpuTime() - t1) / 1000 / (cycles - 1);
                setup[r] = (t0 - ts) / 1000;
                first[r] = (t1 - t0) / 1000;
            }
            System.out.println(a[0] + " us/cycle per rep: " + Arrays.toString(us));
            System.out.println(a[0] + " us per batch start (reset, pixels, start edge): " + Arrays.toString(setup) + ", first running cycle (every node): " + Arrays.toString(first));
            long[] tail = Arrays.copyOfRange(us, reps / 2, reps);
            Arrays.sort(tail);
            System.out.println(a[0] + " median of 2nd half: " + tail[tail.length / 2] + " min " + tail[0]);
            return;
        }
        Machine m = new Machine(p0, p);
        start(m, sd, set, 0);
        int cycles = sd.cyclesPerInference();
        for (int c = 0; c < cycles; c++) m.step();
        long[] runs = m.blockRuns(1);
        Map<String, long[]> byKey = new TreeMap<>();
        long[] opTot = new long[Instr.ALL.length];
        long[] repCopies = new long[2];
        long[] classedWrites = new long[1];
        for (int b = 0; b < p.blocks(); b++) {
            if (runs[b] == 0) continue;
            int node = p.blockMarks(b);
            String name = node >= 0 ? d.nodes().get(node).name() : "next:" + d.nodes().get(p.commits.node()[-1 - node]).name();
            String key = name.replaceAll("^l\\d+_", "").replaceAll("\\d+$", "#");
            long[] h = byKey.computeIfAbsent(key, k -> new long[Instr.ALL.length + 1]);
            for (int pc = p.blocks.start()[b]; pc < p.blocks.end()[b]; ) {
                Instr op = Instr.op(p.code, pc);
                if (op == Instr.REP) {
                    int k = p.code[pc + 2] * p.code[pc + 3];
                    for (int t = 0, q = pc + Instr.REP_HEADER; t < p.code[pc + 3]; t++) {
                        Instr ti = Instr.ALL[p.code[q]];
                        repCopies[p.code[q + 3] >= 0 ? 0 : 1] += (long) p.code[pc + 2] * runs[b];
                        q += 1 + 3 * ti.writes + 2 * ti.reads;
                    }
                    h[op.ordinal()] += k * runs[b];
                    opTot[op.ordinal()] += k * runs[b];
                    pc = Instr.encodedNext(p.code, pc);
                } else if (op == Instr.CLASSED) { // counted under its instruction
                    int k = p.code[pc + 1], o = p.code[pc + 2];
                    h[o] += k * runs[b];
                    opTot[o] += k * runs[b];
                    classedWrites[0] += (long) k * runs[b];
                    pc = Instr.encodedNext(p.code, pc);
                } else if (op.fixed()) {
                    int k = p.code[pc + 1];
                    h[op.ordinal()] += k * runs[b];
                    opTot[op.ordinal()] += k * runs[b];
                    pc += 2 + k * op.operands();
                } else {
                    int w = op == Instr.PCNT ? Instr.nReads(p.code, pc) : 1;
                    h[op.ordinal()] += w * runs[b];
                    opTot[op.ordinal()] += w * runs[b];
                    pc = Instr.next(p.code, pc);
                }
            }
        }
        System.out.println("cycles " + cycles + " slots " + p.slotCount() + " code ints " + p.code.length);
        // the edge: register bits committed per cycle (a state node's next-value block ran: its commit is pending)
        long commitBits = 0;
        Map<String, Long> commitBy = new TreeMap<>();
        for (int b = 0; b < p.blocks(); b++) {
            int mk = p.blockMarks(b);
            if (mk >= 0 || runs[b] == 0) continue;
            int r = -1 - mk;
            long bits = (long) (p.commits.nodeStart()[r + 1] - p.commits.nodeStart()[r]) * runs[b];
            commitBits += bits;
            commitBy.merge(d.nodes().get(p.commits.node()[r]).name().replaceAll("^l\\d+_", "").replaceAll("\\d+$", "#"), bits, Long::sum);
        }
        System.out.println("committed bits/cycle: " + commitBits / cycles + " " + commitBy.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(8).map(e -> e.getKey() + "=" + e.getValue() / cycles).toList());
        StringBuilder sb = new StringBuilder("total/cycle:");
        for (Instr op : Instr.ALL) if (opTot[op.ordinal()] > 0) sb.append(' ').append(op).append('=').append(opTot[op.ordinal()] / cycles);
        System.out.println(sb);
        System.out.println("pattern instructions/cycle: " + repCopies[0] / cycles + " counting into classes, " + repCopies[1] / cycles + " per slot");
        System.out.println("grouped instructions/cycle counting into classes (CLASSED): " + classedWrites[0] / cycles);
        List<Map.Entry<String, long[]>> es = new ArrayList<>(byKey.entrySet());
        es.sort((x, y) -> Long.compare(Arrays.stream(y.getValue()).sum(), Arrays.stream(x.getValue()).sum()));
        for (var e : es.subList(0, Math.min(40, es.size()))) {
            StringBuilder s = new StringBuilder(String.format("%-28s", e.getKey()));
            for (Instr op : Instr.ALL) if (e.getValue()[op.ordinal()] > 0) s.append(' ').append(op).append('=').append(e.getValue()[op.ordinal()] / cycles);
            System.out.println(s);
        }
    }

    /**
     * Loads test images {@code first} .. {@code first + 63} into the 64 lanes (pixels and inference
     * index), pulses start on the base variant and switches to the counting running variant.
     */
    static void start(Machine m, ScDesign sd, MnistSet set, int first) {
        Design d = sd.flat().design();
        Node pixMem = d.node(sd.pixelMemory()), counter = d.node(sd.inferenceCounter());
        int inputs = sd.coreInterface().inputs();
        for (int j = 0; j < 64; j++) {
            for (int q = 0; q < inputs; q++) m.poke(pixMem, q, j, set.pixel(first + j, q));
            m.poke(counter, 0, j, first + j);
        }
        for (int i = 0; i < sd.keyLatency(); i++) m.step(); // the key registers follow the poked counter
        m.set(d.node(CoreInterface.START), 1);
        m.step();
        m.set(d.node(CoreInterface.START), 0);
        m.use(1);
        m.setCounting(true);
    }
}
