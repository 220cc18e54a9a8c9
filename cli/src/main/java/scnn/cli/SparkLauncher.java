package scnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import scnn.core.io.ScnnException;

/**
 * Starts {@code ./scnn sweep --spark ...} again in a JVM whose class path is the {@code spark}
 * module's ({@code spark/target/scnn-spark.jar} and {@code spark/target/lib/}), with the Java
 * options Spark needs on Java 17 ({@code spark/target/classes/scnn/spark/jvm.options}): Spark and
 * its 200 MB of libraries stay out of the CLI jar.
 */
final class SparkLauncher {
    private SparkLauncher() {}

    /** The property that marks the second JVM (so that it never starts a third). */
    static final String CHILD = "scnn.spark.child";

    static int relaunch(List<String> args) {
        if (System.getProperty(CHILD) != null)
            throw new ScnnException("--spark: the spark module is on the class path but provides no executor (a broken build?)");
        Path target = Paths.root().resolve("spark").resolve("target");
        Path jar = target.resolve("scnn-spark.jar"), lib = target.resolve("lib"), opts = target.resolve("classes/scnn/spark/jvm.options");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib) || !Files.isRegularFile(opts))
            throw new ScnnException(jar + ": the spark module is not built; run 'mvn -B -DskipTests package' (./scnn builds it) and try again");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try {
            for (String o : Files.readString(opts).trim().split("\\s+")) if (!o.isEmpty()) cmd.add(o);
        } catch (IOException e) {
            throw new ScnnException(opts + ": cannot read (" + e.getMessage() + ")");
        }
        String xmx = System.getenv("SCNN_JAVA_OPTS");
        if (xmx != null) for (String o : xmx.trim().split("\\s+")) if (!o.isEmpty()) cmd.add(o);
        cmd.add("-D" + CHILD + "=1");
        cmd.add("-Dscnn.root=" + Paths.root());
        // the child's stderr is the filter's pipe: tell it whether ours is a terminal (progress bars)
        cmd.add("-Dscnn.stderr.terminal=" + ConsoleProgress.stderrIsTerminal());
        cmd.add("-cp");
        cmd.add(jar + java.io.File.pathSeparator + lib.resolve("*"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        // stderr through a filter that drops the JVM's announcement of the incubating vector module
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO().redirectError(ProcessBuilder.Redirect.PIPE);
        try {
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            Thread err = new Thread(() -> IncubatorWarning.copyWithout(p.getErrorStream(), System.err), "scnn-spark-stderr");
            err.setDaemon(true);
            err.start();
            int rc = p.waitFor();
            err.join(5000);
            return rc;
        } catch (IOException e) {
            throw new ScnnException("--spark: cannot start the Spark JVM (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScnnException("--spark: interrupted");
        }
    }
}
