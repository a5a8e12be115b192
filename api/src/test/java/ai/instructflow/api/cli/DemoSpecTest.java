package ai.instructflow.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The run spec `./instructflow demo` submits for its options, and the options it refuses before starting. */
class DemoSpecTest {

    @Test
    void theMethodAndTheSeedGoIntoTheSpec() {
        assertEquals("{\"name\": \"demo\"}", Launcher.demoSpec("ppo", null));
        assertEquals("{\"name\": \"demo\", \"seed\": 2}", Launcher.demoSpec("ppo", "2"));
        assertEquals("{\"name\": \"demo-dpo\", \"method\": \"dpo\", \"seed\": 3}", Launcher.demoSpec("dpo", "3"));
    }

    @Test
    void aBadMethodOrSeedIsRefusedWithTheOption() {
        assertEquals("--method must be one of [ppo, dpo], got 'sgd'",
                assertThrows(IllegalArgumentException.class, () -> Launcher.demoSpec("sgd", null)).getMessage());
        for (String seed : new String[] {"two", "-1", "1.5"}) {
            assertEquals("--seed must be a whole number of 0 or more, got '" + seed + "'",
                    assertThrows(IllegalArgumentException.class, () -> Launcher.demoSpec("ppo", seed)).getMessage());
        }
    }
}
