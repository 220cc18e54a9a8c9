/**
 * The SC architecture builder: turns a weights file into the netlist IR of a stochastic-computing
 * network with behavioural s-MTJ random sources ({@link scnn.generator.arch.ScBuilder}), one
 * builder class per module kind: the control FSM ({@link scnn.generator.arch.ControlFsm}), the
 * layers ({@link scnn.generator.arch.LayerBuilder}: {@link scnn.generator.arch.QuantizedLayer},
 * {@link scnn.generator.arch.AnalogLayer}, registered by {@link scnn.generator.arch.Arch}), the
 * accumulators and requantizer, the random-source cell ({@link scnn.generator.arch.SourceCell}:
 * the s-MTJ cell {@link scnn.generator.arch.SmtjCell}) and the replay cell
 * ({@link scnn.generator.arch.ReplayCell}). A new layer kind is one {@code LayerBuilder} subclass
 * and its entry in {@code LayerBuilder.KINDS}; a new random-source model one {@code SourceCell}
 * and its line in {@code BuildContext.sourceCell}.
 *
 * <p><b>The core's interface</b> (port names, directions and widths, pixel count, class count,
 * cycles per inference) is described in one place, {@link scnn.generator.arch.CoreInterface},
 * reached from a built design as {@code ScDesign.coreInterface()}: testbenches, runners and
 * wrappers (the Chisel wrapper, an AXI4-Stream top) read it there, never from their own copies.
 */
package scnn.generator.arch;
