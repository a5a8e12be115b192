package ai.instructflow.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline workflow on Temporal's in-memory test service with time skipping, its activities
 * replaced by fakes: stage order and inputs, retries, non-retryable failures, cancel inside a stage,
 * and a resumed run reusing what succeeded. Milliseconds each; real training is tested in the
 * activities and API modules.
 */
class PipelineWorkflowTest {

    private static final List<String> ORDER = List.of("collect-demonstrations", "sft", "collect-comparisons", "rm", "ppo",
            "evaluate");

    private TestWorkflowEnvironment env;
    private FakeStages stages;
    private FakeRunActivities runs;
    private NoLabeling labeling;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        stages = new FakeStages();
        runs = new FakeRunActivities();
        labeling = new NoLabeling();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private void startWorker() {
        // heartbeats go out at once, so a cancel reaches a stage without the throttle's 80% of its timeout
        Worker worker = env.newWorker(TaskQueues.CPU, WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50)).build());
        worker.registerWorkflowImplementationTypes(PipelineWorkflowImpl.class);
        worker.registerActivitiesImplementations(stages, runs, labeling);
        env.start();
    }

    private PipelineWorkflow workflow(String id) {
        return env.getWorkflowClient().newWorkflowStub(PipelineWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CPU).build());
    }

    private static RunSpec spec(String more) throws Exception {
        return RunSpecs.resolve("{\"name\": \"t\"" + more + "}");
    }

    @Test
    void stagesRunInThePapersOrderEachGivenTheResultsItReads() throws Exception {
        startWorker();
        StageResult report = workflow("order").run(spec(""));
        assertEquals("evaluate", report.stage());
        assertEquals(ORDER, stages.calls.stream().map(FakeStages.Call::stage).toList());
        assertEquals(List.of(List.of(), List.of("collect-demonstrations"), List.of("sft"),
                        List.of("collect-demonstrations", "sft", "collect-comparisons"),
                        List.of("sft", "collect-comparisons", "rm"), List.of("sft", "collect-comparisons", "rm", "ppo")),
                stages.calls.stream().map(FakeStages.Call::inputs).toList());
        assertEquals(List.of(new FakeRunActivities.Finish("order", RunStatus.SUCCEEDED, null, null)), runs.finished);
    }

    @Test
    void aQueuesTasksAreGeneratedInShardsOnTheModelPoolBeforeTheStageGoesOn() throws Exception {
        labeling.shards = 3;
        env.newWorker(TaskQueues.GPU).registerActivitiesImplementations(stages, labeling);
        startWorker();
        workflow("shards").run(spec(", \"resources\": \"gpu\""));
        assertEquals(List.of(0, 1, 2), labeling.generated.stream().map(NoLabeling.Generated::shard).sorted().toList());
        assertEquals(Set.of(new NoLabeling.Generated("collect-comparisons", 0, 3, TaskQueues.GPU)),
                labeling.generated.stream().map(g -> new NoLabeling.Generated(g.stage(), 0, g.count(), g.taskQueue()))
                        .collect(Collectors.toSet()), "each shard of 3, on the model pool's queue");
        assertEquals(ORDER, stages.calls.stream().map(FakeStages.Call::stage).toList());
    }

    @Test
    void withDpoOneDpoStageTakesThePlaceOfTheRewardModelAndPpoAndTheVerdictJudgesItsPolicy() throws Exception {
        startWorker();
        StageResult report = workflow("dpo").run(spec(", \"method\": \"dpo\""));
        assertEquals("evaluate", report.stage());
        assertEquals(List.of("collect-demonstrations", "sft", "collect-comparisons", "dpo", "evaluate"),
                stages.calls.stream().map(FakeStages.Call::stage).toList());
        assertEquals(List.of(List.of(), List.of("collect-demonstrations"), List.of("sft"),
                        List.of("sft", "collect-comparisons"), List.of("sft", "collect-comparisons", "dpo")),
                stages.calls.stream().map(FakeStages.Call::inputs).toList());
        assertEquals(List.of(new FakeRunActivities.Finish("dpo", RunStatus.SUCCEEDED, null, null)), runs.finished);
    }

    @Test
    void aFailedDpoStageFailsTheRunNamingIt() throws Exception {
        stages.failing(Stage.DPO, attempt -> ApplicationFailure.newNonRetryableFailure("loss is NaN", Failures.DIVERGED));
        startWorker();
        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                () -> workflow("dpo-fails").run(spec(", \"method\": \"dpo\"")));
        assertEquals(List.of("collect-demonstrations", "sft", "collect-comparisons", "dpo"),
                stages.calls.stream().map(FakeStages.Call::stage).toList(), "no evaluation after a failed DPO stage");
        assertEquals(new FakeRunActivities.Finish("dpo-fails", RunStatus.FAILED, "dpo", "loss is NaN"), runs.finished.get(0));
        assertTrue(rootMessage(failed).contains("stage dpo failed: loss is NaN"), rootMessage(failed));
    }

    @Test
    void aRetryableFailureIsRetriedWithBackoffAndTheRunGoesOn() throws Exception {
        stages.failing(Stage.SFT, attempt -> attempt < 3 ? ApplicationFailure.newFailure("worker lost", "IOException") : null);
        startWorker();
        workflow("retry").run(spec(""));
        assertEquals(List.of(1, 2, 3), stages.calls.stream().filter(c -> c.stage().equals("sft"))
                .map(FakeStages.Call::attempt).toList());
        assertEquals(RunStatus.SUCCEEDED, runs.finished.get(0).status());
    }

    @Test
    void aRetryableFailureFailsTheRunOnceTheStagesAttemptsAreSpent() throws Exception {
        stages.failing(Stage.RM, attempt -> ApplicationFailure.newFailure("disk full", "IOException"));
        startWorker();
        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                () -> workflow("spent").run(spec(", \"runtime\": {\"rm\": {\"max_attempts\": 2}}")));
        assertEquals(2, stages.calls.stream().filter(c -> c.stage().equals("rm")).count());
        assertEquals(new FakeRunActivities.Finish("spent", RunStatus.FAILED, "rm", "disk full"), runs.finished.get(0));
        assertTrue(rootMessage(failed).contains("stage rm failed: disk full"), rootMessage(failed));
    }

    @Test
    void aNonRetryableFailureFailsTheRunAtOnceNamingTheStage() throws Exception {
        stages.failing(Stage.PPO, attempt -> ApplicationFailure.newNonRetryableFailure("loss is NaN", Failures.DIVERGED));
        startWorker();
        assertThrows(WorkflowFailedException.class, () -> workflow("diverged").run(spec("")));
        assertEquals(1, stages.calls.stream().filter(c -> c.stage().equals("ppo")).count(), "not retried");
        assertEquals(new FakeRunActivities.Finish("diverged", RunStatus.FAILED, "ppo", "loss is NaN"), runs.finished.get(0));
        assertEquals(List.of("collect-demonstrations", "sft", "collect-comparisons", "rm", "ppo"),
                stages.calls.stream().map(FakeStages.Call::stage).toList(), "evaluate never ran");
    }

    @Test
    void cancellingTheRunCancelsTheRunningStageAndRecordsTheRunAsCancelled() throws Exception {
        stages.blockingIn(Stage.SFT);
        startWorker();
        WorkflowClient.start(workflow("cancel")::run, spec(", \"runtime\": {\"sft\": {\"heartbeat_seconds\": 2}}"));
        assertTrue(stages.blocking.await(10, TimeUnit.SECONDS), "sft started");
        WorkflowStub untyped = env.getWorkflowClient().newUntypedWorkflowStub("cancel");
        untyped.cancel();
        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                () -> untyped.getResult(StageResult.class));
        assertInstanceOf(CanceledFailure.class, failed.getCause());
        assertEquals(List.of(new FakeRunActivities.Finish("cancel", RunStatus.CANCELLED, "sft", null)), runs.finished);
        assertEquals(List.of("collect-demonstrations", "sft"), stages.calls.stream().map(FakeStages.Call::stage).toList());
    }

    @Test
    void aResumedRunHandsEachStageTheSameInputsSoWhatSucceededIsReusedNotRecomputed() throws Exception {
        stages.failing(Stage.RM, attempt -> ApplicationFailure.newNonRetryableFailure("fault injected", Failures.INJECTED));
        startWorker();
        RunSpec spec = spec("");
        assertThrows(WorkflowFailedException.class, () -> workflow("resumed").run(spec));
        stages.failing(Stage.RM, attempt -> null);
        // a resume is a new execution of the same workflow id with the stored spec
        workflow("resumed").run(spec);
        assertEquals(ORDER, stages.computedStages(), "every stage computed exactly once over both executions");
        assertEquals(List.of("collect-demonstrations", "sft", "collect-comparisons"), stages.calls.stream()
                .filter(FakeStages.Call::reused).map(FakeStages.Call::stage).toList());
        assertEquals(List.of(RunStatus.FAILED, RunStatus.SUCCEEDED),
                runs.finished.stream().map(FakeRunActivities.Finish::status).toList());
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
