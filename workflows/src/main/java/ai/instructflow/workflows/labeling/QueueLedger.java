package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A queue's whole state in compact form, so it survives continue-as-new and can be rebuilt from
 * object storage on resume: labels per task, the tasks each labeler has done (a bitset as longs),
 * the open leases, how many accepted-submission chunks are stored, when the queue first opened, the
 * accepted submissions not yet stored in a chunk ({@code unrecorded}: the next execution stores them
 * first, so continuing as new waits on no activity), and each labeler's latest counted submission
 * with the update that counted it ({@code lastCounted}, see {@link SubmitAck#countedBy}). A ledger
 * rebuilt from storage has neither of the last two.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueueLedger(int[] labels, Map<String, long[]> done, Map<String, LeaseGrant> leases, int chunks,
                          long openedAt, List<LabelBatch> unrecorded, Map<String, Counted> lastCounted) {

    /** A submission the queue counted, and the update that carried it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Counted(String submissionId, String updateId) {}

    public QueueLedger {
        unrecorded = unrecorded == null ? List.of() : List.copyOf(unrecorded);
        lastCounted = lastCounted == null ? Map.of() : Map.copyOf(lastCounted);
    }

    /** A ledger from the tasks each labeler has done as bitsets, the form the queue works with. */
    public static QueueLedger of(int[] labels, Map<String, BitSet> done, Map<String, LeaseGrant> leases, int chunks,
                                 long openedAt, List<LabelBatch> unrecorded, Map<String, Counted> lastCounted) {
        Map<String, long[]> bits = new TreeMap<>();
        done.forEach((labeler, tasks) -> bits.put(labeler, tasks.toLongArray()));
        return new QueueLedger(labels.clone(), bits, Map.copyOf(leases), chunks, openedAt, unrecorded,
                new TreeMap<>(lastCounted));
    }
}
