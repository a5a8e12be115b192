package ai.instructflow.activities.labeling;

import ai.instructflow.activities.TrainerSettings;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.stages.CollectStage;
import ai.instructflow.activities.stages.PipelineStage;
import ai.instructflow.activities.stages.PipelineStages;
import ai.instructflow.activities.stages.StageRunner;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageInput;
import ai.instructflow.workflows.labeling.Admission;
import ai.instructflow.workflows.labeling.LabelBatch;
import ai.instructflow.workflows.labeling.LabelingActivities;
import ai.instructflow.workflows.labeling.LabelingQueues;
import ai.instructflow.workflows.labeling.QueueLedger;
import ai.instructflow.workflows.labeling.QueueSpec;
import ai.instructflow.workflows.labeling.SimulatedSchedule;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A collect stage's labeling around its queue workflow: the tasks (suite prompts to answer, or K
 * SFT samples per prompt to rank), the record of accepted submissions, and the built-in suite's
 * simulated people, who answer through {@link LabelingClient} exactly as a person's browser does.
 */
public final class LabelingActivitiesImpl implements LabelingActivities {

    private final StageRunner runner;
    private final LabelStore store;
    private final LabelingClient client;
    private final GeneratedShards generated;
    private final ObjectStore objects;
    private final String device;

    public LabelingActivitiesImpl(StageRunner runner, RunStore runs, LabelingClient client, String device) {
        this.runner = runner;
        this.store = new LabelStore(runs.objects());
        this.client = client;
        this.generated = new GeneratedShards(runs.objects(), runner.worker());
        this.objects = runs.objects();
        this.device = device;
    }

    @Override
    public int plan(StageInput in, String stageId) {
        CollectStage<?> collect = collectStage(stageId);
        if (!collect.generates(in.spec())) {
            return 0;
        }
        String hash = runner.begin(in, collect);
        if (hash == null || store.exists(prefix(in, collect, hash))) {
            return 0;
        }
        return collect.taskKind().shards(generated.source(in, collect.stage(),
                TrainerSettings.recipe(in.spec(), device, objects)));
    }

    @Override
    public void generate(StageInput in, String stageId, int shard, int count) {
        CollectStage<?> collect = collectStage(stageId);
        String prefix = prefix(in, collect, runner.inputsHash(in, collect));
        if (store.exists(prefix) || store.hasShard(prefix, shard, count)) {
            return;  // the tasks are made, or an earlier attempt stored this shard
        }
        ActivityExecutionContext context = Activity.getExecutionContext();
        try (HeartbeatTicker beating = new HeartbeatTicker(context)) {
            Recipe recipe = TrainerSettings.recipe(in.spec(), device, objects);
            store.putShard(prefix, generated.make(in, collect.stage(), collect.taskKind(), recipe, shard, count,
                    context.getInfo().getAttempt()));
        }
    }

    @Override
    public QueueSpec open(StageInput in, String stageId) {
        CollectStage<?> collect = collectStage(stageId);
        QueueSettings settings = collect.queue(in.spec());
        if (settings == null) {
            return null;  // the run imports this stage's dataset
        }
        String hash = runner.collecting(in, collect);
        if (hash == null) {
            return null;
        }
        String prefix = prefix(in, collect, hash);
        if (!store.exists(prefix)) {
            try (HeartbeatTicker beating = new HeartbeatTicker(Activity.getExecutionContext())) {
                createTasks(in, collect.stage(), collect.taskKind(), prefix);
            }
        }
        QueueMeta meta = store.meta(prefix);
        int quota = settings.quota() == null ? meta.tasks() : Math.min(settings.quota(), meta.tasks());
        return new QueueSpec(in.runId(), stageId, meta.kind(), prefix, meta.tasks(), settings.overlap(), quota, meta.k(),
                settings.ties(), settings.leaseMinutes() * 60L,
                System.currentTimeMillis() + settings.deadlineMinutes() * 60_000L, collect.simulated(in.spec()),
                admission(in, collect), LabelingQueues.HISTORY_LIMIT, ledger(prefix, meta.tasks()));
    }

    private static CollectStage<?> collectStage(String stageId) {
        Stage stage = Stage.of(stageId).orElseThrow(() -> new IllegalArgumentException("no stage " + stageId));
        if (!(PipelineStages.of(stage) instanceof CollectStage<?> collect)) {
            throw new IllegalArgumentException("stage " + stageId + " collects no labels");
        }
        return collect;
    }

    private static String prefix(StageInput in, CollectStage<?> collect, String hash) {
        return GeneratedShards.prefix(in.runId(), collect.stage(), hash);
    }

