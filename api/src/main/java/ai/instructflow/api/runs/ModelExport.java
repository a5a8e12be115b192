package ai.instructflow.api.runs;

import ai.djl.Device;
import ai.instructflow.activities.TrainerSettings;
import ai.instructflow.activities.models.ModelArchive;
import ai.instructflow.activities.models.ScratchFolder;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.api.error.ValidationException;
import ai.instructflow.trainer.hf.Gpt2Export;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.tokenizer.Tokenizer;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A run's trained models out, in the Hugging Face GPT-2 layout as a zip: a policy (sft, ppo) as
 * {@code GPT2LMHeadModel}, the reward model as {@code GPT2ForSequenceClassification} with one label;
 * with the run's BPE tokenizer files where it has one (a byte-level run's models carry none).
 */
@ApplicationScoped
public class ModelExport {

    public static final String HF = "hf";
    /** Which checkpoint prefix holds each exportable stage's model. */
    private static final Map<Stage, String> PREFIXES = Map.of(Stage.SFT, "policy/", Stage.PPO, "policy/", Stage.DPO, "policy/",
            Stage.RM, "rm/");

    @Inject
    RunService runs;

    public StreamingOutput export(String runId, String stageId, String format) {
        runs.record(runId);
        Stage stage = Stage.of(stageId).filter(PREFIXES::containsKey).orElse(null);
        if (stage == null) {
            throw new ValidationException(List.of(new FieldError("stage", "must be sft, ppo, dpo or rm, got '" + stageId + "'")));
        }
        if (!HF.equals(format)) {
            throw new ValidationException(List.of(new FieldError("format", "must be hf (the Hugging Face GPT-2 layout), got "
                    + (format == null ? "none" : "'" + format + "'"))));
        }
        Artifact artifact = runs.model(runId, stage);
        Tokenizer tokenizer = TrainerSettings.format(runs.runs().spec(runId).orElseThrow(), runs.runs().objects()).tokenizer();
        ScratchFolder scratch = write(stage, artifact, tokenizer);
        return out -> {
            try (scratch) {
                ModelArchive.pack(scratch.path(), out);
            }
        };
    }

    /** The stage's model as a Hugging Face folder in a scratch folder, removed again if writing it fails. */
    private ScratchFolder write(Stage stage, Artifact artifact, Tokenizer tokenizer) {
        try {
            ScratchFolder scratch = ScratchFolder.create("instructflow-export-");
            try (GPT model = new Artifacts(runs.runs().objects()).load(artifact, Checkpoint::read)
                    .model(PREFIXES.get(stage), Device.cpu())) {
                if (stage == Stage.RM) {
                    Gpt2Export.rewardModel(model, tokenizer, scratch.path());
                } else {
                    Gpt2Export.policy(model, tokenizer, scratch.path());
                }
                return scratch;
            } catch (IOException | RuntimeException e) {
                scratch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
