/**
 * The weights file format {@code scnn-weights/1}: an in-memory model of a trained, quantized
 * network ({@link scnn.core.weights.Network}) and its strict JSON reader and writer
 * ({@link scnn.core.weights.WeightsIO}).
 */
package scnn.core.weights;
