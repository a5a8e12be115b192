package ai.instructflow.trainer.suite;

/** Which word list prompts are drawn from; the two share no words, so held-out prompts test generalisation. */
public enum Split {
    TRAIN,
    HELD_OUT
}
