/** Hardware generation: the SC architecture builder ({@code arch}) and the Verilog backend ({@code verilog}). */
package scnn.generator;
