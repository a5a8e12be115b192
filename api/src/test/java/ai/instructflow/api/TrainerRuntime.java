package ai.instructflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Loads libtorch inside the running app. Called from every test profile: each profile is a fresh Quarkus start
 * in a new class loader, which fails unless DJL is loaded parent-first (see application.properties).
 */
public final class TrainerRuntime {

    private TrainerRuntime() {
    }

    public static void assertLibtorchComputes() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            assertEquals(6f, manager.create(new float[] {1, 2, 3}).sum().getFloat());
        }
    }
}
