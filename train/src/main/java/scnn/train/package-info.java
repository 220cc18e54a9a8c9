/**
 * The trainer: quantization-aware and stochastic-computing-aware training of MLPs on MNIST
 * ({@link scnn.train.Trainer}), the SC error model it trains against ({@link scnn.train.ScNoise}),
 * an exact and fast copy of the reference model's arithmetic used for every reported accuracy
 * ({@link scnn.train.ExactInference}) and the glue that turns a run into a weights file with its
 * provenance ({@link scnn.train.TrainJob}). See docs/training.md.
 */
package scnn.train;
