package ai.instructflow.workflows.labeling;

import ai.instructflow.workflows.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The queue's state lives here and only here: labels per task, who did which task, who holds which
 * lease. Leases expire lazily (a task whose lease has run out is free for the next asker), accepted
 * submissions go to object storage in chunks through an activity, and the history is renewed with
 * continue-as-new before it grows large.
 */
public class LabelingQueueWorkflowImpl implements LabelingQueueWorkflow {

    private static final int MAX_LEASE = 1000;

    private final LabelingActivities activities = Workflow.newActivityStub(LabelingActivities.class,
            ActivityOptions.newBuilder()
                    .setTaskQueue(TaskQueues.LABELING)
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(10)).build())
                    .build());

    private QueueSpec spec;
    private int[] labels;
    private final Map<String, BitSet> done = new TreeMap<>();
    private final Map<String, LeaseGrant> leases = new TreeMap<>();
    private final List<LabelBatch> pending = new ArrayList<>();
    /** Each labeler's latest counted submission, and the update that counted it. */
    private final Map<String, QueueLedger.Counted> lastCounted = new TreeMap<>();
    private int completed;
    /** Every task before this one has all its labels (labels only ever grow): where leasing looks first. */
    private int firstOpen;
    private long labelCount;
    private int chunks;
    private long openedAt;
    private boolean closeRequested;
    private String endedBy;

    /**
     * The state comes from the input before anything else runs: a lease or submit can arrive with
     * the queue's first workflow task, ahead of {@link #run}.
     */
    @WorkflowInit
    public LabelingQueueWorkflowImpl(QueueSpec queue) {
        restore(queue);
    }

    @Override
    public QueueState run(QueueSpec queue) {
        try {
            while (!finished()) {
                long remaining = spec.deadline() - Workflow.currentTimeMillis();
                if (remaining <= 0) {
                    endedBy = "deadline";
                    break;
                }
                // leases alone grow the history too (labelers asking again at a queue's end): they wake it as well
                Workflow.await(Duration.ofMillis(remaining), () -> !pending.isEmpty() || finished() || renewalDue());
                if (renewalDue()) {
                    // what was accepted and not yet recorded goes along in the ledger, for the next execution
                    // to record first: renewing the history waits on no activity, so labelers hardly notice
                    Workflow.await(Workflow::isEveryHandlerFinished);
                    Workflow.continueAsNew(spec.withLedger(ledger()));
                }
                flush();
            }
            if (endedBy == null) {
                endedBy = closeRequested ? "closed" : "quota";
            }
            drain();
            return state();
        } catch (CanceledFailure cancelled) {
            // the run was cancelled: keep every accepted label on record for the resume
            endedBy = "cancelled";
            Workflow.newDetachedCancellationScope(this::flush).run();
            throw cancelled;
        }
    }

    @Override
    public void validateLease(LeaseRequest request) {
        requireLabeler(request.labeler());
        if (request.max() < 1 || request.max() > MAX_LEASE) {
            throw new IllegalArgumentException("max must be between 1 and " + MAX_LEASE);
        }
        TaskRange range = request.range();
        if (range != null && (range.from() < 0 || range.to() <= range.from())) {
            throw new IllegalArgumentException("a range runs from task 0 or later to a later task, not " + range);
        }
    }

    @Override
    public LeaseGrant lease(LeaseRequest request) {
        return grant(request).with(state(request.labeler()));
    }

    private LeaseGrant grant(LeaseRequest request) {
        if (finished()) {
            return LeaseGrant.refused(LabelingQueues.CLOSED, closedReason());
        }
        String refusal = spec.admission() == null ? null : spec.admission().refusal(request.labeler(), request.group());
        if (refusal != null) {
            return LeaseGrant.refused(LabelingQueues.NOT_ELIGIBLE, refusal);
        }
        long now = Workflow.currentTimeMillis();
        BitSet mine = done.computeIfAbsent(request.labeler(), l -> new BitSet(spec.tasks()));
        LeaseGrant held = leases.get(request.labeler());
        if (held != null && held.expiresAt() > now) {
            List<Integer> open = held.tasks().stream().filter(t -> !mine.get(t) && labels[t] < spec.overlap()).toList();
            if (!open.isEmpty()) {
                return new LeaseGrant(open, held.expiresAt());
            }
        }
        leases.remove(request.labeler());
        Map<Integer, Integer> leasedToOthers = leasedCounts(now);
        List<Integer> picked = new ArrayList<>();
        boolean anyWanting = false;
        boolean heldByOthers = false;
        TaskRange range = request.range();
        int from = range == null ? firstOpen : Math.max(firstOpen, range.from());
        int to = range == null ? spec.tasks() : Math.min(spec.tasks(), range.to());
        for (int t = from; t < to && picked.size() < request.max(); t++) {
            if (labels[t] + leasedToOthers.getOrDefault(t, 0) >= spec.overlap()) {
                anyWanting |= labels[t] < spec.overlap();
                heldByOthers |= labels[t] < spec.overlap() && !mine.get(t);
                continue;
            }
            if (mine.get(t)) {
                anyWanting = true;
                continue;
            }
            picked.add(t);
        }
        if (picked.isEmpty()) {
            return LeaseGrant.none(anyWanting
                    ? "every task that still wants a label is leased to someone else or was already labeled by you; try again later"
                    : "every task has its labels", heldByOthers);
        }
        LeaseGrant grant = new LeaseGrant(List.copyOf(picked), now + spec.leaseSeconds() * 1000);
        leases.put(request.labeler(), grant);
        return grant;
    }

    @Override
    public void validateSubmit(LabelBatch batch) {
        requireLabeler(batch.labeler());
        if (batch.tasks() == null || batch.tasks().isEmpty() || batch.key() == null || batch.sha256() == null) {
            throw new IllegalArgumentException("a submission names its tasks and its stored labels");
        }
        if (!batch.key().startsWith(spec.prefix())) {
            // stored for another queue folder (the caller's view of this queue is out of date): refused, typed so it can tell
            throw ApplicationFailure.newNonRetryableFailure("the labels are stored outside this queue's folder "
                    + spec.prefix(), LabelingQueues.OTHER_FOLDER);
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer t : batch.tasks()) {
            if (t == null || t < 0 || t >= spec.tasks() || !seen.add(t)) {
                throw new IllegalArgumentException("task " + t + " is not a task of this queue, or is named twice");
            }
        }
    }

    @Override
    public SubmitAck submit(LabelBatch batch) {
        return count(batch).with(state(batch.labeler()));
    }

    private SubmitAck count(LabelBatch batch) {
        BitSet mine = done.computeIfAbsent(batch.labeler(), l -> new BitSet(spec.tasks()));
        long already = batch.tasks().stream().filter(mine::get).count();
        if (already == batch.tasks().size()) {
            // a retried submit; where it is the labeler's latest, say which update counted it
            QueueLedger.Counted last = lastCounted.get(batch.labeler());
            return SubmitAck.duplicate(last != null && last.submissionId().equals(batch.submissionId())
                    ? last.updateId() : null);
        }
        if (finished()) {
            return SubmitAck.refused(LabelingQueues.CLOSED, closedReason());
        }
        LeaseGrant held = leases.get(batch.labeler());
        if (held != null && held.expiresAt() <= Workflow.currentTimeMillis()) {
            // the queue's own clock decides: once a lease has run out its tasks may be someone else's
            return SubmitAck.refused(LabelingQueues.NOT_LEASED, "the lease of " + batch.labeler()
                    + " ran out; lease the tasks again");
        }
        for (int t : batch.tasks()) {
            if (mine.get(t) || held == null || !held.tasks().contains(t)) {
                return SubmitAck.refused(LabelingQueues.NOT_LEASED, "task " + t + " is not leased to " + batch.labeler()
                        + (mine.get(t) ? " (already submitted)" : "; lease it first"));
            }
            if (labels[t] >= spec.overlap()) {
                return SubmitAck.refused(LabelingQueues.NOT_LEASED, "the lease on task " + t
                        + " ran out and others gave it all " + spec.overlap() + " labels");
            }
        }
        for (int t : batch.tasks()) {
            mine.set(t);
            if (++labels[t] == spec.overlap()) {
                completed++;
            }
        }
        advanceFirstOpen();
        labelCount += batch.tasks().size();
        pending.add(batch);
        Workflow.getCurrentUpdateInfo().ifPresent(update ->
                lastCounted.put(batch.labeler(), new QueueLedger.Counted(batch.submissionId(), update.getUpdateId())));
        // the labeler's answered tasks no longer hold a place in the queue
        List<Integer> rest = held.tasks().stream().filter(t -> !mine.get(t)).toList();
        if (rest.isEmpty()) {
            leases.remove(batch.labeler());
        } else {
            leases.put(batch.labeler(), new LeaseGrant(rest, held.expiresAt()));
        }
        return new SubmitAck(true, false, null, null);
    }

    @Override
    public QueueState close() {
        closeRequested = true;
        return state();
    }

    @Override
    public QueueState state() {
        return state(null);
    }

    /**
     * The queue now, with each labeler's count, or only {@code viewer}'s (an update's answer: a labeler sees
     * their own). The spec goes without its ledger: that is what an execution starts from, not what it is.
     */
    private QueueState state(String viewer) {
        long now = Workflow.currentTimeMillis();
        Map<Integer, Integer> leased = leasedCounts(now);
        // available: the tasks still wanting labels, less those whose leases cover what they still want
        int available = spec.tasks() - completed;
        for (Map.Entry<Integer, Integer> e : leased.entrySet()) {
            int t = e.getKey();
            if (labels[t] < spec.overlap() && labels[t] + e.getValue() >= spec.overlap()) {
                available--;
            }
        }
        int leasedTasks = leased.size();
        Map<String, Integer> perLabeler = new LinkedHashMap<>();
        if (viewer == null) {
            done.forEach((labeler, tasks) -> perLabeler.put(labeler, tasks.cardinality()));
        } else if (done.containsKey(viewer)) {
            perLabeler.put(viewer, done.get(viewer).cardinality());
        }
        return new QueueState(spec.withLedger(null), endedBy == null && !finished(), endedBy, completed, labelCount,
                leasedTasks, available, perLabeler, openedAt, now);
    }

    private void restore(QueueSpec queue) {
        spec = queue;
        QueueLedger ledger = queue.ledger();
        labels = ledger == null ? new int[queue.tasks()] : ledger.labels().clone();
        if (ledger != null) {
            ledger.done().forEach((labeler, bits) -> done.put(labeler, BitSet.valueOf(bits)));
            leases.putAll(ledger.leases());
            chunks = ledger.chunks();
            pending.addAll(ledger.unrecorded());
            lastCounted.putAll(ledger.lastCounted());
        }
        openedAt = ledger != null && ledger.openedAt() > 0 ? ledger.openedAt() : Workflow.currentTimeMillis();
        for (int count : labels) {
            labelCount += count;
            completed += count >= queue.overlap() ? 1 : 0;
        }
        advanceFirstOpen();
    }

    private QueueLedger ledger() {
        return QueueLedger.of(labels, done, leases, chunks, openedAt, pending, lastCounted);
    }

    /** How many unexpired leases hold each task, for the tasks some lease holds (the others: none). */
    private Map<Integer, Integer> leasedCounts(long now) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (LeaseGrant lease : leases.values()) {
            if (lease.expiresAt() > now) {
                lease.tasks().forEach(t -> counts.merge(t, 1, Integer::sum));
            }
        }
        return counts;
    }

    private void advanceFirstOpen() {
        while (firstOpen < spec.tasks() && labels[firstOpen] >= spec.overlap()) {
            firstOpen++;
        }
    }

    /**
     * Records every accepted submission before the execution ends: recording waits on an activity,
     * and submissions accepted meanwhile would otherwise be counted but never recorded.
     */
    private void drain() {
        do {
            Workflow.await(Workflow::isEveryHandlerFinished);
            flush();
        } while (!pending.isEmpty());
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<LabelBatch> batch = List.copyOf(pending);
        pending.clear();
        activities.record(spec.prefix(), chunks++, batch);
    }

    private boolean renewalDue() {
        return Workflow.getInfo().isContinueAsNewSuggested() || Workflow.getInfo().getHistoryLength() > spec.historyLimit();
    }

    private boolean finished() {
        return closeRequested || endedBy != null || completed >= spec.quota();
    }

    private String closedReason() {
        return "the " + spec.stage() + " queue of run " + spec.runId() + " is closed ("
                + (endedBy != null ? endedBy : closeRequested ? "closed" : "quota met") + ")";
    }

    private static void requireLabeler(String labeler) {
        if (labeler == null || labeler.isBlank()) {
            throw new IllegalArgumentException("a labeler is required");
        }
    }
}
