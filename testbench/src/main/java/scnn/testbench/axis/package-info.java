/**
 * The AXI4-Stream top in RTL: its directory ({@link scnn.testbench.axis.AxisRtl}), its testbench
 * and the co-simulation against the Java simulator ({@code cosim --top axis}).
 */
package scnn.testbench.axis;
