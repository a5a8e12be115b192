package ai.instructflow.activities.worker;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunSpecs;
import ai.instructflow.workflows.Stage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Duration;

/** Run specs at a toy budget, every stage doing real work in seconds, and waiting on them. */
final class TinyRuns {

    /** Laid over the defaults as a user's submission is. */
    private static final String TINY = """
            {"name": "%s", "preset": "tiny", "seed": 3, "demonstrations": {"count": 200},
             "sft": {"steps": %d, "batch_size": 16, "lr": 2e-3, "checkpoint_every": 10},
             "comparisons": {"prompts": 60, "held_out": 20, "k": 4, "labelers": 4},
             "rm": {"steps": 10, "batch_size": 8, "lr": 5e-4, "checkpoint_every": 5},
             "ppo": {"iterations": 4, "prompts": 100, "rollout_batch": 32, "minibatch": 16, "epochs": 2,
                     "max_new_tokens": 24, "checkpoint_every": 1},
             "evaluation": {"prompts": 40}}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyRuns() {}

    /** A tiny run with {@code more} (a JSON object) laid over it, e.g. {@code {"faults": ["rm"]}}. */
    static RunSpec spec(String name, String more) {
        return spec(name, 40, more);
    }

    static RunSpec spec(String name, int sftSteps, String more) {
        try {
            ObjectNode tiny = (ObjectNode) JSON.readTree(TINY.formatted(name, sftSteps));
            JSON.readTree(more).fields().forEachRemaining(f -> {
                if (tiny.get(f.getKey()) instanceof ObjectNode section && f.getValue().isObject()) {
                    section.setAll((ObjectNode) f.getValue());
                } else {
                    tiny.set(f.getKey(), f.getValue());
                }
            });
            return RunSpecs.resolve(tiny);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the registry until SFT has checkpointed at {@code step} or later; returns that checkpoint's step. */
    static long awaitSftCheckpoint(RunStore runs, String id, long step, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            StageManifest sft = runs.stage(id, Stage.SFT).orElse(null);
            if (sft != null && sft.checkpointStep != null && sft.checkpointStep >= step) {
                return sft.checkpointStep;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("SFT reached no checkpoint at step " + step + " within " + timeout);
    }
}
