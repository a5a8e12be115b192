package ai.instructflow.api.runs;

import ai.instructflow.activities.TrainerSettings;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.api.error.ValidationException;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.Sampler;
import ai.instructflow.trainer.pipeline.ModelPolicy;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.Stage;
import ai.djl.Device;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Completions from the models a run produced (SFT or PPO), on the API's CPU. The last few models
 * used stay loaded, keyed by their checkpoint's sha256.
 */
@ApplicationScoped
public class Playground {

    private static final int MAX_PROMPTS = 64;
    private static final int MAX_NEW_TOKENS = 64;
    private static final int CACHED_MODELS = 4;
    /** The stages whose output is a policy to prompt: SFT, and the tuned one (PPO or DPO, by the run's method). */
    private static final Set<Stage> POLICIES = Set.of(Stage.SFT, Stage.PPO, Stage.DPO);

    private final Map<String, GPT> models = new LinkedHashMap<>(16, 0.75f, true);

    @Inject
    RunService runs;

    public GenerateResponse generate(String runId, GenerateRequest request) {
        runs.record(runId);
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw new ValidationException(List.of(new FieldError("$", "a body with \"stage\" and \"prompts\" is required")));
        }
        Stage stage = request.stage() == null ? null : Stage.of(request.stage()).filter(POLICIES::contains).orElse(null);
        if (stage == null) {
            errors.add(new FieldError("stage", "must be \"sft\", \"ppo\" or \"dpo\""));
        }
        if (request.prompts() == null || request.prompts().isEmpty() || request.prompts().size() > MAX_PROMPTS) {
            errors.add(new FieldError("prompts", "must hold 1 to " + MAX_PROMPTS + " prompts"));
        }
        double temperature = request.temperature() == null ? 0 : request.temperature();
        if (!(temperature >= 0 && temperature <= 2)) {
            errors.add(new FieldError("temperature", "must be between 0 (greedy) and 2"));
        }
        int maxTokens = request.maxTokens() == null ? 32 : request.maxTokens();
        if (maxTokens < 1 || maxTokens > MAX_NEW_TOKENS) {
            errors.add(new FieldError("max_tokens", "must be between 1 and " + MAX_NEW_TOKENS));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Artifact artifact = runs.model(runId, stage);
        PromptFormat format = TrainerSettings.format(runs.runs().spec(runId).orElseThrow(), runs.runs().objects());
        synchronized (models) {
            GPT model = model(artifact);
            int context = model.config().context();
            for (int i = 0; i < request.prompts().size(); i++) {
                String prompt = request.prompts().get(i);
                int tokens = prompt == null ? 0 : format.prompt(prompt).length;
                if (prompt == null || prompt.isBlank()) {
                    errors.add(new FieldError("prompts[" + i + "]", "must be a non-empty string"));
                } else if (tokens + maxTokens > context) {
                    errors.add(new FieldError("prompts[" + i + "]", "too long: " + tokens + " prompt tokens plus max_tokens "
                            + maxTokens + " exceed the model's context of " + context));
                }
            }
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            Sampler.Config sampling = temperature == 0 ? Sampler.Config.greedy(maxTokens)
                    : Sampler.Config.sample((float) temperature, maxTokens);
            return new GenerateResponse(stage.id(), new ModelPolicy(model, format, sampling, 0).complete(request.prompts()));
        }
    }

    private GPT model(Artifact artifact) {
        GPT model = models.get(artifact.sha256());
        if (model == null) {
            Checkpoint checkpoint = new Artifacts(runs.runs().objects()).load(artifact, Checkpoint::read);
            model = checkpoint.model("policy/", Device.cpu());
            models.put(artifact.sha256(), model);
            if (models.size() > CACHED_MODELS) {
                var eldest = models.entrySet().iterator().next();
                eldest.getValue().close();
                models.remove(eldest.getKey());
            }
        }
        return model;
    }

    @PreDestroy
    void close() {
        synchronized (models) {
            models.values().forEach(GPT::close);
            models.clear();
        }
    }
}
