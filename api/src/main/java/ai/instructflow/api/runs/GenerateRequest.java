package ai.instructflow.api.runs;

import java.util.List;

/** The playground: prompts for the model a stage ("sft", "ppo" or "dpo") produced; temperature 0 is greedy. */
public record GenerateRequest(String stage, List<String> prompts, Double temperature, Integer maxTokens) {}
