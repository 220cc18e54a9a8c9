/**
 * The exact software reference of a weights file: the quantized semantics that the SC hardware
 * approximates (its limit for infinitely long bitstreams), and a float-activation variant.
 */
package scnn.core.model;
