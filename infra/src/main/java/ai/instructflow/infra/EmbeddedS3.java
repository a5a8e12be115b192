package ai.instructflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 server (s3proxy) over a local folder, so development and tests need no MinIO.
 *
 * <p>Each bucket is a sub-folder of {@code dataDir} and each object a file under it (key slashes
 * become folders; metadata lives in extended attributes), so a new server on the same folder
 * sees everything an earlier one stored.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts a server on {@code host:port}; port 0 picks a free one, see {@link #endpoint()}. */
    public static EmbeddedS3 start(Path dataDir, String host, int port, String accessKey, String secretKey) {
        Path root = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create S3 data folder " + root, e);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(root.toString()))
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // a graceful stop waits seconds on clients' pooled keep-alive connections (and
                // fails if given less), which only slows restarts and tests
                .stopTimeout(0)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            stopQuietly(proxy, e);
            throw new IllegalStateException("cannot start embedded S3 on " + host + ":" + port, e);
        }
        return new EmbeddedS3(proxy, URI.create("http://" + host + ":" + proxy.getPort()));
    }

    /** Base URL of the server with the port actually bound, e.g. {@code http://127.0.0.1:45678}. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop embedded S3 at " + endpoint, e);
        }
    }

    private static void stopQuietly(S3Proxy proxy, Exception cause) {
        try {
            proxy.stop();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
