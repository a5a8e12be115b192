package ai.instructflow.activities.stages;

import ai.instructflow.activities.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An object's bytes held aside, with their sha256, until they are known to be the recorded ones: in memory
 * up to {@link Artifacts#IN_MEMORY} bytes, then in a temporary file (deleted on close). At most one byte
 * more than the recorded size is kept, enough to know the object is longer than it should be.
 */
final class Spool implements AutoCloseable {

    private final byte[] bytes;
    private final Path file;
    private final String sha256;
    private final boolean tooLong;

    private Spool(byte[] bytes, Path file, String sha256, boolean tooLong) {
        this.bytes = bytes;
        this.file = file;
        this.sha256 = sha256;
        this.tooLong = tooLong;
    }

    /** Reads {@code in} through; {@code size} is the recorded length, or 0 or less when none was recorded. */
    static Spool of(InputStream in, long size) throws IOException {
        long limit = size > 0 ? size + 1 : Long.MAX_VALUE;
        MessageDigest digest = ObjectStore.sha256Digest();
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        OutputStream out = memory;
        Path file = null;
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try {
            int n;
            while (total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) >= 0) {
                if (file == null && total + n > Artifacts.IN_MEMORY) {
                    file = Files.createTempFile("instructflow-artifact-", ".part");
                    out = Files.newOutputStream(file);
                    memory.writeTo(out);
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                total += n;
            }
            out.close();
        } catch (IOException | RuntimeException e) {
            out.close();
            if (file != null) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
        return new Spool(file == null ? memory.toByteArray() : null, file, HexFormat.of().formatHex(digest.digest()),
                total >= limit);
    }

    String sha256() {
        return sha256;
    }

    boolean tooLong() {
        return tooLong;
    }

    InputStream open() throws IOException {
        return file == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
