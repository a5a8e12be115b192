package ai.instructflow.workflows;

import java.util.List;

/**
 * Application failure types. Those no retry can fix, which the workflow's retry policies do not
 * retry: bad input, a diverged loss, a fault injected on purpose. And one that is nothing but a
 * retry: a worker leaving hands its stage on.
 */
public final class Failures {

    public static final String INVALID_INPUT = "InvalidInput";
    public static final String DIVERGED = "Diverged";
    public static final String INJECTED = "InjectedFault";

    /** A worker shutting down stopped the stage at a checkpoint; another worker continues it. */
    public static final String HANDED_OVER = "HandedOver";

    public static final List<String> NON_RETRYABLE = List.of(INVALID_INPUT, DIVERGED, INJECTED);

    private Failures() {}
}
