package ai.instructflow.api;

import ai.instructflow.infra.EmbeddedTemporal;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The Temporal service the API tests' platform talks to, started outside the platform as a cluster
 * would be, so that a test can take it away: {@link #restart()} is what a restarted embedded service
 * or a lost cluster looks like to a platform whose runs were in flight.
 */
public class TestTemporal implements QuarkusTestResourceLifecycleManager {

    private static final String HOST = "127.0.0.1";
    private static int port;
    private static EmbeddedTemporal temporal;

    @Override
    public Map<String, String> start() {
        port = freePort();
        temporal = EmbeddedTemporal.start(HOST, port);
        return Map.of("instructflow.temporal.target", temporal.target());
    }

    @Override
    public void stop() {
        temporal.close();
    }

    /** Stops the service and starts an empty one on the same port: every workflow it ran is gone. */
    public static synchronized void restart() {
        temporal.close();
        temporal = EmbeddedTemporal.start(HOST, port);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
