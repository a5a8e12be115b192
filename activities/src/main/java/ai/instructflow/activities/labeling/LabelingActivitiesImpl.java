package ai.instructflow.activities.labeling;

import ai.instructflow.activities.TrainerSettings;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.activities.stages.StageActivitiesImpl;
import ai.instructflow.activities.stages.StageRunner;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.suite.SimulatedLabeler;
import ai.instructflow.trainer.suite.SuitePrompt;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.workflows.Failures;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageInput;
import ai.instructflow.workflows.labeling.LabelBatch;
import ai.instructflow.workflows.labeling.LabelingActivities;
import ai.instructflow.workflows.labeling.QueueLedger;
import ai.instructflow.workflows.labeling.QueueSpec;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A collect stage's labeling around its queue workflow: the tasks (suite prompts to answer, or K
 * SFT samples per prompt to rank), the record of accepted submissions, and the built-in suite's
 * simulated people, who answer through {@link LabelingClient} exactly as a person's browser does.
 */
public final class LabelingActivitiesImpl implements LabelingActivities {

    /** A simulated labeler leases this many tasks at a time; a person at a page leases one. */
    static final int SIMULATED_BATCH = 64;

    private final StageRunner runner;
    private final LabelStore store;
    private final LabelingClient client;
    private final Artifacts artifacts;
    private final String device;

    public LabelingActivitiesImpl(StageRunner runner, RunStore runs, LabelingClient client, String device) {
        this.runner = runner;
        this.store = new LabelStore(runs.objects());
        this.client = client;
        this.artifacts = new Artifacts(runs.objects());
        this.device = device;
    }

    @Override
    public QueueSpec open(StageInput in, String stageId) {
        Stage stage = Stage.of(stageId).orElseThrow(() -> new IllegalArgumentException("no stage " + stageId));
        if (imports(in.spec(), stage)) {
            return null;
        }
        String hash = runner.begin(in, stage);
        if (hash == null) {
            return null;
        }
        // one folder per stage identity: a resume finds its tasks and labels, new inputs start afresh
        String prefix = RunStore.stagePrefix(in.runId(), stage) + "labeling/" + hash.substring(0, 16) + "/";
        if (!store.exists(prefix)) {
            try (HeartbeatTicker beating = new HeartbeatTicker(Activity.getExecutionContext())) {
                createTasks(in, stage, prefix);
            }
        }
        QueueMeta meta = store.meta(prefix);
        RunSpec s = in.spec();
        boolean ranking = stage == Stage.COLLECT_COMPARISONS;
        int overlap = ranking ? s.comparisons().overlap() : s.demonstrations().overlap();
        Integer quota = ranking ? s.comparisons().quota() : s.demonstrations().quota();
        int deadlineMinutes = ranking ? s.comparisons().deadlineMinutes() : s.demonstrations().deadlineMinutes();
        int leaseMinutes = ranking ? s.comparisons().leaseMinutes() : s.demonstrations().leaseMinutes();
        return new QueueSpec(in.runId(), stageId, meta.kind(), prefix, meta.tasks(), overlap,
                quota == null ? meta.tasks() : Math.min(quota, meta.tasks()), meta.k(),
                ranking && Boolean.TRUE.equals(s.comparisons().ties()), leaseMinutes * 60L,
                System.currentTimeMillis() + deadlineMinutes * 60_000L, ledger(prefix, meta.tasks()));
    }

    @Override
    public void record(String prefix, int chunk, List<LabelBatch> batches) {
        store.putAccepted(prefix, chunk, batches);
    }

