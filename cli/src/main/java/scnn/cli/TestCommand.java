package scnn.cli;

import picocli.CommandLine.Command;

/**
 * Documents {@code ./scnn test}. The launcher runs the test suite itself ({@code mvn -B verify}),
 * because Maven rebuilds the very jar this class runs from.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run the whole test suite: mvn -B verify (unit tests, co-simulation with Verilator and Icarus, Yosys synthesis).",
                "Run it as ./scnn test; it installs verilator, iverilog and yosys when missing (as root, with apt-get).",
                "Tests that need those tools skip loudly outside CI when they are missing; under CI (CI set) they fail instead."})
final class TestCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("scnn test: run it through the launcher, as ./scnn test");
    }
}
