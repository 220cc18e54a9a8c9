/**
 * The AXI4-Stream top in the Java cycle simulator: the stimulus that a test and the Verilog
 * testbench share ({@link scnn.sim.axis.AxisStimulus}), the cycle-by-cycle runner
 * ({@link scnn.sim.axis.AxisRunner}) and the port trace both produce ({@link scnn.sim.axis.AxisTrace}).
 */
package scnn.sim.axis;
