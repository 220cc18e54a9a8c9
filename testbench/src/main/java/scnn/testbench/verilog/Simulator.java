package scnn.testbench.verilog;

import java.util.Locale;
import scnn.core.io.ScnnException;

/** The HDL simulators the testbench runs under. */
public enum Simulator {
    /** Verilator 5: {@code verilator --binary} builds a C++ model of the testbench and the design. */
    VERILATOR("verilator", "verilator"),
    /** Icarus Verilog 11: {@code iverilog -g2012} compiles, {@code vvp} runs. */
    ICARUS("icarus", "iverilog");

    private final String key;
    private final String tool;

    Simulator(String key, String tool) {
        this.key = key;
        this.tool = tool;
    }

    /** The name on the command line ({@code --sim}). */
    public String key() {
        return key;
    }

    /** The executable that builds the model. */
    public String tool() {
        return tool;
    }

    /** The executables the simulator needs (for {@code Tools.require}). */
    public String[] tools() {
        return this == ICARUS ? new String[] {"iverilog", "vvp"} : new String[] {"verilator"};
    }

    public static Simulator parse(String s) {
        for (Simulator x : values()) if (x.key.equals(s.toLowerCase(Locale.ROOT))) return x;
        throw new ScnnException("unknown simulator '" + s + "' (verilator or icarus)");
    }
}
