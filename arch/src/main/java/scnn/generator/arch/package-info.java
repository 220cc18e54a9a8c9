/**
 * The SC architecture builder: turns a weights file into the netlist IR of a stochastic-computing
 * network with behavioural s-MTJ random sources ({@link scnn.generator.arch.ScBuilder}).
 */
package scnn.generator.arch;
