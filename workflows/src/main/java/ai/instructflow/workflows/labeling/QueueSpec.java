package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One collect stage's labeling queue: {@code tasks} tasks (numbered from 0, stored under
 * {@code prefix} in object storage), each wanting {@code overlap} labels from different labelers;
 * the queue closes once {@code quota} tasks have all their labels, or at {@code deadline} (epoch
 * milliseconds). {@code simulated}: the built-in suite's simulated people answer it; {@code admission}:
 * who may take its tasks (null: any labeler). Past {@code historyLimit} events (or sooner, when Temporal suggests it) an execution
 * continues as new; {@code ledger} carries what earlier executions collected (a resume, or continue-as-new).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueueSpec(String runId, String stage, LabelingKind kind, String prefix, int tasks, int overlap, int quota,
                        int k, boolean ties, long leaseSeconds, long deadline, boolean simulated, Admission admission,
                        int historyLimit, QueueLedger ledger) {

    public QueueSpec withLedger(QueueLedger next) {
        return new QueueSpec(runId, stage, kind, prefix, tasks, overlap, quota, k, ties, leaseSeconds, deadline, simulated,
                admission, historyLimit, next);
    }
}
