/**
 * Foundation shared by every scnn module: the weights file format ({@link scnn.core.weights}),
 * the MNIST data set ({@link scnn.core.mnist}), the exact software reference model
 * ({@link scnn.core.model}) and safe file output ({@link scnn.core.io}).
 */
package scnn.core;
