package ai.instructflow.workflows;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How long a stage's activity may run, how soon a silent worker counts as dead (its activities
 * heartbeat every second or so), and how many attempts it gets before the run fails.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageRuntime(Integer timeoutMinutes, Integer heartbeatSeconds, Integer maxAttempts) {

    static final int MAX_ATTEMPTS = 10;

    public static StageRuntime defaults(Stage stage) {
        int timeout = switch (stage) {
            case COLLECT_DEMONSTRATIONS, EVALUATE -> 60;
            case COLLECT_COMPARISONS -> 120;
            case SFT, RM, DPO -> 240;
            case PPO -> 480;
        };
        // 1 s doubling to 1 min between attempts: ten attempts weather about four minutes without a worker or
        // storage (a MinIO pod restarting, a node drained), and each resumes from the last checkpoint
        return new StageRuntime(timeout, 60, MAX_ATTEMPTS);
    }

    public StageRuntime overriddenBy(StageRuntime other) {
        if (other == null) {
            return this;
        }
        return new StageRuntime(other.timeoutMinutes != null ? other.timeoutMinutes : timeoutMinutes,
                other.heartbeatSeconds != null ? other.heartbeatSeconds : heartbeatSeconds,
                other.maxAttempts != null ? other.maxAttempts : maxAttempts);
    }
}
