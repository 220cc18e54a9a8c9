/**
 * The Verilog backend: {@link scnn.generator.verilog.VerilogEmitter} prints an IR design as one
 * lint-clean Verilog-2005 module (generate loops over array elements, sized expressions, large
 * constant arrays in {@code $readmemh} files), and {@link scnn.generator.verilog.RtlWriter} writes
 * it with its memory files, file list and manifest into a directory atomically.
 * See {@code docs/verilog.md}.
 */
package scnn.generator.verilog;
