package ai.instructflow.trainer.eval;

import java.util.List;

/** Something that answers prompts: a model with its decoding, or a scripted stand-in in tests. */
@FunctionalInterface
public interface Policy {

    /** One single-line completion per prompt, in order, without the end-of-response newline. Called with a whole batch. */
    List<String> complete(List<String> prompts);
}
