package scnn.generator.verilog;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The module's identifier namespace: the IR names (nodes, ports, {@code clk}, {@code rst}) are
 * taken first, then every helper name the emitter makes (genvars, generate-block labels, functions,
 * function locals, the memory-directory parameter) comes from {@link #fresh(String)}, which returns
 * the base name, or the base name with the first free suffix {@code _1}, {@code _2}, ... when it is
 * taken or a keyword. Helpers are requested in a fixed order, so the names are deterministic.
 */
final class Names {
    private final Set<String> taken = new HashSet<>();

    Names(Collection<String> irNames) {
        for (String n : irNames) {
            if (Keywords.is(n))
                throw new IllegalArgumentException("IR name '" + n + "' is a Verilog/SystemVerilog keyword; rename it in the builder");
            taken.add(n);
        }
    }

    String fresh(String base) {
        String n = base;
        for (int k = 1; taken.contains(n) || Keywords.is(n); k++) n = base + "_" + k;
        taken.add(n);
        return n;
    }
}
