package scnn.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import scnn.core.progress.Progress;

/** A {@link Progress} drawn with the progressbar library on standard error. */
final class ConsoleProgress implements Progress {
    private ProgressBar bar;

    @Override
    public synchronized void start(String task, long total) {
        if (bar != null) bar.close();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .build();
    }

    @Override
    public synchronized void advance(long n) {
        if (bar != null) bar.stepBy(n);
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
        }
    }
}
