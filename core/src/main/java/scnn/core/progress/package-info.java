/** The progress-reporting interface between long-running library code and the CLI. */
package scnn.core.progress;
