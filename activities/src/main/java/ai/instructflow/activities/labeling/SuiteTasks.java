package ai.instructflow.activities.labeling;

import ai.instructflow.trainer.suite.SuitePrompt;
import ai.instructflow.workflows.Failures;
import io.temporal.failure.ApplicationFailure;

/** The simulated people know only the built-in suite: a task's prompt as one of its prompts. */
final class SuiteTasks {

    private SuiteTasks() {}

    static SuitePrompt prompt(LabelingTask task) {
        return SuitePrompt.parse(task.prompt()).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
                "simulated labelers answer only the built-in suite's prompts, not '" + task.prompt() + "'",
                Failures.INVALID_INPUT));
    }
}
