package ai.instructflow.activities.labeling;

import ai.instructflow.activities.metrics.SharedMetrics;
import ai.instructflow.workflows.labeling.LabelBatch;
import ai.instructflow.workflows.labeling.QueueState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** What a closed queue collected: its tasks and every label it counted, read back from object storage. */
public record Collected(QueueState queue, QueueMeta meta, List<LabelingTask> tasks, List<Label> labels) {

    /**
     * Submissions in the order of their first task (stable: in the order counted where that is the
     * same), so a dataset does not depend on which of the simulators' shards submitted first; one
     * shard's person after another within a block keeps the schedule's order.
     */
    public static Collected read(LabelStore store, QueueState queue) {
        String prefix = queue.spec().prefix();
        List<LabelBatch> batches = new ArrayList<>(store.accepted(prefix));
        batches.sort(Comparator.comparingInt(b -> b.tasks().get(0)));
        return new Collected(queue, store.meta(prefix), store.tasks(prefix), store.labels(batches));
    }

    /** Each label as a row of the stage's dataset, on the side its task was drawn for. */
    public <T> Split<T> split(String what, int maxHeldOut, BiFunction<LabelingTask, Label, T> row) {
        List<T> train = new ArrayList<>();
        List<T> heldOut = new ArrayList<>();
        for (Label label : labels) {
            LabelingTask task = tasks.get(label.task());
            (LabelingTask.HELD_OUT.equals(task.split()) ? heldOut : train).add(row.apply(task, label));
        }
        if (train.size() + heldOut.size() < 2) {
            throw new IllegalArgumentException(what + ": the queue collected " + labels.size()
                    + " label(s) before it ended (" + queue.endedBy() + "); at least 2 are needed");
        }
        if (train.isEmpty() || heldOut.isEmpty()) {
            List<T> all = new ArrayList<>(train);
            all.addAll(heldOut);
            return Split.lastTenth(what, all, maxHeldOut);
        }
        return new Split<>(train, heldOut);
    }

    /** The queue's counts, for the stage's metrics. */
    public Map<String, Double> metrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(SharedMetrics.LABELS.key(), (double) labels.size());
        out.put(SharedMetrics.LABELERS.key(), (double) labels.stream().map(Label::labeler).distinct().count());
        out.put(SharedMetrics.TASKS.key(), (double) tasks.size());
        out.put(SharedMetrics.COMPLETED_TASKS.key(), (double) queue.completed());
        return out;
    }
}
