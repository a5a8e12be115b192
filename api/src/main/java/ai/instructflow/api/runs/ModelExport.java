package ai.instructflow.api.runs;

import ai.djl.Device;
import ai.instructflow.activities.TrainerSettings;
import ai.instructflow.activities.models.ModelArchive;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.api.error.ValidationException;
import ai.instructflow.trainer.hf.Gpt2Export;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.tokenizer.Tokenizer;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's trained models out, in the Hugging Face GPT-2 layout as a zip: a policy (sft, ppo) as
 * {@code GPT2LMHeadModel}, the reward model as {@code GPT2ForSequenceClassification} with one label;
 * with the run's BPE tokenizer files where it has one (a byte-level run's models carry none).
 */
@ApplicationScoped
public class ModelExport {

    public static final String HF = "hf";
    /** Which checkpoint prefix holds each exportable stage's model. */
    private static final Map<Stage, String> PREFIXES = Map.of(Stage.SFT, "policy/", Stage.PPO, "policy/", Stage.RM, "rm/");

    @Inject
    RunService runs;

    public StreamingOutput export(String runId, String stageId, String format) {
        runs.record(runId);
        Stage stage = Stage.of(stageId).filter(PREFIXES::containsKey).orElse(null);
        if (stage == null) {
            throw new ValidationException(List.of(new FieldError("stage", "must be sft, ppo or rm, got '" + stageId + "'")));
        }
        if (!HF.equals(format)) {
            throw new ValidationException(List.of(new FieldError("format", "must be hf (the Hugging Face GPT-2 layout), got "
                    + (format == null ? "none" : "'" + format + "'"))));
        }
        StageManifest m = runs.runs().stage(runId, stage).filter(s -> RunStatus.SUCCEEDED.equals(s.status))
                .orElseThrow(() -> new ClientErrorException("stage " + stage.id() + " of run " + runId
                        + " has not produced a model yet", Response.Status.CONFLICT));
        Artifact artifact = m.artifacts.stream().filter(a -> a.name().equals("model")).findFirst().orElseThrow();
        Tokenizer tokenizer = TrainerSettings.format(runs.runs().spec(runId).orElseThrow(), runs.runs().objects()).tokenizer();
        Path dir;
        try (GPT model = new Artifacts(runs.runs().objects()).load(artifact, Checkpoint::read)
                .model(PREFIXES.get(stage), Device.cpu())) {
            dir = Files.createTempDirectory("instructflow-export-");
            if (stage == Stage.RM) {
                Gpt2Export.rewardModel(model, tokenizer, dir);
            } else {
                Gpt2Export.policy(model, tokenizer, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out -> {
            try {
                ModelArchive.pack(dir, out);
            } finally {
                delete(dir);
            }
        };
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
