/**
 * The execution engine: compiles the netlist IR once into a flat program of bit-sliced
 * instructions ({@link scnn.sim.engine.Compiler}, {@link scnn.sim.engine.Program}) and executes it
 * for 64 design instances at a time, one per bit of a {@code long} ({@link scnn.sim.engine.Machine}).
 *
 * <p>Every bit of every IR net maps to a signal: the constant 0, the constant 1, or a slot (one
 * {@code long}: bit j belongs to instance j). Word-level operations become bit-level instructions
 * (ripple adders, carry-save popcount trees, mux trees) with constants folded and common
 * subexpressions shared at compile time; wiring (slices, concatenations, selections by constant
 * codes) costs nothing. Registers update together at the clock edge. A node's instructions run only
 * when one of its operand nodes changed in that cycle, which is exact because an unchanged input
 * gives an unchanged output.
 */
package scnn.sim.engine;
