package ai.instructflow.trainer.suite;

/** Two responses to one prompt, as shown to a labeler for a comparison. */
public record ResponsePair(SuitePrompt prompt, String a, String b) {
}
