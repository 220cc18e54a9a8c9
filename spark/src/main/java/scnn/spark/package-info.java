/**
 * Design-space sweeps on Apache Spark: the points of {@code ./scnn sweep} (each a network at one
 * bitstream length) are independent, so {@link scnn.spark.SparkExecutor} runs each as a Spark job,
 * in local mode or on a cluster, and hands every finished point back to the sweep, which stores it
 * exactly as a local run does. Found by the sweep through {@link java.util.ServiceLoader}.
 */
package scnn.spark;
