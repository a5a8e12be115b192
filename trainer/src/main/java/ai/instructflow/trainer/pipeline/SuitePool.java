package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.suite.Split;
import ai.instructflow.trainer.suite.SuitePrompt;
import ai.instructflow.trainer.suite.TaskSuite;
import java.util.List;
import java.util.Random;

/** The built-in suite's prompts: generated, as many as asked, with checkable answers. */
public record SuitePool(TaskSuite suite) implements PromptPool {

    @Override
    public List<String> sample(Split split, int n, Random rng) {
        return suite.sample(split, n, rng).stream().map(SuitePrompt::prompt).toList();
    }

    @Override
    public boolean simulatable() {
        return true;
    }
}
