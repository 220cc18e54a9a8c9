package scnn.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import scnn.core.mnist.MnistSet;
import scnn.generator.axis.AxisTop;
import scnn.sim.axis.AxisRunner;

/**
 * The AXI4-Stream top's figures for {@code simulate} and {@code run}: interval, end-to-end latency
 * and throughput, measured by the Java simulator running {@code <top>_axis} on the first images
 * without stalls (when that stream is at most {@link #MEASURE_MAX_CYCLES} cycles; otherwise the
 * generator's figures, which the co-simulation checks, are reported and marked as not measured).
 */
final class AxisFigures {
    static final long MEASURE_MAX_CYCLES = 3_000_000;

    final AxisTop.Axis axis;
    final long intervalCycles, latencyCycles;
    final boolean measured;
    final int images;
    final double clockNs;

    private AxisFigures(AxisTop.Axis axis, long interval, long latency, boolean measured, int images, double clockNs) {
        this.axis = axis;
        this.intervalCycles = interval;
        this.latencyCycles = latency;
        this.measured = measured;
        this.images = images;
        this.clockNs = clockNs;
    }

    static AxisFigures of(AxisTop.Axis ax, MnistSet test, double clockNs) {
        int k = Math.min(3, test.size());
        long cycles = ax.latencyCycles() + (long) (k - 1) * ax.intervalCycles();
        if (cycles > MEASURE_MAX_CYCLES) return new AxisFigures(ax, ax.intervalCycles(), ax.latencyCycles(), false, 0, clockNs);
        AxisRunner.Timing t = new AxisRunner(ax).measure(test, k);
        if (k > 1 && t.intervalCycles() != ax.intervalCycles() || t.latencyCycles() != ax.latencyCycles())
            throw new IllegalStateException(ax.design().name() + ": measured interval " + t.intervalCycles() + " and latency " + t.latencyCycles()
                    + " differ from the generator's " + ax.intervalCycles() + " and " + ax.latencyCycles());
        return new AxisFigures(ax, k > 1 ? t.intervalCycles() : ax.intervalCycles(), t.latencyCycles(), true, k, clockNs);
    }

    double inferencesPerSecond() {
        return 1e9 / (intervalCycles * clockNs);
    }

    void put(ObjectNode o) {
        o.put("axis_top", axis.design().name());
        o.put("axis_pixels_per_beat", axis.pixelsPerBeat());
        o.put("axis_beats_per_image", axis.beatsPerImage());
        o.put("axis_interval_cycles", intervalCycles);
        o.put("axis_latency_cycles", latencyCycles);
        o.put("axis_interval_ns", intervalCycles * clockNs);
        o.put("axis_latency_ns", latencyCycles * clockNs);
        o.put("axis_throughput_inferences_per_s", inferencesPerSecond());
        o.put("axis_measured_images", images);
    }

    void print(long coreCycles) {
        System.out.printf("AXI4-Stream top %s (%d pixels a beat, %d beats an image): a result every %d cycles = %.0f ns without stalls "
                        + "(%.0f inferences/s at %.1f ns per cycle); latency %d cycles = %.0f ns from first beat to result, "
                        + "beside the core's %d cycles%s%n",
                axis.design().name(), axis.pixelsPerBeat(), axis.beatsPerImage(), intervalCycles, intervalCycles * clockNs, inferencesPerSecond(),
                clockNs, latencyCycles, latencyCycles * clockNs, coreCycles,
                measured ? " (measured on " + images + " images by the Java simulator running the AXI top)" : " (generator figures: too many cycles to simulate here)");
    }
}
