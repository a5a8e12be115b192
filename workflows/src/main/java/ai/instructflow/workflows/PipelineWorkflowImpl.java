package ai.instructflow.workflows;

import ai.instructflow.workflows.labeling.LabelingActivities;
import ai.instructflow.workflows.labeling.LabelingQueueWorkflow;
import ai.instructflow.workflows.labeling.LabelingQueues;
import ai.instructflow.workflows.labeling.QueueSpec;
import ai.instructflow.workflows.labeling.QueueState;
import ai.instructflow.workflows.labeling.SimulatedSchedule;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The InstructGPT recipe as three steps of stage calls (paper figure 2); with {@code "method": "dpo"}
 * one DPO stage takes the place of the reward model and PPO. Deterministic: no I/O, no
 * clocks, no randomness; every stage is an activity and history carries only references.
 */
public class PipelineWorkflowImpl implements PipelineWorkflow {

    /** The version marker of a queue's tasks generated in shards: pipelines started before it replay without them. */
    static final String SHARDED_TASKS = "sharded-tasks";
    /** The version marker of simulated labelers in shards: pipelines started before it replay with one activity. */
    static final String SHARDED_SIMULATORS = "sharded-simulators";

    private Stage current;

    @Override
    public StageResult run(RunSpec spec) {
        String runId = Workflow.getInfo().getWorkflowId();
        try {
            // Step 1: demonstrations, supervised fine-tuning.
            StageResult demos = collect(spec, Stage.COLLECT_DEMONSTRATIONS, input(runId, spec),
                    StageActivities::collectDemonstrations);
            StageResult sft = stage(spec, Stage.SFT, a -> a.supervisedFineTuning(input(runId, spec, demos)));
            // Step 2: comparisons of SFT samples, the reward model.
            StageResult comparisons = collect(spec, Stage.COLLECT_COMPARISONS, input(runId, spec, sft),
                    StageActivities::collectComparisons);
            StageInput verdict = switch (spec.method()) {
                case PPO -> {
                    StageResult rm = stage(spec, Stage.RM, a -> a.trainRewardModel(input(runId, spec, demos, sft, comparisons)));
                    // Step 3: PPO against the reward model, then the held-out labelers' verdict.
                    StageResult ppo = stage(spec, Stage.PPO, a -> a.optimizePolicy(input(runId, spec, sft, comparisons, rm)));
                    yield input(runId, spec, sft, comparisons, rm, ppo);
                }
                // DPO (Rafailov et al. 2023) learns from the comparisons directly, in place of the RM and PPO;
                // the same verdict follows
                case DPO -> input(runId, spec, sft, comparisons,
                        stage(spec, Stage.DPO, a -> a.optimizeDirectly(input(runId, spec, sft, comparisons))));
            };
            StageResult report = collect(spec, Stage.EVALUATE, verdict, StageActivities::evaluate);
            finish(runId, RunStatus.SUCCEEDED, null, null);
            return report;
        } catch (ActivityFailure | ChildWorkflowFailure | CanceledFailure failure) {
            if (CancellationScope.current().isCancelRequested()) {
                // the cancelled scope cannot schedule activities; a detached one records the outcome
                Workflow.newDetachedCancellationScope(() -> finish(runId, RunStatus.CANCELLED, current, null)).run();
                throw failure instanceof CanceledFailure c ? c : new CanceledFailure("cancelled during " + current.id());
            }
            String reason = rootMessage(failure);
            finish(runId, RunStatus.FAILED, current, reason);
            throw ApplicationFailure.newNonRetryableFailure("stage " + current.id() + " failed: " + reason, "StageFailed");
        }
    }

    private StageResult stage(RunSpec spec, Stage stage, Function<StageActivities, StageResult> call) {
        current = stage;
        return call.apply(Workflow.newActivityStub(StageActivities.class, options(spec, stage)));
    }

