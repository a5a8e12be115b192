package ai.instructflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The embedded S3 server's credentials when none are configured: made once per data folder from a
 * secure random source and kept in {@value #FILE} beside the data, readable by its owner only, so
 * that the local processes of one platform (the server, a worker, {@code dev-s3}) agree on them and
 * no other user of the machine, nor anyone who read this code, knows them.
 */
public final class LocalS3Credentials {

    public static final String FILE = "s3-credentials";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An access key and its secret. */
    public record Keys(String accessKey, String secretKey) {}

    private LocalS3Credentials() {}

    public static boolean exist(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve(FILE));
    }

    /** The folder's credentials, made on first use. */
    public static Keys of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.isRegularFile(file)) {
                create(dataDir, file);
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || lines.get(0).isBlank() || lines.get(1).isBlank()) {
                throw new IllegalStateException(file + " must hold an access key and a secret key, one per line");
            }
            return new Keys(lines.get(0).strip(), lines.get(1).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or make the S3 credentials in " + file, e);
        }
    }

    private static void create(Path dataDir, Path file) throws IOException {
        Files.createDirectories(dataDir);
        Path partial = Files.createTempFile(dataDir, FILE, ".partial", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, "if" + token(9) + "\n" + token(30) + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // another process of this platform made them first: theirs stand
            Files.deleteIfExists(partial);
        }
    }

    private static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
