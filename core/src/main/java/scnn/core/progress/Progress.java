package scnn.core.progress;

/**
 * Progress of long work, reported by library code and drawn by the CLI (as a progress bar on
 * standard error). Implementations must be thread-safe.
 */
public interface Progress {
    /** Announces the total amount of work and what it is (resets the count). */
    void start(String task, long total);

    /** Reports {@code n} more units done. */
    void advance(long n);

    /** Sets a short status text shown beside the bar (e.g. the loss). */
    default void status(String text) {}

    /** The work is finished. */
    void finish();

    /** Reports nothing. */
    Progress NONE = new Progress() {
        @Override public void start(String task, long total) {}
        @Override public void advance(long n) {}
        @Override public void finish() {}
    };
}
