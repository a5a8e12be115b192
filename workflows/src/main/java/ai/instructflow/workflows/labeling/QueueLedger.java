package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * A queue's whole state in compact form, so it survives continue-as-new and can be rebuilt from
 * object storage on resume: labels per task, the tasks each labeler has done (a bitset as longs),
 * the open leases, how many accepted-submission chunks are stored and when the queue first opened.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueueLedger(int[] labels, Map<String, long[]> done, Map<String, LeaseGrant> leases, int chunks,
                          long openedAt) {

    /** A ledger from the tasks each labeler has done as bitsets, the form the queue works with. */
    public static QueueLedger of(int[] labels, Map<String, BitSet> done, Map<String, LeaseGrant> leases, int chunks,
                                 long openedAt) {
        Map<String, long[]> bits = new TreeMap<>();
        done.forEach((labeler, tasks) -> bits.put(labeler, tasks.toLongArray()));
        return new QueueLedger(labels.clone(), bits, Map.copyOf(leases), chunks, openedAt);
    }
}
