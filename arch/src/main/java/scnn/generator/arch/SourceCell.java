package scnn.generator.arch;

import scnn.ir.Bits;
import scnn.ir.Design;
import scnn.ir.Instance;
import scnn.ir.Node;

/**
 * A random-source model as a cell: a module of one device that a layer instantiates as an instance
 * array of as many copies as a source group has devices, with the pins of the s-MTJ cell's contract
 * ({@code en}, {@code p}, {@code bits}, and the behavioural {@code reseed}, {@code key},
 * {@code seed}, {@code fresh}; README, docs/verilog.md). {@link SmtjCell} (the telegraph model) is
 * the one model today; a new model is one class implementing this and its line in
 * {@link BuildContext#sourceCell}.
 */
interface SourceCell {
    /**
     * {@code count} devices named {@code name} in {@code d}: device i biased by element i of
     * {@code p17} (or by the scalar {@code p17}) and seeded with {@code seeds[i]}; they sample while
     * {@code en}. Returns the instance; its output {@code bits} has one element per device.
     */
    Instance place(Design d, String name, int count, Node p17, Bits[] seeds, Node en, Node reseed, Node key, Node fresh);
}
