package ai.instructflow.api.runs;

import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.api.labeling.QueueView;
import ai.instructflow.trainer.ppo.EarlyStop;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.RunSpec;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A run as the API shows it: registry record, spec, each stage's record merged with its live progress, timings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(String id, String name, String status, String stage, String createdAt, String startedAt,
                      String finishedAt, String failedStage, String error, int executions, RunSpec spec,
                      List<StageView> stages, Map<String, Double> summary, Timing timing) {

    /**
     * One stage: status, attempts with timings, progress (step of total), latest metrics, artifacts;
     * while a collect stage's queue is open, the queue (progress is then labeled tasks of the quota);
     * the shards its queue's tasks (the evaluation's answers) were generated in, by which worker; why its
     * loop stopped early, if it did (PPO's reward-hacking guard).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StageView(String stage, String status, long step, long total, Map<String, Double> metrics,
                            List<Attempt> attempts, String reusedFrom, Long checkpointStep, List<Artifact> artifacts,
                            QueueView labeling, List<StageManifest.Shard> shards, EarlyStop earlyStop) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(int number, String worker, String status, String startedAt, String finishedAt, Double seconds,
                          long resumedFromStep, List<String> corruptCheckpoints, String error) {}

    /**
     * Wall time of the run, all its executions together (so a resumed run's earlier ones count), the
     * time spent in stages (their activities, and the collect stages' labeling queues), and the share
     * of the wall time that was neither (orchestration: scheduling, queues, registry writes between
     * stages).
     */
    public record Timing(Double wallSeconds, double activitySeconds, Double orchestrationOverhead) {}
}
