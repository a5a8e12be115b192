package ai.instructflow.api;

import ai.instructflow.infra.EmbeddedTemporal;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The Temporal service the API tests' platform talks to, started outside the platform as a cluster
 * would be, so that a test can take it away: {@link #restart()} is what a restarted embedded service
 * or a lost cluster looks like to a platform whose runs were in flight.
 */
public class TestTemporal implements QuarkusTestResourceLifecycleManager {

    private static final String HOST = "127.0.0.1";
    private static EmbeddedTemporal temporal;

    @Override
    public Map<String, String> start() {
        temporal = EmbeddedTemporal.start(HOST, 0);
        return Map.of("instructflow.temporal.target", temporal.target());
    }

    @Override
    public void stop() {
        temporal.close();
    }

    /** Stops the service and starts an empty one on the same port: every workflow it ran is gone. */
    public static synchronized void restart() {
        int port = temporal.port();
        temporal.close();
        temporal = EmbeddedTemporal.start(HOST, port);
    }
}
