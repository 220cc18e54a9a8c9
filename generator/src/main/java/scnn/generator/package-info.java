/**
 * Hardware output: the Verilog backend ({@code verilog}), the Yosys runner ({@code synth}) and tool
 * discovery ({@code tools}). The SC architecture builder ({@code scnn.generator.arch}) is in the
 * Maven module {@code arch}, the netlist IR ({@code scnn.ir}) in {@code ir}.
 */
package scnn.generator;
