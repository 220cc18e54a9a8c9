/**
 * Design-space sweeps: many networks at many bitstream lengths through the cycle-accurate
 * simulator, with resumable per-point storage and the statistics (confidence intervals, paired
 * twin comparisons) that the sweep reports.
 */
package scnn.sim.sweep;
