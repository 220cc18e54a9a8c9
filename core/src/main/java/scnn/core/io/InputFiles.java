package scnn.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading the files a user names: only regular files (not a device such as {@code /dev/zero},
 * a FIFO or a directory), at most a documented size, and JSON with bounded nesting and sizes, so
 * that no input can exhaust memory or the stack. Every refusal is one {@link ScnnException} line
 * {@code <file>: <problem>}.
 */
public final class InputFiles {
    private InputFiles() {}

    /** The largest input file scnn reads: 1 GiB (a weights file of the shipped nets is a few MiB). */
    public static final long MAX_BYTES = 1L << 30;

    /** JSON limits: nesting depth (scnn's formats need fewer than 10 levels), number and string length. */
    public static final int MAX_JSON_DEPTH = 64;
    public static final int MAX_JSON_NUMBER_LENGTH = 1000;
    public static final int MAX_JSON_STRING_LENGTH = 64 << 20;

    /** A Jackson factory with scnn's limits and duplicate keys refused. */
    public static JsonFactory jsonFactory() {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_JSON_DEPTH)
                        .maxNumberLength(MAX_JSON_NUMBER_LENGTH)
                        .maxStringLength(MAX_JSON_STRING_LENGTH)
                        .build())
                .build();
        f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return f;
    }

    /** The bytes of {@code file}, after checking it is a regular file of at most {@code max} bytes. */
    public static byte[] readBytes(Path file, long max) {
        check(file, max);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (b.length > max) throw new ScnnException(file + ": larger than " + human(max) + ", the most scnn reads");
            return b;
        } catch (NoSuchFileException e) {
            throw new ScnnException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ScnnException(file + ": permission denied");
        } catch (IOException e) {
            throw new ScnnException(file + ": cannot read (" + AtomicFiles.describe(e) + ")");
        }
    }

    /** {@link #readBytes(Path, long)} with {@link #MAX_BYTES}. */
    public static byte[] readBytes(Path file) {
        return readBytes(file, MAX_BYTES);
    }

    /** The text of a UTF-8 file; a file that is not UTF-8 text (e.g. binary) is refused with one line. */
    public static String readText(Path file, long max) {
        byte[] b = readBytes(file, max);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
            if (s.indexOf('\0') >= 0) throw new ScnnException(file + ": not a text file (it holds NUL bytes)");
            return s;
        } catch (CharacterCodingException e) {
            throw new ScnnException(file + ": not a text file (not UTF-8)");
        }
    }

    /** Fails with one line unless {@code file} is an existing regular file of at most {@code max} bytes. */
    public static void check(Path file, long max) {
        if (file.toString().isEmpty()) throw new ScnnException("\"\": an empty path is not a file");
        if (Files.isDirectory(file)) throw new ScnnException(file + ": is a directory, expected a file");
        if (!Files.exists(file)) throw new ScnnException(file + ": no such file");
        if (!Files.isRegularFile(file)) throw new ScnnException(file + ": not a regular file (a device, FIFO or socket); scnn reads only files");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ScnnException(file + ": cannot read (" + AtomicFiles.describe(e) + ")");
        }
        if (size > max) throw new ScnnException(file + ": " + human(size) + " is larger than " + human(max) + ", the most scnn reads");
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) return (bytes >> 30) + " GiB";
        if (bytes >= 1L << 20) return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        return bytes + " bytes";
    }
}