    @Override
    public void simulate(StageInput in, QueueSpec queue) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        Recipe recipe = new Recipe(TrainerSettings.pipeline(in.spec(), device));
        List<SimulatedLabeler> rankers = QueueSpec.RANKING.equals(queue.kind())
                ? recipe.trainingLabelers(store.meta(queue.prefix()).labelerTemperature()).labelers() : null;
        int people = in.spec().comparisons().labelers();
        while (true) {
            boolean answered = false;
            for (int i = 0; i < people; i++) {
                String name = "simulated-" + i;
                try {
                    LabelingClient.Leased leased = client.lease(queue.runId(), queue.stage(), name, SIMULATED_BATCH);
                    if (leased.grant().isEmpty()) {
                        continue;
                    }
                    List<Label> labels = new ArrayList<>();
                    for (LabelingTask task : leased.tasks()) {
                        labels.add(answer(recipe, queue, rankers == null ? null : rankers.get(i), i, task, in.spec().seed()));
                    }
                    // a batch is named by its first task: a retry of it carries the same id and counts once
                    client.submit(queue.runId(), queue.stage(), name, "batch-" + leased.tasks().get(0).id(), labels);
                    answered = true;
                } catch (LabelingException e) {
                    if (e.reason() == LabelingException.Reason.CLOSED) {
                        return;
                    }
                    if (e.reason() != LabelingException.Reason.NOT_LEASED) {
                        throw e;
                    }
                }
                context.heartbeat(null);
            }
            if (!answered) {
                if (!client.state(queue.runId(), queue.stage()).open()) {
                    return;
                }
                // what is left is leased to others (people, in a mixed queue) or waits for another labeler
                pause(context);
            }
        }
    }

    private void createTasks(StageInput in, Stage stage, String prefix) {
        Recipe recipe = new Recipe(TrainerSettings.pipeline(in.spec(), device));
        Random rng = StageActivitiesImpl.rng(in, stage);
        List<LabelingTask> tasks = new ArrayList<>();
        QueueMeta meta;
        if (stage == Stage.COLLECT_DEMONSTRATIONS) {
            Recipe.Prompts prompts = recipe.demonstrationPrompts(rng);
            prompts.train().forEach(p -> tasks.add(new LabelingTask(0, LabelingTask.TRAIN, p.prompt(), null)));
            prompts.heldOut().forEach(p -> tasks.add(new LabelingTask(0, LabelingTask.HELD_OUT, p.prompt(), null)));
            meta = new QueueMeta(QueueSpec.DEMONSTRATION, tasks.size(), 0, 0, RunStore.now());
        } else {
            Checkpoint sft = artifacts.load(in.input(Stage.SFT).artifact("model"), Checkpoint::read);
            Recipe.Samples samples;
            try (GPT model = sft.model("policy/", recipe.device())) {
                samples = recipe.comparisonSamples(model, rng);
            }
            addRankings(tasks, LabelingTask.TRAIN, samples.prompts().train(), samples.train());
            addRankings(tasks, LabelingTask.HELD_OUT, samples.prompts().heldOut(), samples.heldOut());
            meta = new QueueMeta(QueueSpec.RANKING, tasks.size(), recipe.config().k(), samples.labelerTemperature(),
                    RunStore.now());
        }
        // held-out tasks mixed in, so a queue that ends at its quota or deadline still has some to measure on
        Collections.shuffle(tasks, rng);
        List<LabelingTask> numbered = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            LabelingTask t = tasks.get(i);
            numbered.add(new LabelingTask(i, t.split(), t.prompt(), t.responses()));
        }
        store.create(prefix, meta, numbered);
    }

    private static void addRankings(List<LabelingTask> tasks, String split, List<SuitePrompt> prompts,
                                    List<List<String>> samples) {
        for (int i = 0; i < prompts.size(); i++) {
            tasks.add(new LabelingTask(0, split, prompts.get(i).prompt(), List.copyOf(samples.get(i))));
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
        return QueueLedger.of(labels, done, Map.of(), chunks.size(), 0);
    }

    /** A simulated person's label; its randomness is fixed by (seed, task, labeler), so lease order does not matter. */
    private static Label answer(Recipe recipe, QueueSpec queue, SimulatedLabeler ranker, int labeler, LabelingTask task,
                                long seed) {
        SuitePrompt prompt = SuitePrompt.parse(task.prompt()).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
                "simulated labelers answer only the built-in suite's prompts, not '" + task.prompt() + "'",
                Failures.INVALID_INPUT));
        Random rng = new Random((seed * 1_000_003L + task.id()) * 1_009L + labeler);
        String name = "simulated-" + labeler;
        if (QueueSpec.DEMONSTRATION.equals(queue.kind())) {
            return new Label(task.id(), name, recipe.demonstrate(prompt, rng), null);
        }
        int[] order = ranker.rank(prompt, task.responses(), rng);
        return new Label(task.id(), name, null, Recipe.ranks(order, task.responses()));
    }

    private static boolean imports(RunSpec spec, Stage stage) {
        return stage == Stage.COLLECT_DEMONSTRATIONS ? spec.demonstrations().dataset() != null
                : spec.comparisons().dataset() != null;
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
