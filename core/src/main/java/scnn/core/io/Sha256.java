package scnn.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files, as lower-case hex. */
public final class Sha256 {
    private Sha256() {}

    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /**
     * SHA-256 of a file's content: of the decompressed bytes when the file is gzip data (starts
     * with 1f 8b), else of the file itself. A broken gzip stream is an IOException.
     */
    public static String ofContent(Path file) throws IOException {
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int a = raw.read(), b = raw.read();
            raw.reset();
            if (a == 0x1f && b == 0x8b) {
                try (InputStream gz = new java.util.zip.GZIPInputStream(raw, 1 << 16)) {
                    return of(gz);
                }
            }
            return of(raw);
        }
    }

    private static String of(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        return HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 of a string's UTF-8 bytes. */
    public static String ofString(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
