package ai.instructflow.workflows;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Stand-ins for the stage activities: each stage returns one artifact whose hash is made from its
 * inputs', remembers what it computed for which inputs (as the real stages reuse verified outputs on
 * resume), and records every attempt. A test can make a stage fail, or block until cancelled.
 */
final class FakeStages implements StageActivities {

    /** One attempt at a stage: its name, Temporal's attempt number, the stages it was given, and whether it reused. */
    record Call(String stage, int attempt, List<String> inputs, boolean reused) {}

    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch blocking = new CountDownLatch(1);
    private final Map<String, Function<Integer, RuntimeException>> failures = new ConcurrentHashMap<>();
    private final Map<String, StageResult> computed = new ConcurrentHashMap<>();
    private volatile String blocks;

    /** {@code stage} throws what {@code failure} gives for an attempt number, or runs when it gives null. */
    FakeStages failing(Stage stage, Function<Integer, RuntimeException> failure) {
        failures.put(stage.id(), failure);
        return this;
    }

    /** {@code stage} heartbeats until it is cancelled, after counting down {@link #blocking}. */
    FakeStages blockingIn(Stage stage) {
        blocks = stage.id();
        return this;
    }

    List<String> computedStages() {
        return calls.stream().filter(c -> !c.reused()).map(Call::stage).distinct().toList();
    }

    private StageResult run(Stage stage, StageInput in) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        int attempt = context.getInfo().getAttempt();
        String identity = stage.id() + in.inputs().values().stream()
                .flatMap(r -> r.artifacts().stream()).map(Artifact::sha256).toList();
        StageResult done = computed.get(identity);
        if (done != null) {
            calls.add(new Call(stage.id(), attempt, List.copyOf(in.inputs().keySet()), true));
            return new StageResult(stage.id(), done.artifacts(), done.metrics(), in.runId());
        }
        calls.add(new Call(stage.id(), attempt, List.copyOf(in.inputs().keySet()), false));
        Function<Integer, RuntimeException> failure = failures.get(stage.id());
        RuntimeException thrown = failure == null ? null : failure.apply(attempt);
        if (thrown != null) {
            throw thrown;
        }
        if (stage.id().equals(blocks)) {
            blocking.countDown();
            while (true) {
                try {
                    context.heartbeat(null);
                } catch (ActivityCanceledException e) {
                    throw e;
                }
                LockSupport.parkNanos(20_000_000);  // a training step's worth between heartbeats
            }
        }
        StageResult result = new StageResult(stage.id(), List.of(new Artifact("out", "runs/" + in.runId() + "/" + stage.id(),
                Integer.toHexString(identity.hashCode()), 1, 1)), Map.of(), null);
        computed.put(identity, result);
        return result;
    }

    @Override
    public StageResult collectDemonstrations(StageInput input) {
        return run(Stage.COLLECT_DEMONSTRATIONS, input);
    }

    @Override
    public StageResult supervisedFineTuning(StageInput input) {
        return run(Stage.SFT, input);
    }

    @Override
    public StageResult collectComparisons(StageInput input) {
        return run(Stage.COLLECT_COMPARISONS, input);
    }

    @Override
    public StageResult trainRewardModel(StageInput input) {
        return run(Stage.RM, input);
    }

    @Override
    public StageResult optimizePolicy(StageInput input) {
        return run(Stage.PPO, input);
    }

    @Override
    public StageResult optimizeDirectly(StageInput input) {
        return run(Stage.DPO, input);
    }

    @Override
    public StageResult evaluate(StageInput input) {
        return run(Stage.EVALUATE, input);
    }
}
