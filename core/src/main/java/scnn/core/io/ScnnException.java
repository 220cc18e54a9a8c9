package scnn.core.io;

/**
 * An error caused by the user's input or environment (bad file, bad option, missing tool).
 * Its message is one line that names the file or option and the problem; the CLI prints it
 * as {@code scnn: <message>} and exits non-zero.
 */
public class ScnnException extends RuntimeException {
    public ScnnException(String message) {
        super(message);
    }

    public ScnnException(String message, Throwable cause) {
        super(message, cause);
    }
}
