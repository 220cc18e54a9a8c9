/**
 * The Verilog side of co-simulation: the generated testbench {@code tb.v} with its switching-event
 * monitors ({@link scnn.testbench.verilog.TestbenchWriter}), building and running it under
 * Verilator or Icarus ({@link scnn.testbench.verilog.RtlRunner}), and its results file
 * ({@link scnn.testbench.verilog.RtlResults}).
 */
package scnn.testbench.verilog;
