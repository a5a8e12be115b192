package ai.instructflow.activities.stages;

import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.function.BiFunction;

/**
 * A stage whose work is training a model. Its training is apart from the attempt around it
 * (checkpoints, heartbeats, progress, writing its outputs), so that {@link StageReplay} can time the
 * trainer alone on exactly the work the stage did.
 *
 * @param <R> what the stage's trainer returns
 */
public interface TrainingStage<R> extends PipelineStage {

    /** The name of the model it trains inside its {@code model} artifact, e.g. "policy/". */
    String prefix();

    /**
     * Reads the stage's inputs and trains from {@code resume} (null: from the start), reporting to
     * {@code listener}; {@code then} gets the trainer's result and the trained model, which is closed
     * once it returns.
     */
    <T> T train(StageWork work, Checkpoint resume, TrainingListener listener, BiFunction<R, GPT, T> then);
}
