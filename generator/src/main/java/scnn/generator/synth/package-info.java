/**
 * Synthesis of generated RTL: {@link scnn.generator.synth.YosysSynth} runs Yosys (generic gates,
 * flip-flops, CMOS transistor estimate) and, for small designs, nextpnr for an iCE40 HX8K, and
 * writes {@code synth.json} beside the RTL.
 */
package scnn.generator.synth;
