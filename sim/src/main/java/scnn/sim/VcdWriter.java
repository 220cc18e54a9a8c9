package scnn.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import scnn.core.io.AtomicFiles;
import scnn.core.io.OutputPolicy;
import scnn.core.mnist.MnistSet;
import scnn.generator.arch.ScDesign;
import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Op;
import scnn.sim.engine.Machine;
import scnn.sim.engine.Program;

/**
 * Writes a VCD waveform (GTKWave) of the first images run one after another on one instance,
 * as the RTL runs them after reset. Dumped: the ports and every register, by their RTL names
 * ({@code <top>.<node>} and {@code <top>.<node>[g]} for arrays); wide combinational nets are left
 * out to keep files small. Pixels are loaded into {@code pix_mem} directly before each start.
 */
public final class VcdWriter {
    private VcdWriter() {}

    private record Var(Node node, int elem, String id, String name) {}

    public static void write(ScDesign sd, Program program, MnistSet set, int images, Path file) {
        write(sd, program, set, images, file, OutputPolicy.Replace.OWN);
    }

    /** The mark of a VCD file that scnn wrote (its {@code $version} line), for {@link OutputPolicy}. */
    public static final OutputPolicy.Mark MARK = OutputPolicy.Mark.containing("$version scnn");

    /** Writes the VCD; an existing {@code file} is replaced only when scnn wrote it ({@link #MARK}) or with {@code FORCE}. */
    public static void write(ScDesign sd, Program program, MnistSet set, int images, Path file, OutputPolicy.Replace replace) {
        Design d = sd.flat().design();
        List<Var> vars = new ArrayList<>();
        int idc = 0;
        for (Node n : d.nodes()) {
            boolean port = n.op() == Op.INPUT || d.outputs().values().stream().anyMatch(r -> r.node() == n);
            if (!(port || n.op() == Op.REG)) continue;
            for (int g = 0; g < n.count(); g++)
                vars.add(new Var(n, g, ident(idc++), n.count() == 1 ? n.name() : n.name() + "[" + g + "]"));
        }
        Node start = d.node(scnn.generator.arch.CoreInterface.START), pixMem = d.node(sd.pixelMemory()), done = d.outputs().get(scnn.generator.arch.CoreInterface.DONE).node();
        AtomicFiles.write(file, replace, MARK, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            w.write("$date scnn $end\n$version scnn cycle simulator $end\n$timescale 1ns $end\n");
            w.write("$scope module " + d.name() + " $end\n");
            w.write("$var wire 1 " + ident(vars.size()) + " clk $end\n");
            for (Var v : vars) w.write("$var " + (v.node.op() == Op.REG ? "reg" : "wire") + " " + v.node.width() + " " + v.id + " " + v.name
                    + (v.node.width() > 1 ? " [" + (v.node.width() - 1) + ":0]" : "") + " $end\n");
            w.write("$upscope $end\n$enddefinitions $end\n");
            final String clk = ident(vars.size());
            Machine m = new Machine(program);
            Bits[] last = new Bits[vars.size()];
            long half = Math.max(1, Math.round(sd.config().device().clockNs() / 2));
            long[] t = {0};
            Runnable dump = () -> {
                try {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < vars.size(); i++) {
                        Var v = vars.get(i);
                        Bits b = m.peekBits(v.node, v.elem, 0);
                        if (b.equals(last[i])) continue;
                        last[i] = b;
                        if (v.node.width() == 1) sb.append(b.bit(0) ? '1' : '0').append(v.id).append('\n');
                        else sb.append('b').append(b.toBinary()).append(' ').append(v.id).append('\n');
                    }
                    w.write("#" + t[0] + "\n1" + clk + "\n" + sb);
                    t[0] += half;
                    w.write("#" + t[0] + "\n0" + clk + "\n");
                    t[0] += half;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            m.eval();
            dump.run();
            for (int img = 0; img < Math.min(images, set.size()); img++) {
                for (int p = 0, np = set.imageSize(); p < np; p++) m.poke(pixMem, p, 0, set.pixel(img, p));
                m.set(start, 1);
                m.step();
                m.eval();
                dump.run();
                m.set(start, 0);
                int guard = sd.cyclesPerInference() * 4 + 16;
                while (guard-- > 0) {
                    m.step();
                    m.eval();
                    dump.run();
                    if ((m.word(program.signals(done)[0]) & 1) != 0) break;
                }
                m.step();
                m.eval();
                dump.run();
            }
            w.flush();
        });
    }

    private static String ident(int i) {
        StringBuilder sb = new StringBuilder();
        do {
            sb.append((char) ('!' + i % 94));
            i /= 94;
        } while (i > 0);
        return sb.toString();
    }
}
