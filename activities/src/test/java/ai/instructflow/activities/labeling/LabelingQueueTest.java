package ai.instructflow.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.activities.worker.PlatformWorker;
import ai.instructflow.activities.worker.WorkerSettings;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.infra.Infrastructure;
import ai.instructflow.infra.TemporalConnection;
import ai.instructflow.workflows.TaskQueues;
import ai.instructflow.workflows.labeling.LabelBatch;
import ai.instructflow.workflows.labeling.LabelingKind;
import ai.instructflow.workflows.labeling.LabelingQueueWorkflow;
import ai.instructflow.workflows.labeling.LabelingQueues;
import ai.instructflow.workflows.labeling.QueueSpec;
import ai.instructflow.workflows.labeling.QueueState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The labeling queue workflow on the real embedded Temporal service and S3 server, driven as the API drives it. */
class LabelingQueueTest {

    @TempDir
    static Path data;

    static Infrastructure infra;
    static WorkflowClient client;
    static ObjectStore objects;
    static LabelStore store;
    static LabelingClient labeling;
    static PlatformWorker worker;

    @BeforeAll
    static void start() {
        infra = Infrastructure.start(InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString())), 0, 0);
        client = TemporalConnection.connect(infra.settings());
        RunStore runs = new RunStore(new ObjectStore(StorageConfig.from(infra.settings())));
        objects = runs.objects();
        store = new LabelStore(objects);
        labeling = new LabelingClient(client, store, new SimpleMeterRegistry());
        worker = new PlatformWorker(client, runs, WorkerSettings.from(Map.of()), new SimpleMeterRegistry(),
                infra.embedsTemporal()).start();
    }

    @AfterAll
    static void stop() {
        worker.close();
        infra.close();
    }

    /** A demonstration queue of {@code tasks} prompts, served under run id {@code run}. */
    static QueueSpec open(String run, int tasks, int overlap, int quota, long leaseSeconds) {
        return open(run, tasks, overlap, quota, leaseSeconds, LabelingQueues.HISTORY_LIMIT);
    }

    /** As above, continuing as new past {@code historyLimit} events. */
    static QueueSpec open(String run, int tasks, int overlap, int quota, long leaseSeconds, int historyLimit) {
        String prefix = "runs/" + run + "/collect-demonstrations/labeling/test/";
        store.create(prefix, new QueueMeta(LabelingKind.DEMONSTRATION, tasks, 0, 0, RunStore.now()),
                IntStream.range(0, tasks).mapToObj(i -> new LabelingTask(i, LabelingTask.TRAIN, "length of word" + i, null))
                        .toList());
        QueueSpec spec = new QueueSpec(run, "collect-demonstrations", LabelingKind.DEMONSTRATION, prefix, tasks, overlap,
                quota, 0, false, leaseSeconds, System.currentTimeMillis() + 3_600_000, false, null, historyLimit, null);
        WorkflowClient.start(client.newWorkflowStub(LabelingQueueWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(LabelingQueues.id(run, "collect-demonstrations")).setTaskQueue(TaskQueues.LABELING).build())::run, spec);
        return spec;
    }

    static int lease(String run, String labeler) {
        LabelingClient.Leased leased = labeling.lease(run, "collect-demonstrations", labeler, null, 1);
        return leased.grant().isEmpty() ? -1 : leased.tasks().get(0).id();
    }

    static void answer(String run, String labeler, int task, String text) {
        labeling.submit(run, "collect-demonstrations", labeler, labeler + "-" + task, List.of(new Label(task, labeler, text, null)));
    }

    static QueueState result(String run) {
        return client.newUntypedWorkflowStub(LabelingQueues.id(run, "collect-demonstrations")).getResult(QueueState.class);
    }

    @Test
    void overlappingLabelersGetEachTaskOnceAndTheQueueEndsAtItsQuotaWithEveryLabelOnRecord() {
        QueueSpec spec = open("overlap", 3, 2, 3, 600);
        assertEquals(0, lease("overlap", "alice"));
        assertEquals(0, lease("overlap", "alice"), "a labeler holding a lease gets the same task again");
        assertEquals(0, lease("overlap", "bob"), "a task wanting two labels is leased to two labelers at once");
        assertEquals(1, lease("overlap", "carol"), "a task with as many leases as labels wanted is not leased again");

        answer("overlap", "alice", 0, "five");
        var again = labeling.submit("overlap", "collect-demonstrations", "alice", "alice-0",
                List.of(new Label(0, "alice", "five", null)));
        assertTrue(again.duplicate(), "a retried submission is acknowledged, not counted twice");
        assertEquals(1, lease("overlap", "alice"), "alice never gets task 0 again");

        LabelingException blank = assertThrows(LabelingException.class, () -> labeling.submit("overlap",
                "collect-demonstrations", "alice", "alice-blank", List.of(new Label(1, "alice", " ", null))));
        assertEquals(LabelingException.Reason.INVALID, blank.reason());
        assertEquals("completion", blank.fields().get(0).field());
        LabelingException notLeased = assertThrows(LabelingException.class,
                () -> answer("overlap", "alice", 2, "x"));
        assertEquals(LabelingException.Reason.NOT_LEASED, notLeased.reason());

        answer("overlap", "alice", 1, "one");
        answer("overlap", "bob", 0, "five");
        answer("overlap", "carol", 1, "one");
        assertEquals(2, lease("overlap", "bob"));
        answer("overlap", "bob", 2, "two");
        assertEquals(2, lease("overlap", "carol"));
        QueueState live = labeling.state("overlap", "collect-demonstrations");
        assertEquals(2, live.completed());
        assertEquals(Map.of("alice", 2, "bob", 2, "carol", 1), live.labelers());
        answer("overlap", "carol", 2, "two");

        QueueState done = result("overlap");
        assertEquals("quota", done.endedBy());
        assertEquals(6, done.labels());
        LabelingException closed = assertThrows(LabelingException.class, () -> lease("overlap", "dave"));
        assertEquals(LabelingException.Reason.CLOSED, closed.reason());
        List<Label> recorded = store.labels(store.accepted(spec.prefix()));
        assertEquals(6, recorded.size(), "every counted label is on record in object storage");
        assertEquals(List.of("five", "five"), recorded.stream().filter(l -> l.task() == 0).map(Label::completion).toList());
    }

    @Test
    void anExpiredLeaseGoesBackToTheQueue() {
        open("expiry", 1, 1, 1, 1);
        assertEquals(0, lease("expiry", "alice"));
        assertEquals(-1, lease("expiry", "bob"), "the only task is leased to alice");
        // the lease runs out after a second; bob asks until the task comes back to the queue
        List<Integer> asked = new ArrayList<>();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (asked.isEmpty() || asked.get(asked.size() - 1) != 0) {
            assertTrue(System.nanoTime() < deadline, "the expired lease never went back to the queue");
            asked.add(lease("expiry", "bob"));
        }
        answer("expiry", "bob", 0, "one");
        LabelingException late = assertThrows(LabelingException.class, () -> answer("expiry", "alice", 0, "x"));
        assertEquals(LabelingException.Reason.CLOSED, late.reason(), "the queue met its quota with bob's label");
        assertEquals(Map.of("bob", 1), result("expiry").labelers().entrySet().stream()
                .filter(e -> e.getValue() > 0).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void closingEarlyKeepsWhatWasCollected() {
        QueueSpec spec = open("early", 4, 1, 4, 600);
        assertEquals(0, lease("early", "alice"));
        answer("early", "alice", 0, "zero");
        QueueState closed = labeling.close("early", "collect-demonstrations");
        assertFalse(closed.open());
        QueueState done = result("early");
        assertEquals("closed", done.endedBy());
        assertEquals(1, done.labels());
        List<LabelBatch> accepted = store.accepted(spec.prefix());
        assertEquals(1, accepted.size());
        assertEquals("zero", store.labels(accepted).get(0).completion());
        assertNull(store.labels(accepted).get(0).ranks());
    }

    @Test
    void aCountedLabelNeverChangesAndARefusedSubmissionLeavesNothingStored() {
        QueueSpec spec = open("integrity", 2, 1, 2, 600);
        assertEquals(0, lease("integrity", "mallory"));
        answer("integrity", "mallory", 0, "five");
        // the same submission id again, with other content: acknowledged as the duplicate it is
        assertTrue(labeling.submit("integrity", "collect-demonstrations", "mallory", "mallory-0",
                List.of(new Label(0, "mallory", "something else", null))).duplicate());
        // and an id reused for a task never leased, and a task leased to no one: refused
        assertThrows(LabelingException.class, () -> labeling.submit("integrity", "collect-demonstrations", "mallory",
                "mallory-0", List.of(new Label(1, "mallory", "one", null))));
        assertThrows(LabelingException.class, () -> answer("integrity", "eve", 1, "one"));
        String labels = spec.prefix() + "labels/";
        assertEquals(2, objects.list(labels).size(),
                "the counted file and the duplicate's; nothing for the refused ones: " + objects.list(labels));
        assertTrue(objects.list(labels + "eve/").isEmpty());

        assertEquals(1, lease("integrity", "mallory"));
        answer("integrity", "mallory", 1, "one");
        assertEquals("quota", result("integrity").endedBy());
        assertEquals(List.of("five", "one"), store.labels(store.accepted(spec.prefix())).stream()
                .map(Label::completion).toList(), "the counted label is the one first sent, intact");
    }

    /**
     * Eight labelers at once, each submission sent twice at the same moment, through a queue that
     * renews its history (continue-as-new) several times meanwhile: every accepted submission is
     * counted and recorded exactly once, and the only label files stored are the counted ones.
     */
    @Test
    void concurrentLabelersAcrossContinueAsNewAreEachCountedAndRecordedOnce() throws Exception {
        int tasks = 96;
        QueueSpec spec = open("crowd", tasks, 1, tasks, 600, 120);
        ConcurrentLinkedQueue<Label> accepted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> labelers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "crowd-" + i;
            labelers.add(pool.submit(() -> {
                while (true) {
                    int task;
                    try {
                        task = lease("crowd", name);
                    } catch (LabelingException e) {
                        if (e.reason() != LabelingException.Reason.CLOSED) {
                            unexpected.add(name + " lease: " + e.reason() + " " + e.getMessage());
                        }
                        return null;
                    }
                    if (task < 0) {
                        if (!labeling.state("crowd", "collect-demonstrations").open()) {
                            return null;
                        }
                        Thread.sleep(20);
                        continue;
                    }
                    Label label = new Label(task, name, "word" + task + " by " + name, null);
                    Future<Boolean> twin = pool.submit(() -> acceptedOnce(name, label, unexpected));
                    boolean first = acceptedOnce(name, label, unexpected);
                    boolean second = twin.get();
                    if (first == second) {
                        unexpected.add(name + " task " + task + ": accepted " + (first ? "twice" : "never"));
                    }
                    if (first || second) {
                        accepted.add(label);
                    }
                }
            }));
        }
        for (Future<?> labeler : labelers) {
            labeler.get();
        }
        pool.shutdown();
        assertEquals(List.of(), List.copyOf(unexpected));
        assertEquals(tasks, accepted.size());

        QueueState done = result("crowd");
        assertEquals("quota", done.endedBy());
        assertEquals(tasks, done.labels());
        var executions = client.getWorkflowServiceStubs().blockingStub().listClosedWorkflowExecutions(
                io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(infra.settings().namespace()).setMaximumPageSize(1000).build())
                .getExecutionsList().stream()
                .filter(e -> e.getExecution().getWorkflowId().equals(LabelingQueues.id("crowd", "collect-demonstrations")))
                .count();
        assertTrue(executions > 2, "the queue continued as new while they labeled: " + executions + " executions");
        List<LabelBatch> recorded = store.accepted(spec.prefix());
        assertEquals(tasks, recorded.size(), "each accepted submission recorded once");
        assertEquals(sorted(accepted), sorted(store.labels(recorded)), "the recorded labels are exactly the accepted ones");
        assertEquals(recorded.stream().map(LabelBatch::key).sorted().toList(),
                objects.list(spec.prefix() + "labels/").stream().sorted().toList(),
                "the label files stored are the counted ones, nothing else");
    }

    /** One send of a label: true when the queue counted it, false for the acknowledged duplicate (or a closed queue). */
    private static boolean acceptedOnce(String labeler, Label label, ConcurrentLinkedQueue<String> unexpected) {
        try {
            var ack = labeling.submit("crowd", "collect-demonstrations", labeler, labeler + "-" + label.task(), List.of(label));
            if (!ack.accepted() && !ack.duplicate()) {
                unexpected.add(labeler + " task " + label.task() + ": " + ack);
            }
            return ack.accepted();
        } catch (LabelingException e) {
            // the twin of the submission that met the quota finds the queue closed; it counted all the same
            if (e.reason() != LabelingException.Reason.CLOSED) {
                unexpected.add(labeler + " task " + label.task() + ": " + e.reason() + " " + e.getMessage());
            }
            return false;
        }
    }

    private static List<String> sorted(java.util.Collection<Label> labels) {
        return labels.stream().map(l -> l.task() + " " + l.labeler() + " " + l.completion()).sorted().toList();
    }
}
