/**
 * Low-level numeric building blocks of the trainer: row-major float kernels written so that
 * HotSpot auto-vectorises their inner loops ({@link scnn.train.kernel.Kernels}), a small fixed
 * thread pool that splits index ranges ({@link scnn.train.kernel.Workers}) and a counter-based
 * random number generator ({@link scnn.train.kernel.Rng}). Nothing here knows about networks.
 */
package scnn.train.kernel;
