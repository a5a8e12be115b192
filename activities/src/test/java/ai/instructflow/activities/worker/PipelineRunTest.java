package ai.instructflow.activities.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.TrainerSettings;
import ai.instructflow.activities.labeling.LabelStore;
import ai.instructflow.activities.registry.RunRecord;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.activities.stages.DpoStage;
import ai.instructflow.activities.stages.EvaluateStage;
import ai.instructflow.activities.stages.LabelerCalibration;
import ai.instructflow.activities.stages.MetricsHistory;
import ai.instructflow.activities.stages.StageReplay;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.infra.Infrastructure;
import ai.instructflow.infra.TemporalConnection;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.PipelineWorkflow;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageResult;
import ai.instructflow.workflows.StageSeeds;
import ai.instructflow.workflows.TaskQueues;
import ai.instructflow.workflows.labeling.SimulatedSchedule;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline workflow on the real embedded Temporal service and S3 server, with an in-process worker. */
class PipelineRunTest {

    @TempDir
    static Path data;

    static Infrastructure infra;
    static WorkflowClient client;
    static RunStore runs;
    static PlatformWorker worker;

    @BeforeAll
    static void start() {
        infra = Infrastructure.start(InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString())), 0, 0);
        client = TemporalConnection.connect(infra.settings());
        runs = new RunStore(new ObjectStore(StorageConfig.from(infra.settings())));
        worker = new PlatformWorker(client, runs, WorkerSettings.from(Map.of()), new SimpleMeterRegistry(),
                infra.embedsTemporal()).start();
    }

    @AfterAll
    static void stop() {
        worker.close();
        infra.close();
    }

    static String submit(RunSpec spec) {
        String id = RunStore.newRunId();
        runs.create(new RunRecord(id, spec.name(), RunStatus.RUNNING, RunStore.now(), RunStore.now(), null, null, null, 1),
                spec);
        WorkflowClient.start(stub(id)::run, spec);
        return id;
    }

    static PipelineWorkflow stub(String id) {
        return client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id).setTaskQueue(TaskQueues.CPU).setWorkflowRunTimeout(Duration.ofMinutes(30)).build());
    }

    @Test
    void aTinyRunCompletesEveryStageWithVerifiedArtifacts() {
        String id = submit(TinyRuns.spec("tiny", "{}"));
        StageResult report = client.newUntypedWorkflowStub(id).getResult(StageResult.class);
        assertEquals("evaluate", report.stage());
        assertEquals(RunStatus.SUCCEEDED, runs.run(id).orElseThrow().status());
        Artifacts artifacts = new Artifacts(runs.objects());
        assertTrue(runs.stage(id, Stage.DPO).isEmpty(), "a PPO run runs no DPO");
        for (Stage stage : runs.spec(id).orElseThrow().stages()) {
            StageManifest m = runs.stage(id, stage).orElseThrow();
            assertEquals(RunStatus.SUCCEEDED, m.status, stage.id());
            assertTrue(artifacts.verify(m.artifacts), stage.id() + " artifacts verify");
        }
        // the SFT run checkpointed every 10 steps; only the latest two are kept
        assertEquals(2, runs.objects().list(RunStore.stagePrefix(id, Stage.SFT) + "checkpoints/").size());
        assertTrue(runs.stage(id, Stage.EVALUATE).orElseThrow().metrics.containsKey("win_rate"));

        // the same spec with the cache on: every stage takes the first run's outputs, copied, nothing recomputed
        String cached = submit(TinyRuns.spec("cached", "{\"cache\": true}"));
        client.newUntypedWorkflowStub(cached).getResult(StageResult.class);
        for (Stage stage : runs.spec(cached).orElseThrow().stages()) {
            StageManifest m = runs.stage(cached, stage).orElseThrow();
            assertEquals(id, m.reusedFrom, stage.id());
            assertTrue(m.attempts.isEmpty(), stage.id() + " did not run");
            assertEquals(runs.stage(id, stage).orElseThrow().artifacts.stream().map(a -> a.sha256()).toList(),
                    m.artifacts.stream().map(a -> a.sha256()).toList());
            assertTrue(m.artifacts.stream().allMatch(a -> a.key().startsWith(RunStore.prefix(cached))), "copied into the run");
        }

        // a setting nobody sets by hand still shapes its stage: PPO and what reads it run again, the rest is reused
        String discounted = submit(TinyRuns.spec("discounted", "{\"cache\": true, \"ppo\": {\"gamma\": 0.9}}"));
        client.newUntypedWorkflowStub(discounted).getResult(StageResult.class);
        for (Stage stage : runs.spec(discounted).orElseThrow().stages()) {
            StageManifest m = runs.stage(discounted, stage).orElseThrow();
            boolean reran = stage == Stage.PPO || stage == Stage.EVALUATE;
            assertEquals(reran ? null : id, m.reusedFrom, stage.id());
            assertEquals(reran, !m.attempts.isEmpty(), stage.id() + (reran ? " ran again" : " was reused"));
        }
    }

    @Test
    void whatIsGeneratedInShardsIsWhatTheRecipeDrawsWholeTheComparisonTasksAndTheVerdict() {
        String id = submit(TinyRuns.spec("sharded", "{}"));
        client.newUntypedWorkflowStub(id).getResult(StageResult.class);
        RunSpec spec = runs.spec(id).orElseThrow();
        StageManifest comparisons = runs.stage(id, Stage.COLLECT_COMPARISONS).orElseThrow();
        // 80 prompts x K=4: 320 rows, two chunks of the sampler, two shards, both stored by this process's worker
        String worker = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
        assertEquals(List.of("0 of 2 by " + worker + ": 256", "1 of 2 by " + worker + ": 64"), comparisons.shards.stream()
                .map(s -> s.shard() + " of " + s.count() + " by " + s.worker() + ": " + s.lines()).toList());
        List<String> folders = runs.objects().folders(RunStore.stagePrefix(id, Stage.COLLECT_COMPARISONS) + "labeling/");
        assertEquals(1, folders.size());
        assertTrue(runs.objects().list(folders.get(0) + "shards/").isEmpty(), "the stage succeeded: its shards are gone");

        // the simulated people answered in shards, each its part of the schedule: 4 people, one label per
        // demonstration (a shard per person), two per ranking (a shard per pair)
        assertEquals(List.of("0 of 4", "1 of 4", "2 of 4", "3 of 4", "0 of 2", "1 of 2"), simulatorShards(id));
        LabelStore labels = new LabelStore(runs.objects());
        for (Stage collect : List.of(Stage.COLLECT_DEMONSTRATIONS, Stage.COLLECT_COMPARISONS)) {
            String queue = runs.objects().folders(RunStore.stagePrefix(id, collect) + "labeling/").get(0);
            int overlap = collect == Stage.COLLECT_DEMONSTRATIONS ? 1 : 2;
            List<String> scheduled = new SimulatedSchedule(4, overlap, labels.meta(queue).tasks()).assignments(0, 1)
                    .stream().map(a -> "simulated-" + a.labeler() + ": " + a.range().from() + ".." + a.range().to())
                    .sorted().toList();
            List<String> answered = labels.accepted(queue).stream()
                    .map(b -> b.labeler() + ": " + b.tasks().get(0) + ".." + (b.tasks().get(b.tasks().size() - 1) + 1))
                    .sorted().toList();
            assertEquals(scheduled, answered, collect.id());
        }

        Recipe recipe = TrainerSettings.recipe(spec, "cpu", runs.objects());
        Recipe.Samples whole;
        try (GPT sft = load(Stage.SFT, id, recipe)) {
            whole = recipe.comparisonSamples(sft, StageSeeds.random(spec.seed(), Stage.COLLECT_COMPARISONS));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < whole.prompts().train().size(); i++) {
            expected.add(whole.prompts().train().get(i) + " -> " + whole.train().get(i));
        }
        for (int i = 0; i < whole.prompts().heldOut().size(); i++) {
            expected.add(whole.prompts().heldOut().get(i) + " -> " + whole.heldOut().get(i));
        }
        List<String> tasks = new ArrayList<>(new LabelStore(runs.objects()).tasks(folders.get(0)).stream()
                .map(t -> t.prompt() + " -> " + t.responses()).toList());
        Collections.sort(expected);
        Collections.sort(tasks);
        assertEquals(expected, tasks);

        // the verdict's answers: 40 held-out prompts, one chunk for each policy, a shard each
        StageManifest evaluate = runs.stage(id, Stage.EVALUATE).orElseThrow();
        assertEquals(List.of("0 of 2 by " + worker + ": 40", "1 of 2 by " + worker + ": 40"), evaluate.shards.stream()
                .map(s -> s.shard() + " of " + s.count() + " by " + s.worker() + ": " + s.lines()).toList());
        assertTrue(runs.objects().list(RunStore.stagePrefix(id, Stage.EVALUATE) + "labeling/").isEmpty(),
                "the evaluation's shards are in its report now");
        double temperature = new Artifacts(runs.objects()).load(runs.stage(id, Stage.COLLECT_COMPARISONS).orElseThrow()
                .artifacts.stream().filter(a -> a.name().equals(LabelerCalibration.ARTIFACT)).findFirst().orElseThrow(),
                LabelerCalibration::read).labelerTemperature();
        try (GPT sft = load(Stage.SFT, id, recipe); GPT ppo = load(Stage.PPO, id, recipe)) {
            var answers = recipe.heldOutAnswers(ppo, sft, StageSeeds.random(spec.seed(), Stage.EVALUATE));
            var verdict = recipe.evaluate(answers, temperature);
            assertEquals(verdict.winRate().rate(), evaluate.metrics.get(EvaluateStage.WIN_RATE.key()), 0.0);
            assertEquals(verdict.ceiling().rate(), evaluate.metrics.get(EvaluateStage.WIN_RATE_CEILING.key()), 0.0);
            assertEquals(recipe.klToSft(answers, ppo, sft), evaluate.metrics.get(EvaluateStage.KL_TO_SFT.key()), 0.0);
            assertEquals(verdict.a().exactAccuracy(), evaluate.metrics.get(EvaluateStage.PPO_ACCURACY.key()), 0.0);
            assertEquals(verdict.b().exactAccuracy(), evaluate.metrics.get(EvaluateStage.SFT_ACCURACY.key()), 0.0);
        }
    }

    /** Shard and count of every simulated labelers' activity the run scheduled, in the order scheduled. */
    private static List<String> simulatorShards(String id) {
        List<String> out = new ArrayList<>();
        for (HistoryEvent event : client.fetchHistory(id).getEvents()) {
            if (event.hasActivityTaskScheduledEventAttributes()
                    && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("labeling-SimulateShard")) {
                Payloads input = event.getActivityTaskScheduledEventAttributes().getInput();
                DataConverter json = GlobalDataConverter.get();
                out.add(json.fromPayload(input.getPayloads(2), Integer.class, Integer.class) + " of "
                        + json.fromPayload(input.getPayloads(3), Integer.class, Integer.class));
            }
        }
        return out;
    }

    private static GPT load(Stage stage, String id, Recipe recipe) {
        Artifact model = runs.stage(id, stage).orElseThrow().artifacts.stream()
                .filter(a -> a.name().equals("model")).findFirst().orElseThrow();
        return new Artifacts(runs.objects()).load(model, Checkpoint::read).model("policy/", recipe.device());
    }

    @Test
    void theTrainerAloneReplaysEachTrainingStageToTheModelItsAttemptStored() {
        String id = submit(TinyRuns.spec("replayed", "{}"));
        client.newUntypedWorkflowStub(id).getResult(StageResult.class);
        List<Stage> training = List.of(Stage.SFT, Stage.RM, Stage.PPO);
        Map<Stage, List<String>> stored = new java.util.EnumMap<>(Stage.class);
        training.forEach(stage -> stored.put(stage, runs.objects().list(RunStore.stagePrefix(id, stage))));
        for (Stage stage : training) {
            StageReplay.Timing timing = StageReplay.replay(runs, id, stage, "cpu");
            assertTrue(timing.sameModel(), stage.id() + ": the replay trained the stored model, bit for bit");
            assertEquals(runs.stage(id, stage).orElseThrow().lastAttempt().seconds, timing.platformSeconds(), 0.0);
            assertTrue(timing.aloneSeconds() > 0, stage.id());
        }
        // outside an attempt: no attempt recorded, no checkpoint or other object written
        for (Stage stage : training) {
            assertEquals(1, runs.stage(id, stage).orElseThrow().attempts.size(), stage.id());
            assertEquals(stored.get(stage), runs.objects().list(RunStore.stagePrefix(id, stage)), stage.id());
        }
        IllegalArgumentException notTraining = assertThrows(IllegalArgumentException.class,
                () -> StageReplay.replay(runs, id, Stage.EVALUATE, "cpu"));
        assertEquals("evaluate is not a training stage", notTraining.getMessage());
    }

    @Test
    void aTinyDpoRunTrainsDpoInPlaceOfTheRewardModelAndPpoAndTheVerdictJudgesItAgainstSft() throws Exception {
        String id = submit(TinyRuns.spec("tiny-dpo", "{\"method\": \"dpo\", \"dpo\": {\"steps\": 10, \"batch_size\": 8,"
                + " \"eval_every\": 5, \"checkpoint_every\": 5}}"));
        StageResult result = client.newUntypedWorkflowStub(id).getResult(StageResult.class);
        assertEquals("evaluate", result.stage());
        assertEquals(RunStatus.SUCCEEDED, runs.run(id).orElseThrow().status());
        assertEquals(List.of(Stage.COLLECT_DEMONSTRATIONS, Stage.SFT, Stage.COLLECT_COMPARISONS, Stage.DPO, Stage.EVALUATE),
                runs.spec(id).orElseThrow().stages());
        Artifacts artifacts = new Artifacts(runs.objects());
        for (Stage stage : runs.spec(id).orElseThrow().stages()) {
            StageManifest m = runs.stage(id, stage).orElseThrow();
            assertEquals(RunStatus.SUCCEEDED, m.status, stage.id());
            assertTrue(artifacts.verify(m.artifacts), stage.id() + " artifacts verify");
        }
        assertTrue(runs.stage(id, Stage.RM).isEmpty(), "no reward model in a DPO run");
        assertTrue(runs.stage(id, Stage.PPO).isEmpty(), "no PPO in a DPO run");

        StageManifest dpo = runs.stage(id, Stage.DPO).orElseThrow();
        double heldOut = dpo.metrics.get(DpoStage.HELDOUT_ACCURACY.key());
        assertTrue(heldOut >= 0 && heldOut <= 1, "held-out accuracy of the implicit reward: " + heldOut);
        assertTrue(Double.isFinite(dpo.metrics.get(DpoStage.REWARD_MARGIN.key())));
        List<Map<String, Double>> steps = artifacts.load(artifact(dpo, "metrics"), MetricsHistory::read);
        assertEquals(10, steps.size(), "one row per DPO step");

        StageManifest evaluate = runs.stage(id, Stage.EVALUATE).orElseThrow();
        assertTrue(evaluate.metrics.containsKey(EvaluateStage.WIN_RATE.key()));
        assertTrue(evaluate.metrics.containsKey(EvaluateStage.DPO_ACCURACY.key()));
        assertFalse(evaluate.metrics.containsKey(EvaluateStage.PPO_ACCURACY.key()), "there is no PPO policy to measure");
        JsonNode report = artifacts.load(artifact(evaluate, "report"), in -> RunStore.JSON.readTree(in));
        assertEquals("dpo", report.path("method").asText());
        double winRate = report.path("win_rate").asDouble(-1);
        assertTrue(winRate >= 0 && winRate <= 1, "DPO's win rate over SFT: " + winRate);
        assertEquals(40, report.path("win_rate_n").asInt(), "every held-out prompt judged");
        assertTrue(report.path("dpo").isObject() && report.path("sft").isObject(), "a per-task table of each policy");
        assertEquals(heldOut, report.path("rm_accuracy").asDouble(), 1e-9, "the implicit reward's accuracy stands in for the RM's");
        assertEquals(10, report.path("dpo_steps").size());
        String text = new String(artifacts.load(artifact(evaluate, "report_text"), in -> in.readAllBytes()),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("DPO win rate over SFT"), text);
    }

    @Test
    void aFailedStageFailsTheRunAndAResumeReusesWhatCompleted() {
        String id = submit(TinyRuns.spec("fault", "{\"faults\": [\"rm\"]}"));
        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                () -> client.newUntypedWorkflowStub(id).getResult(StageResult.class));
        RunRecord record = runs.run(id).orElseThrow();
        assertEquals(RunStatus.FAILED, record.status());
        assertEquals("rm", record.failedStage());
        assertTrue(record.error().contains("fault injected"), record.error());
        StageManifest sftBefore = runs.stage(id, Stage.SFT).orElseThrow();

        runs.save(record.started(RunStatus.RUNNING, RunStore.now(), 0, 0));
        WorkflowClient.start(stub(id)::run, runs.spec(id).orElseThrow());
        client.newUntypedWorkflowStub(id).getResult(StageResult.class);
        assertEquals(RunStatus.SUCCEEDED, runs.run(id).orElseThrow().status());
        StageManifest sftAfter = runs.stage(id, Stage.SFT).orElseThrow();
        assertEquals(sftBefore.attempts.size(), sftAfter.attempts.size(), "SFT was not run again");
        assertEquals(sftBefore.artifacts, sftAfter.artifacts);
        assertEquals(2, runs.stage(id, Stage.RM).orElseThrow().attempts.size(), "RM: the faulted attempt and the resumed one");
        assertTrue(failed.getMessage() != null);
    }

    private static Artifact artifact(StageManifest m, String name) {
        return m.artifacts.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow(() ->
                new AssertionError(m.stage + " has no artifact " + name));
    }
}
