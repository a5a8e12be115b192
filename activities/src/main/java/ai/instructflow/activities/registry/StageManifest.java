package ai.instructflow.activities.registry;

import ai.instructflow.trainer.ppo.EarlyStop;
import ai.instructflow.workflows.Artifact;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's record in the registry ({@code runs/<id>/<stage>/manifest.json}): its outputs with
 * sha256 and sizes, the inputs and settings they came from (hashed together as {@code inputsHash}),
 * every attempt with its timing, and the latest checkpoint a new attempt would resume from.
 * Written only by the stage's own activity, one attempt at a time.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StageManifest {

    public String stage;
    public String status;
    public String inputsHash;
    public Map<String, Object> settings = new LinkedHashMap<>();
    public List<Artifact> inputs = new ArrayList<>();
    public List<Artifact> artifacts = new ArrayList<>();
    public Map<String, Double> metrics = new LinkedHashMap<>();
    public List<Attempt> attempts = new ArrayList<>();
    public Artifact checkpoint;
    public Long checkpointStep;
    /** The checkpoints kept before {@code checkpoint}, newest first: where a resume goes should that one be corrupt. */
    public List<Artifact> earlierCheckpoints = new ArrayList<>();
    public String reusedFrom;
    /** Why the stage's loop ended before its last step, and what it handed on instead (PPO's reward-hacking guard). */
    public EarlyStop earlyStop;
    public boolean faultInjected;
    /** The shards a collect stage's tasks were generated in, each by whichever worker took it. */
    public List<Shard> shards;
    /** When this execution's labeling queue opened, and how long it took to close (collect stages). */
    public String labelingStartedAt;
    public Double labelingSeconds;

    /** One try at the stage, by one worker. {@code resumedFromStep} is 0 for a start from scratch. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Attempt {
        public int number;
        public String worker;
        public String startedAt;
        public String finishedAt;
        public Double seconds;
        public String status;
        public long resumedFromStep;
        /** Checkpoints this attempt found corrupt (their sha256 no longer the recorded one) and resumed from before. */
        public List<String> corruptCheckpoints;
        public String error;
    }

    /**
     * One shard of the material a queue's tasks were made from: {@code shard} of {@code count}, generated
     * by {@code worker} in its activity's attempt {@code attempt} (the queue's open, where no shard
     * activity stored it), {@code lines} lines in {@code seconds}.
     */
    public record Shard(int shard, int count, String worker, int attempt, double seconds, int lines) {}

    public StageManifest() {}

    public StageManifest(String stage) {
        this.stage = stage;
    }

    public Attempt lastAttempt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    /**
     * Seconds spent in this stage since {@code since} (ISO-8601): inside its activity attempts that
     * started then or later, and waiting on its labeling queue, which is the stage's work too.
     */
    public double secondsSince(String since) {
        double labeling = labelingSeconds != null && (since == null || labelingStartedAt.compareTo(since) >= 0)
                ? labelingSeconds : 0;
        return labeling + attempts.stream()
                .filter(a -> a.seconds != null && (since == null || a.startedAt.compareTo(since) >= 0))
                .mapToDouble(a -> a.seconds).sum();
    }
}
