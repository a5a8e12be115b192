package ai.instructflow.api.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The token that bootstraps access: every other token is minted with it.
 *
 * <p>If {@code instructflow.admin-token} (env {@code INSTRUCTFLOW_ADMIN_TOKEN}) is set, that exact string is the
 * admin credential, whatever its form, and {@link AdminTokenAuthMechanism} accepts it. Otherwise, in embedded mode,
 * an admin JWT is minted at start and written to {@code <data-dir>/admin-token} (mode 600) for the CLI on the same
 * machine; only the file's path goes to the log, never the token. It lives {@link #MINTED_TTL} and is renewed in the
 * file at half its life, so a long-lived server always has a valid one there while a copied token soon expires. It
 * dies with the process in any case, since the signing key does.
 */
@ApplicationScoped
public class AdminToken {

    private static final Logger LOG = Logger.getLogger(AdminToken.class);
    /** A working day and then some: what a leaked copy is worth, at most. */
    static final Duration MINTED_TTL = Duration.ofHours(24);
    static final String SUBJECT = "admin";

    @Inject
    @ConfigProperty(name = "instructflow.admin-token")
    Optional<String> configured;

    @Inject
    @ConfigProperty(name = "instructflow.data-dir")
    Path dataDir;

    @Inject
    TokenIssuer issuer;

    @Inject
    Vertx vertx;

    private volatile String token;
    private byte[] configuredDigest;

    @PostConstruct
    void init() {
        Optional<String> given = configured.map(String::strip).filter(t -> !t.isEmpty());
        if (given.isPresent()) {
            token = given.get();
            configuredDigest = sha256(token);
        } else if (issuer.embedded()) {
            token = mint();
        }
    }

    private String mint() {
        return issuer.mint(SUBJECT, Set.of(Roles.ADMIN), MINTED_TTL);
    }

    void announce(@Observes StartupEvent event) {
        if (configuredDigest != null) {
            LOG.info("admin token: taken from instructflow.admin-token");
        } else if (token != null) {
            Path file = dataDir.resolve("admin-token");
            writePrivately(file, token);
            System.err.println("admin token written to " + file + " (valid " + MINTED_TTL.toHours() + " h, renewed there every "
                    + MINTED_TTL.dividedBy(2).toHours() + " h)");
            vertx.setPeriodic(MINTED_TTL.dividedBy(2).toMillis(), timer -> vertx.executeBlocking(() -> {
                token = mint();
                writePrivately(file, token);
                return null;
            }));
        } else {
            LOG.info("no admin token: tokens come from the identity provider (instructflow.auth.embedded=false)");
        }
    }

    /**
     * The admin bearer token, for an in-process launcher or CLI.
     *
     * @throws IllegalStateException when tokens come from an external identity provider and none was configured
     */
    public String adminToken() {
        if (token == null) {
            throw new IllegalStateException("no admin token: set instructflow.admin-token or use embedded auth");
        }
        return token;
    }

    /** Whether {@code presented} is the configured opaque admin token; constant time in its content and length. */
    boolean matchesConfigured(String presented) {
        // comparing digests keeps the timing independent of where, and whether in length, the strings differ
        return configuredDigest != null && MessageDigest.isEqual(configuredDigest, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Writes through a temporary file created with mode 600, so the token is never readable by others. */
    private static void writePrivately(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, "admin-token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file, e);
        }
    }
}