    /**
     * A stage that may ask people first (the collect stages; the evaluation, when people judge): its
     * labeling queue is served (to people through the API, or to the simulated labelers through the
     * same updates) until its quota or deadline, then the stage builds its outputs from the labels.
     * The queue is skipped when the stage's outputs exist, are imported, or need no people.
     */
    private StageResult collect(RunSpec spec, Stage stage, StageInput in,
                                BiFunction<StageActivities, StageInput, StageResult> build) {
        current = stage;
        LabelingActivities labeling = Workflow.newActivityStub(LabelingActivities.class, options(spec, stage));
        if (Workflow.getVersion(SHARDED_TASKS, Workflow.DEFAULT_VERSION, 1) == 1) {
            generate(spec, stage, in, labeling.plan(in, stage.id()));
        }
        QueueSpec queue = labeling.open(in, stage.id());
        if (queue == null) {
            return stage(spec, stage, a -> build.apply(a, in));
        }
        LabelingQueueWorkflow child = Workflow.newChildWorkflowStub(LabelingQueueWorkflow.class,
                ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(LabelingQueues.id(queue.runId(), queue.stage()))
                        .setTaskQueue(TaskQueues.LABELING)
                        .build());
        Promise<QueueState> served = Async.function(child::run, queue);
        Workflow.getWorkflowExecution(child).get();
        if (queue.simulated()) {
            Promise<Void> answered = simulate(spec, stage, in, queue);
            Promise.anyOf(served, answered).get();
            answered.get();  // a failure of the simulators fails the stage instead of leaving the queue to its deadline
        }
        QueueState collected = served.get();
        return stage(spec, stage, a -> build.apply(a, in.withLabeling(collected)));
    }

    /**
     * The material a new queue's tasks are made from (K SFT samples per prompt), in shards that run at
     * once on the model workers: any worker of the pool takes any shard, and one lost mid-shard loses
     * only that shard, which Temporal retries elsewhere.
     */
    private static void generate(RunSpec spec, Stage stage, StageInput in, int shards) {
        LabelingActivities generators = Workflow.newActivityStub(LabelingActivities.class,
                ActivityOptions.newBuilder(options(spec, stage)).setTaskQueue(spec.modelTaskQueue()).build());
        List<Promise<Void>> made = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            made.add(Async.procedure(generators::generate, in, stage.id(), shard, shards));
        }
        Promise.allOf(made).get();
    }

    /**
     * The simulated labelers, in shards that any worker of the labeling pool may take: each answers
     * its part of the {@link SimulatedSchedule}, so the labels are the same however the shards run.
     */
    private static Promise<Void> simulate(RunSpec spec, Stage stage, StageInput in, QueueSpec queue) {
        LabelingActivities simulators = Workflow.newActivityStub(LabelingActivities.class, simulatorOptions(spec, stage));
        if (Workflow.getVersion(SHARDED_SIMULATORS, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            return Async.procedure(simulators::simulate, in, queue);
        }
        int shards = SimulatedSchedule.of(queue, spec.comparisons().labelers()).shards();
        List<Promise<Void>> answered = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            answered.add(Async.procedure(simulators::simulateShard, in, queue, shard, shards));
        }
        return Promise.allOf(answered);
    }

    /** The simulated labelers keep at it while the queue is open, heartbeating as they go. */
    private static ActivityOptions simulatorOptions(RunSpec spec, Stage stage) {
        return ActivityOptions.newBuilder(options(spec, stage))
                .setTaskQueue(TaskQueues.LABELING)
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .build();
    }

    private static ActivityOptions options(RunSpec spec, Stage stage) {
        StageRuntime runtime = spec.runtime(stage);
        return ActivityOptions.newBuilder()
                .setTaskQueue(spec.taskQueue(stage))
                .setStartToCloseTimeout(Duration.ofMinutes(runtime.timeoutMinutes()))
                .setHeartbeatTimeout(Duration.ofSeconds(runtime.heartbeatSeconds()))
                // a cancelled stage checkpoints before it stops; wait for that before recording the run
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2)
                        .setMaximumInterval(Duration.ofMinutes(1))
                        .setMaximumAttempts(runtime.maxAttempts())
                        .setDoNotRetry(Failures.NON_RETRYABLE.toArray(String[]::new))
                        .build())
                .build();
    }

    private void finish(String runId, String outcome, Stage stage, String error) {
        RunActivities run = Workflow.newActivityStub(RunActivities.class, ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CPU)
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(10)).build())
                .build());
        run.finish(runId, outcome, stage == null ? null : stage.id(), error);
    }

    private static StageInput input(String runId, RunSpec spec, StageResult... inputs) {
        Map<String, StageResult> byStage = new LinkedHashMap<>();
        for (StageResult r : inputs) {
            byStage.put(r.stage(), r);
        }
        return new StageInput(runId, spec, byStage, null);
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ApplicationFailure app ? app.getOriginalMessage() : t.getMessage();
    }
}
