/**
 * Co-simulation and benchmark: the generated Verilog (under Verilator or Icarus, through the
 * testbench of {@link scnn.testbench.verilog}) against the Java cycle simulator, image by image and
 * bit for bit ({@link scnn.testbench.Cosim}), and the two raced on the same images
 * ({@link scnn.testbench.Bench}). See {@code docs/cosim.md}.
 */
package scnn.testbench;
