/**
 * The execution engine: compiles the netlist IR once into a flat program of bit-sliced
 * instructions and executes it for 64 design instances at a time, one per bit of a {@code long}
 * ({@link scnn.sim.engine.Machine}).
 *
 * <p>Every bit of every IR net maps to a signal: the constant 0, the constant 1, or a slot (one
 * {@code long}: bit j belongs to instance j). {@link scnn.sim.engine.Compiler} runs the passes in
 * order: layout ({@code Signals}), bit-blasting ({@code BitBlaster}) with folding ({@code Gates})
 * and sharing ({@code Sharing}) applied as gates are built and wide popcounts and large ROM reads as
 * kernels ({@code Kernels}), register merging ({@code RegisterMerge}) and encoding ({@code Encoder})
 * into a {@link scnn.sim.engine.Program}: the elements of a node that compile alike become one
 * pattern record ({@code Instr.REP}, one loop per instruction over the copies), whose copies that
 * every event sum reads alike share one toggle count (a count class). The instruction set and its operand layout have one owner,
 * {@code Instr}. Registers update together at the clock edge. A node's instructions run only when
 * one of its operand nodes changed in that cycle, which is exact because an unchanged input gives
 * an unchanged output. Where the JVM has the incubating Vector API ({@code --add-modules
 * jdk.incubator.vector}) and the CPU 512-bit vectors, the narrow popcount kernels run eight at a
 * time, one per {@code long} of a 512-bit word ({@code PopcountGroups}, {@code VectorPopcount});
 * elsewhere one by one, with the same results.
 */
package scnn.sim.engine;
