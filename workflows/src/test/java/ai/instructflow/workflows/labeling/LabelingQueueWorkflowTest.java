package ai.instructflow.workflows.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The labeling queue on Temporal's in-memory test service with time skipping: leases run out on the
 * queue's own clock, and the queue renews its history with continue-as-new once it passes its limit
 * without losing or doubling a label.
 */
class LabelingQueueWorkflowTest {

    private static final String ID = "run/collect-demonstrations";

    private TestWorkflowEnvironment env;
    private RecordingLabeling recorded;
    private LabelingQueueWorkflow queue;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        recorded = new RecordingLabeling();
        Worker cpu = env.newWorker(TaskQueues.CPU);
        cpu.registerWorkflowImplementationTypes(LabelingQueueWorkflowImpl.class);
        env.newWorker(TaskQueues.LABELING).registerActivitiesImplementations(recorded);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private void open(int tasks, long leaseSeconds, int historyLimit) {
        open(LabelingKind.DEMONSTRATION, tasks, leaseSeconds, historyLimit, null);
    }

    private void open(LabelingKind kind, int tasks, long leaseSeconds, int historyLimit, Admission admission) {
        QueueSpec spec = new QueueSpec("run", "collect-demonstrations", kind, "p/", tasks, 1, tasks,
                0, false, leaseSeconds, env.currentTimeMillis() + Duration.ofDays(1).toMillis(), false, admission,
                historyLimit, null);
        queue = env.getWorkflowClient().newWorkflowStub(LabelingQueueWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.CPU).build());
        WorkflowClient.start(queue::run, spec);
    }

    /**
     * An update that reaches the execution just as it continues as new finds it completed; the
     * queue lives on in the next execution, which takes the same update (as {@code LabelingClient} retries it).
     */
    private SubmitAck submitAcrossContinueAsNew(LabelBatch batch) {
        for (int tries = 0; ; tries++) {
            try {
                return queue.submit(batch);
            } catch (WorkflowNotFoundException e) {
                if (tries == 3) {
                    throw e;
                }
            }
        }
    }

    private static LabelBatch batch(String labeler, int task) {
        return new LabelBatch(labeler, labeler + "-" + task, List.of(task), "p/labels/" + labeler + "/" + task, "sha");
    }

    @Test
    void anExpiredLeaseGoesToTheNextLabelerAndItsHoldersLateSubmissionIsRefused() {
        open(3, 60, LabelingQueues.HISTORY_LIMIT);
        assertEquals(List.of(0), queue.lease(new LeaseRequest("alice", null, 1)).tasks());
        assertEquals(List.of(1), queue.lease(new LeaseRequest("bob", null, 1)).tasks(), "task 0 is alice's while her lease lasts");
        env.sleep(Duration.ofSeconds(61));
        assertEquals(List.of(0), queue.lease(new LeaseRequest("carol", null, 1)).tasks(), "alice's lease ran out");
        SubmitAck late = queue.submit(batch("alice", 0));
        assertEquals(LabelingQueues.NOT_LEASED, late.refused(), "the queue's clock, not alice's, decides");
        assertTrue(queue.submit(batch("carol", 0)).accepted());
        assertEquals(1, queue.state().completed());
        assertEquals(1L, queue.state().labels());
    }

    @Test
    void aRangedLeaseTakesOnlyFromItsRangeAndSaysWhetherOthersHoldWhatIsLeftThere() {
        open(10, 3600, LabelingQueues.HISTORY_LIMIT);
        assertEquals(List.of(4, 5, 6, 7), queue.lease(new LeaseRequest("alice", null, 64, new TaskRange(4, 8))).tasks());
        LeaseGrant held = queue.lease(new LeaseRequest("bob", null, 64, new TaskRange(4, 8)));
        assertTrue(held.isEmpty());
        assertTrue(held.heldByOthers(), "alice's lease holds them: asking later may give them");
        assertEquals(List.of(0, 1), queue.lease(new LeaseRequest("bob", null, 2, new TaskRange(0, 4))).tasks());
        assertTrue(queue.submit(new LabelBatch("alice", "a", List.of(4, 5, 6, 7), "p/labels/alice/a", "sha")).accepted());
        LeaseGrant done = queue.lease(new LeaseRequest("carol", null, 64, new TaskRange(4, 8)));
        assertTrue(done.isEmpty());
        assertFalse(done.heldByOthers(), "every task there has its labels: nothing is left to wait for");
        assertEquals(List.of(8, 9), queue.lease(new LeaseRequest("carol", null, 64, new TaskRange(8, 64))).tasks(),
                "a range past the last task ends with the queue");
        assertThrows(WorkflowUpdateException.class,
                () -> queue.lease(new LeaseRequest("dave", null, 1, new TaskRange(3, 3))), "an empty range is refused");
    }

    @Test
    void onlyTheJudgesGroupLessItsTrainingLabelersMayTakeVerdictTasks() {
        open(LabelingKind.VERDICT, 2, 60, LabelingQueues.HISTORY_LIMIT, new Admission("held-out", List.of("carol")));
        LeaseGrant noGroup = queue.lease(new LeaseRequest("dave", null, 1));
        assertEquals(LabelingQueues.NOT_ELIGIBLE, noGroup.refused());
        assertTrue(noGroup.reason().contains("carries no group"), noGroup.reason());
        assertEquals(LabelingQueues.NOT_ELIGIBLE, queue.lease(new LeaseRequest("erin", "training", 1)).refused());
        LeaseGrant trainer = queue.lease(new LeaseRequest("carol", "held-out", 1));
        assertEquals(LabelingQueues.NOT_ELIGIBLE, trainer.refused(), "carol labeled the run's training data");
        assertTrue(trainer.reason().contains("carol labeled"), trainer.reason());
        assertEquals(List.of(0), queue.lease(new LeaseRequest("jane", "held-out", 1)).tasks());
        assertEquals(1, queue.state().leased(), "only jane holds a lease");
    }

    @Test
    void aLongHistoryContinuesAsNewKeepingEveryLabelOnce() {
        int tasks = 3000;
        // the production limit (LabelingQueues.HISTORY_LIMIT) takes thousands of updates; the path is the same
        int limit = 200;
        open(tasks, 3600, limit);
        WorkflowStub untyped = env.getWorkflowClient().newUntypedWorkflowStub(ID);
        String firstRun = untyped.describe().getExecution().getRunId();
        List<Integer> leased = new ArrayList<>(queue.lease(new LeaseRequest("ann", null, 1000)).tasks());
        List<Integer> done = new ArrayList<>();
        String run = firstRun;
        while (run.equals(firstRun) && done.size() < tasks) {
            if (leased.isEmpty()) {
                leased = new ArrayList<>(queue.lease(new LeaseRequest("ann", null, 1000)).tasks());
            }
            int task = leased.remove(0);
            assertTrue(submitAcrossContinueAsNew(batch("ann", task)).accepted());
            done.add(task);
            run = untyped.describe().getExecution().getRunId();
        }
        assertNotEquals(firstRun, run, "continued as new before every task was labeled");
        int events = env.getWorkflowClient().fetchHistory(ID, firstRun).getEvents().size();
        assertTrue(events > limit, "the first execution's history: " + events + " events");
        // the next execution takes labels as the first did
        for (int more = 0; more < 5; more++) {
            int task = leased.remove(0);
            assertTrue(submitAcrossContinueAsNew(batch("ann", task)).accepted());
            done.add(task);
        }
        QueueState state = queue.state();
        assertEquals(done.size(), state.labels(), "the ledger came across");
        assertEquals(done.size(), state.labelers().get("ann").intValue());
        assertEquals(done.size(), state.completed());
        // ann's lease came across: asking again gives the rest of it, none of what she did
        List<Integer> next = queue.lease(new LeaseRequest("ann", null, 5)).tasks();
        assertEquals(leased, next);
        assertTrue(next.stream().noneMatch(done::contains), next.toString());

        queue.close();
        QueueState last = untyped.getResult(QueueState.class);
        assertEquals("closed", last.endedBy());
        assertEquals(done.size(), last.labels());
        assertEquals(IntStream.range(0, recorded.chunks.size()).boxed().toList(),
                recorded.chunks.stream().map(RecordingLabeling.Chunk::number).toList(), "chunks numbered on, none twice");
        assertEquals(done, recorded.recordedTasks(), "every counted label recorded once, in order");
    }

    @Test
    void aRepeatOfTheLatestSubmissionNamesTheUpdateThatCountedItAcrossContinueAsNew() {
        open(4, 3600, 40);
        WorkflowStub untyped = env.getWorkflowClient().newUntypedWorkflowStub(ID);
        String firstRun = untyped.describe().getExecution().getRunId();
        assertEquals(List.of(0), queue.lease(new LeaseRequest("ann", null, 1)).tasks());
        assertTrue(submit(untyped, "counting-update", batch("ann", 0)).accepted());
        // leases renew the history until the queue continues as new; the latest submission's update goes along
        while (untyped.describe().getExecution().getRunId().equals(firstRun)) {
            queue.lease(new LeaseRequest("bob", null, 1));
        }
        SubmitAck again = submit(untyped, "a-retry", batch("ann", 0));
        assertTrue(again.duplicate());
        assertEquals("counting-update", again.countedBy(), "the caller whose answer was lost learns its update counted");
        int next = queue.lease(new LeaseRequest("ann", null, 1)).tasks().get(0);
        assertTrue(submit(untyped, "next", batch("ann", next)).accepted());
        assertEquals(null, submit(untyped, "old-retry", batch("ann", 0)).countedBy(),
                "an older submission is only a duplicate: its update is not kept");
    }

    private static SubmitAck submit(WorkflowStub queue, String updateId, LabelBatch batch) {
        return queue.startUpdate(io.temporal.client.UpdateOptions.newBuilder(SubmitAck.class).setUpdateName("submit")
                .setUpdateId(updateId).setWaitForStage(io.temporal.client.WorkflowUpdateStage.COMPLETED).build(), batch)
                .getResult();
    }
}
