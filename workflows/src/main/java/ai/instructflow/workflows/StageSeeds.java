package ai.instructflow.workflows;

import ai.instructflow.trainer.train.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Each stage's random numbers come from the run's seed and the stage's name, never from the order
 * stages happen to be declared in: adding or moving a stage leaves every other stage's draws as they
 * were, and a retried or resumed stage draws exactly what its first attempt drew.
 */
public final class StageSeeds {

    private StageSeeds() {}

    /** A non-negative 63-bit seed for {@code stage} in a run seeded {@code runSeed} (FNV-1a over the name, then mixed). */
    public static long of(long runSeed, String stage) {
        long h = 0xcbf29ce484222325L;
        for (byte b : stage.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return Seeds.mix(h ^ Seeds.mix(runSeed)) & Long.MAX_VALUE;
    }

    public static long of(long runSeed, Stage stage) {
        return of(runSeed, stage.id());
    }

    /** The stage's generator: the same sequence on every attempt. */
    public static Random random(long runSeed, Stage stage) {
        return new Random(of(runSeed, stage));
    }
}
