package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.suite.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A team's own prompts, already split into train and held-out: each draw is a random subset
 * without repeats, so asking for more than the file has gives all of it.
 */
public record TeamPool(List<String> train, List<String> heldOut) implements PromptPool {

    public TeamPool {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    @Override
    public List<String> sample(Split split, int n, Random rng) {
        List<String> all = new ArrayList<>(split == Split.TRAIN ? train : heldOut);
        Collections.shuffle(all, rng);
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    @Override
    public boolean simulatable() {
        return false;
    }
}
