/**
 * The {@code scnn} command line: one picocli subcommand class per verb ({@code run}, {@code eval},
 * {@code data}, ...), shared options, progress bars and error reporting. No computation lives here;
 * commands call the library modules.
 */
package scnn.cli;
