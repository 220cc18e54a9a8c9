package scnn.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.sim.sweep.Sweep;

/**
 * Runs the points of a sweep as Spark jobs. Every point is one single-task job submitted
 * asynchronously, so that Spark runs as many at once as it has task slots and the driver stores
 * each point the moment it arrives (an interrupted sweep resumes as a local one does). The test
 * set is broadcast once. In local mode ({@code local[K]}) every task simulates with one thread
 * and K tasks run at once; on a cluster a task takes {@code spark.task.cpus} threads.
 */
public final class SparkExecutor implements Sweep.Executor {
    private final String master;

    public SparkExecutor(String master) {
        this.master = master;
    }

    /** The Spark configuration: the master, no web UI, and loopback addresses in local mode. */
    SparkConf conf() {
        SparkConf c = new SparkConf().setMaster(master).setAppName("scnn sweep")
                .set("spark.ui.enabled", "false")
                .set("spark.scheduler.mode", "FAIR");
        if (master.startsWith("local")) c.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        return c;
    }

    @Override
    public void run(Sweep sweep, List<Sweep.Task> tasks, MnistSet test, Progress progress, BiConsumer<Sweep.Task, ObjectNode> done) {
        if (tasks.isEmpty()) return;
        ObjectMapper mapper = new ObjectMapper();
        try (JavaSparkContext sc = new JavaSparkContext(conf())) {
            sc.setLogLevel("WARN");
            int threads = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
            Broadcast<MnistSet> images = sc.broadcast(test);
            List<JavaFutureAction<List<String>>> running = new ArrayList<>();
            for (Sweep.Task t : tasks) {
                PointJob job = new PointJob(t.index(), scnn.core.weights.WeightsIO.toJsonString(t.net().network()), t.config(),
                        t.images(), sweep.energy(), threads, t.design().design().fingerprint());
                running.add(sc.parallelize(List.of(job), 1).map(j -> j.compute(images.value())).collectAsync());
            }
            progress.status("on Spark (" + master + "): " + tasks.size() + " points");
            boolean[] stored = new boolean[tasks.size()];
            for (int left = tasks.size(); left > 0; ) {
                boolean any = false;
                for (int i = 0; i < tasks.size(); i++) {
                    if (stored[i] || !running.get(i).isDone()) continue;
                    Sweep.Task t = tasks.get(i);
                    done.accept(t, (ObjectNode) mapper.readTree(running.get(i).get().get(0)));
                    progress.advance(t.work());
                    stored[i] = true;
                    left--;
                    any = true;
                }
                if (!any) Thread.sleep(50);
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new ScnnException("sweep on Spark (" + master + "): a point failed: " + firstLine(c.getMessage()), c);
        } catch (IOException e) {
            throw new ScnnException("sweep on Spark (" + master + "): a point's result does not parse (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScnnException("sweep on Spark (" + master + "): interrupted", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The {@code spark} executor of {@link Sweep#provider}. */
    public static final class Provider implements Sweep.ExecutorProvider {
        @Override
        public String name() {
            return "spark";
        }

        @Override
        public Sweep.Executor create(String master) {
            return new SparkExecutor(master);
        }
    }
}
