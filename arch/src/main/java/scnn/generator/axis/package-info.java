/**
 * The AXI4-Stream top {@code <top>_axis} ({@link scnn.generator.axis.AxisTop}): a wrapper around the
 * built core, in the IR, with framing, a second image buffer and an output FIFO.
 */
package scnn.generator.axis;
