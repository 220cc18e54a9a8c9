package scnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import scnn.core.progress.Progress;

/**
 * A {@link Progress} on standard error: a bar drawn with the progressbar library when standard
 * error is a terminal; otherwise (a log file, a pipe, CI) a few plain lines, one at the start,
 * one at each tenth of the work and one at the end, instead of hundreds of redraws.
 */
final class ConsoleProgress implements Progress {
    private final boolean terminal;
    private ProgressBar bar;
    private String task;
    private long total, done, nextLine;
    private long t0;

    ConsoleProgress() {
        this(stderrIsTerminal());
    }

    ConsoleProgress(boolean terminal) {
        this.terminal = terminal;
    }

    /**
     * True when standard error is a terminal: as the {@code ./scnn} launcher saw it (system property
     * {@code scnn.stderr.terminal}; the launcher passes the JVM's stderr through a filter, a pipe);
     * else on Linux whether fd 2 is a tty; elsewhere whether there is a console.
     */
    static boolean stderrIsTerminal() {
        String p = System.getProperty("scnn.stderr.terminal");
        if (p != null) return Boolean.parseBoolean(p);
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            if (Files.isSymbolicLink(fd2)) {
                String t = Files.readSymbolicLink(fd2).toString();
                return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return System.console() != null;
    }

    @Override
    public synchronized void start(String task, long total) {
        finish();
        this.task = task;
        this.total = total;
        this.done = 0;
        this.t0 = System.nanoTime();
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .build();
        } else {
            nextLine = Math.max(1, total / 10);
            System.err.printf(Locale.ROOT, "scnn: %s: 0 / %,d%n", task, total);
        }
    }

    @Override
    public synchronized void advance(long n) {
        if (bar != null) {
            bar.stepBy(n);
        } else if (task != null) {
            done += n;
            if (done >= nextLine && done < total) {
                System.err.printf(Locale.ROOT, "scnn: %s: %,d / %,d (%.0f %%, %.0f s)%n", task, done, total, 100.0 * done / total,
                        (System.nanoTime() - t0) / 1e9);
                while (nextLine <= done) nextLine += Math.max(1, total / 10);
            }
        }
    }

    @Override
    public synchronized void status(String text) {
        if (bar != null) bar.setExtraMessage(text);
    }

    @Override
    public synchronized void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        } else if (task != null) {
            System.err.printf(Locale.ROOT, "scnn: %s: done, %,d / %,d in %.1f s%n", task, done, total, (System.nanoTime() - t0) / 1e9);
        }
        task = null;
    }
}
