/**
 * The trainer: quantization-aware and stochastic-computing-aware training of MLPs on MNIST
 * ({@link scnn.train.Trainer}), the SC error model it trains against ({@link scnn.train.ScNoise}),
 * the exact evaluation behind every reported accuracy ({@link scnn.train.ExactInference}: the one
 * reference forward pass of {@link scnn.core.model.ReferenceModel} on the trainer's threads) and
 * the glue that turns a run into a weights file with its
 * provenance ({@link scnn.train.TrainJob}). See docs/training.md.
 */
package scnn.train;
