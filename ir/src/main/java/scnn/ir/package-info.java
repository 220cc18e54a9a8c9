/**
 * The netlist IR: the single source of truth that the Verilog emitter prints, the Java cycle
 * simulator executes and the Chisel backend elaborates.
 *
 * <p>A {@link scnn.ir.Design} is one synchronous module (one clock {@code clk}, synchronous
 * active-high reset {@code rst}) made of {@link scnn.ir.Node}s. Every node has a name (its Verilog
 * name), a {@link scnn.ir.Tag} for energy accounting, a bit width and a <em>count</em>: a node with
 * count C is an array of C elements of that width, and an operation on arrays applies element by
 * element (a generate loop in Verilog). Operands are {@link scnn.ir.Ref}s that say how the operand
 * is indexed: the same element, a broadcast scalar, one fixed element, or the whole array. This keeps
 * a network of hundreds of thousands of synapses to a few dozen nodes per layer.
 *
 * <p>Semantics (shared by every backend): values are unsigned bit vectors; arithmetic wraps at the
 * result width; signed operations ({@link scnn.ir.Op#LTS}, {@link scnn.ir.Op#SEXT},
 * {@link scnn.ir.Op#ASHR}) read their operands as two's complement. Registers update together at the
 * rising clock edge: {@code rst ? init : (enable ? next : keep)}. Everything else is combinational
 * and must not form a loop ({@link scnn.ir.Design#levelize()} checks).
 */
package scnn.ir;
