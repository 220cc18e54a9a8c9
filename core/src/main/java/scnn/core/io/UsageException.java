package scnn.core.io;

/**
 * A {@link ScnnException} caused by the command line itself: an option value that is out of
 * range or inconsistent with another option. The CLI exits with 2 for these (as for options it
 * cannot parse) and with 1 for problems with files, tools and the environment.
 */
public class UsageException extends ScnnException {
    public UsageException(String message) {
        super(message);
    }
}
