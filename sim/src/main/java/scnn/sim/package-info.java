/**
 * The cycle-accurate Java simulator: runs MNIST through a generated design's IR
 * ({@link scnn.sim.InferenceRunner}), counts switching events and turns them into energy
 * ({@link scnn.sim.EnergyModel}), and reports latency.
 */
package scnn.sim;
