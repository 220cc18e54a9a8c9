package scnn.sim.axis;

import java.util.ArrayList;
import java.util.List;
import scnn.generator.axis.AxisTop;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.sim.engine.Compiler;
import scnn.sim.engine.Machine;
import scnn.sim.engine.Program;

/**
 * Runs the AXI4-Stream top {@code <top>_axis} in the Java cycle simulator, cycle by cycle (one
 * lane), driven by an {@link AxisStimulus} exactly as the Verilog testbench drives the RTL, and
 * records an {@link AxisTrace}.
 */
public final class AxisRunner {
    private final AxisTop.Axis axis;
    private final Program program;
    private final Node tdata, tvalid, tlast, mready, tready, mdata, mvalid, mlast, ferr;

    public AxisRunner(AxisTop.Axis axis) {
        this.axis = axis;
        Design d = axis.flat().design();
        this.program = Compiler.compile(d);
        tdata = d.node("s_axis_tdata");
        tvalid = d.node("s_axis_tvalid");
        tlast = d.node("s_axis_tlast");
        mready = d.node("m_axis_tready");
        tready = d.outputs().get("s_axis_tready").node();
        mdata = d.outputs().get("m_axis_tdata").node();
        mvalid = d.outputs().get("m_axis_tvalid").node();
        mlast = d.outputs().get("m_axis_tlast").node();
        ferr = d.outputs().get("frame_error").node();
        if (mdata.width() > 63) throw new IllegalArgumentException("m_axis_tdata wider than 63 bits");
    }

    /** The cycle limit of a run: generous for the stimulus (every beat and result may wait a whole inference). */
    public static long maxCycles(AxisTop.Axis axis, AxisStimulus st) {
        long per = axis.beatsPerImage() + axis.sd().cyclesPerInference() + 2;
        return st.gaps().length + st.stalls().length + (long) st.beats().size() * 4 + (long) (st.expectedResults() + 4) * per * 4 + st.drainCycles() + 1000;
    }

    /** Sees the machine every cycle, after the inputs are set and the logic evaluated, before the edge (for tests). */
    public interface Observer {
        void cycle(long t, Machine m);
    }

    /** Runs the stimulus from reset until every beat is sent and every result taken, then {@link AxisStimulus#drainCycles()} more. */
    public AxisTrace run(AxisStimulus st) {
        return run(st, null);
    }

    /** As {@link #run(AxisStimulus)}, showing every cycle to {@code observer} (may be null). */
    public AxisTrace run(AxisStimulus st, Observer observer) {
        Machine m = new Machine(program);
        m.reset();
        List<String> out = new ArrayList<>();
        long limit = maxCycles(axis, st);
        int next = 0, results = 0;
        boolean offered = false, validSeen = false, ferrSeen = false;
        long drainEnd = -1, srcWait = 0, snkWait = 0;
        int expected = st.expectedResults();
        List<AxisStimulus.Beat> beats = st.beats();
        for (long t = 0; ; t++) {
            if (t >= limit) {
                out.add("timeout " + t);
                break;
            }
            if (!offered && next < beats.size() && !st.gap(t, next)) offered = true;
            AxisStimulus.Beat b = offered ? beats.get(next) : null;
            m.set(tvalid, offered ? 1 : 0);
            if (b != null) {
                m.set(tdata, b.data());
                m.set(tlast, b.last() ? 1 : 0);
            }
            boolean ready = !st.stall(t, results);
            m.set(mready, ready ? 1 : 0);
            m.eval();
            if (observer != null) observer.cycle(t, m);
            boolean mv = m.peek(mvalid, 0, 0) != 0;
            if (mv && !validSeen) {
                out.add("valid " + results + " " + (t - 1));
                validSeen = true;
            }
            if (!ferrSeen && m.peek(ferr, 0, 0) != 0) {
                out.add("frame_error " + (t - 1));
                ferrSeen = true;
            }
            boolean inXfer = offered && m.peek(tready, 0, 0) != 0;
            boolean outXfer = mv && ready;
            if (offered && !inXfer) srcWait++;
            if (mv && !ready) snkWait++;
            long data = outXfer ? m.peek(mdata, 0, 0) : 0;
            long last = outXfer ? m.peek(mlast, 0, 0) : 0;
            m.commit();
            if (inXfer) {
                out.add("beat " + next + " " + t);
                next++;
                offered = false;
            }
            if (outXfer) {
                out.add("result " + results + " " + data + " " + last + " " + t);
                results++;
                validSeen = false;
            }
            if (drainEnd < 0 && next == beats.size() && results >= expected) drainEnd = t + st.drainCycles();
            if (drainEnd >= 0 && t >= drainEnd) {
                out.add("waits " + srcWait + " " + snkWait);
                out.add("end " + t);
                break;
            }
        }
        return new AxisTrace(List.copyOf(out));
    }

    /**
     * The AXI top's timing, measured in the Java simulator on a stream of the first {@code images}
     * images of {@code set} with no stall.
     *
     * @param latencyCycles  edges from the transfer of image 0's first beat to the edge after which its result is valid
     * @param intervalCycles edges between the valid edges of consecutive results (all equal; 0 with one image)
     * @param images         images streamed
     */
    public record Timing(long latencyCycles, long intervalCycles, int images) {}

    /** Measures {@link Timing} on {@code images} (at least 1) images of {@code set}. */
    public Timing measure(scnn.core.mnist.MnistSet set, int images) {
        AxisStimulus st = AxisStimulus.clean(set, images, axis.sd().coreInterface().inputs(), axis.pixelsPerBeat(), axis.sd().cyclesPerInference());
        AxisTrace t = run(st);
        if (!t.ended() || t.results().size() != images) throw new IllegalStateException(axis.design().name() + ": " + t.results().size()
                + " results of " + images + " images without stalls");
        long[] iv = t.intervals(images);
        for (long x : iv) if (x != iv[0]) throw new IllegalStateException(axis.design().name() + ": unequal intervals " + java.util.Arrays.toString(iv));
        return new Timing(t.firstLatency(), iv.length == 0 ? 0 : iv[0], images);
    }
}
