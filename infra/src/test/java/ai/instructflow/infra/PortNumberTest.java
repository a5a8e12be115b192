package ai.instructflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Ports from options and settings: the whole range, 0 included, and nothing else. */
class PortNumberTest {

    @Test
    void takesEveryPortAndZero() {
        assertEquals(0, PortNumber.parse("--port", "0"));
        assertEquals(7233, PortNumber.parse("--port", "7233"));
        assertEquals(65535, PortNumber.parse("--port", "65535"));
    }

    @Test
    void refusesWhatIsNoPortNamingWhereItWasGiven() {
        for (String bad : new String[] {"-1", "65536", "x", "", " 80", "80.0"}) {
            assertEquals("instructflow.metrics-port (INSTRUCTFLOW_METRICS_PORT) must be a port number (0 for any free one), got '"
                            + bad + "'",
                    assertThrows(IllegalArgumentException.class,
                            () -> PortNumber.parse("instructflow.metrics-port (INSTRUCTFLOW_METRICS_PORT)", bad)).getMessage());
        }
    }
}
