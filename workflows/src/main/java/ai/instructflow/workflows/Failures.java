package ai.instructflow.workflows;

import java.util.List;

/**
 * Application failure types that no retry can fix, so the workflow's retry policies do not retry
 * them: bad input, a diverged loss, a fault injected on purpose.
 */
public final class Failures {

    public static final String INVALID_INPUT = "InvalidInput";
    public static final String DIVERGED = "Diverged";
    public static final String INJECTED = "InjectedFault";

    public static final List<String> NON_RETRYABLE = List.of(INVALID_INPUT, DIVERGED, INJECTED);

    private Failures() {}
}
