/**
 * External tools (Verilator, Icarus Verilog, Yosys, nextpnr): finding them, running them with a
 * timeout, and the rule that tests needing a missing tool skip loudly outside CI and fail under CI.
 */
package scnn.generator.tools;
