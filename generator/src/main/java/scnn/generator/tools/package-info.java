/**
 * External tools (Verilator, Icarus Verilog, Yosys, nextpnr, OpenSTA): finding them, running them
 * with a timeout, the rule that tests needing a missing tool skip loudly outside CI and fail under
 * CI, and handing the JVM's unused heap back before a large tool runs beside it.
 */
package scnn.generator.tools;
