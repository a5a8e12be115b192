package ai.instructflow.workflows.labeling;

import java.util.ArrayList;
import java.util.List;

/**
 * Which simulated person labels which tasks, fixed in advance so that the labels follow from the
 * run's seed alone however many shards answer at once and in whatever order: the tasks below
 * {@code limit} go in blocks of {@link #BLOCK}, and block b's {@code overlap} labels come from people
 * {@code (b * overlap + j) mod people}, j = 0, 1, ..., the order in which one labeler after another
 * leasing the first open tasks would take them. Where {@code overlap} divides {@code people} the
 * people fall into disjoint groups (block b's group: b mod people/overlap), and each shard takes the
 * blocks of its own groups, so no person is ever in two shards; otherwise there is one shard.
 *
 * @param people  simulated labelers of the queue's group
 * @param overlap labels per task, from different people
 * @param limit   the tasks labeled: 0 to limit - 1 (the queue's quota; no more are needed)
 */
public record SimulatedSchedule(int people, int overlap, int limit) {

    /** Tasks a simulated person leases at a time. */
    public static final int BLOCK = 64;
    /** At most this many shards, like the generation's. */
    public static final int MAX_SHARDS = 8;

    /** One person's part of one block. */
    public record Assignment(int labeler, TaskRange range) {}

    public static SimulatedSchedule of(QueueSpec queue, int people) {
        return new SimulatedSchedule(people, queue.overlap(), queue.quota());
    }

    public int shards() {
        return people % overlap == 0 ? Math.min(MAX_SHARDS, groups()) : 1;
    }

    /** Shard {@code shard} of {@code count}'s assignments, block by block, in each block labeler by labeler. */
    public List<Assignment> assignments(int shard, int count) {
        List<Assignment> out = new ArrayList<>();
        for (int b = 0; (long) b * BLOCK < limit; b++) {
            if (count > 1 && (b % groups()) % count != shard) {
                continue;
            }
            TaskRange range = new TaskRange(b * BLOCK, Math.min(limit, (b + 1) * BLOCK));
            for (int j = 0; j < overlap; j++) {
                out.add(new Assignment((int) (((long) b * overlap + j) % people), range));
            }
        }
        return out;
    }

    private int groups() {
        return people / overlap;
    }
}