    /** A queue with a group admits only that group, less everyone who labeled this run's training data. */
    private Admission admission(StageInput in, CollectStage<?> collect) {
        String group = collect.group(in.spec());
        if (group == null) {
            return null;
        }
        Set<String> training = new TreeSet<>();
        for (PipelineStage stage : PipelineStages.all()) {
            if (stage instanceof CollectStage<?> other && other.group(in.spec()) == null) {
                training.addAll(store.labelers(RunStore.stagePrefix(in.runId(), stage.stage()) + "labeling/"));
            }
        }
        return new Admission(group, List.copyOf(training));
    }

    @Override
    public void record(String prefix, int chunk, List<LabelBatch> batches) {
        store.putAccepted(prefix, chunk, batches);
    }

    @Override
    public void simulate(StageInput in, QueueSpec queue) {
        simulateShard(in, queue, 0, 1);
    }

    @Override
    public void simulateShard(StageInput in, QueueSpec queue, int shard, int count) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        Recipe recipe = TrainerSettings.recipe(in.spec(), device, objects);
        TaskKind.SimulatedAnswers answers = TaskKinds.of(queue.kind()).simulated(recipe, store.meta(queue.prefix()));
        long seed = in.spec().seed();
        List<SimulatedSchedule.Assignment> open = new ArrayList<>(
                SimulatedSchedule.of(queue, in.spec().comparisons().labelers()).assignments(shard, count));
        while (!open.isEmpty()) {
            List<SimulatedSchedule.Assignment> later = new ArrayList<>();
            boolean answered = false;
            for (SimulatedSchedule.Assignment part : open) {
                int i = part.labeler();
                String name = "simulated-" + i;
                try {
                    LabelingClient.Leased leased = client.lease(queue.runId(), queue.stage(), name, null,
                            SimulatedSchedule.BLOCK, part.range());
                    if (leased.grant().isEmpty()) {
                        if (leased.grant().heldByOthers()) {
                            later.add(part);  // someone else's lease holds a task of it: it may run out
                        }
                        continue;
                    }
                    List<Label> labels = new ArrayList<>();
                    for (LabelingTask task : leased.tasks()) {
                        labels.add(answers.answer(name, i, task, new Random((seed * 1_000_003L + task.id()) * 1_009L + i)));
                    }
                    // a batch is named by its first task: a retry of it carries the same id and counts once
                    client.submit(queue.runId(), queue.stage(), name, "batch-" + leased.tasks().get(0).id(), labels);
                    if (labels.size() < part.range().to() - part.range().from()) {
                        later.add(part);  // less than the block (some were taken or labeled before): ask again
                    }
                    answered = true;
                } catch (LabelingException e) {
                    if (e.reason() == LabelingException.Reason.CLOSED) {
                        return;
                    }
                    if (e.reason() != LabelingException.Reason.NOT_LEASED) {
                        throw e;
                    }
                    later.add(part);
                }
                context.heartbeat(null);
            }
            if (!answered && !later.isEmpty()) {
                if (!client.state(queue.runId(), queue.stage()).open()) {
                    return;
                }
                // what is left is leased to others (people, in a mixed queue) until their leases run out
                pause(context);
            }
            open = later;
        }
    }

    /**
     * The queue's tasks, from its shards' generated material (made here where no worker stored a shard:
     * a workflow from before shards, or a shard's activity that gave up), shuffled and numbered.
     */
    private void createTasks(StageInput in, Stage stage, TaskKind<?> kind, String prefix) {
        Recipe recipe = TrainerSettings.recipe(in.spec(), device, objects);
        GeneratedShards.Assembled material = generated.assemble(in, stage, kind, recipe, prefix,
                Activity.getExecutionContext().getInfo().getAttempt());
        TaskSource source = generated.source(in, stage, recipe);
        TaskKind.QueueTasks made = kind.makeTasks(source, material.lines());
        List<LabelingTask> tasks = new ArrayList<>(made.tasks());
        // held-out tasks mixed in, so a queue that ends at its quota or deadline still has some to measure on
        Collections.shuffle(tasks, source.random());
        List<LabelingTask> numbered = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            numbered.add(tasks.get(i).numbered(i));
        }
        store.create(prefix, made.meta(), numbered);
        if (!material.shards().isEmpty()) {
            runner.recordShards(in, PipelineStages.of(stage), material.shards());
        }
    }

    /** What the queue already counted, from its record: a resumed run's queue goes on from there. */
    private QueueLedger ledger(String prefix, int tasks) {
        List<String> chunks = store.chunks(prefix);
        if (chunks.isEmpty()) {
            return null;
        }
        int[] labels = new int[tasks];
        Map<String, BitSet> done = new TreeMap<>();
        for (LabelBatch batch : store.accepted(prefix)) {
            BitSet mine = done.computeIfAbsent(batch.labeler(), l -> new BitSet(tasks));
            for (int t : batch.tasks()) {
                labels[t]++;
                mine.set(t);
            }
        }
        return QueueLedger.of(labels, done, Map.of(), chunks.size(), 0, List.of(), Map.of());
    }

    private static void pause(ActivityExecutionContext context) {
        context.heartbeat(null);
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the queue", e);
        }
    }
}
