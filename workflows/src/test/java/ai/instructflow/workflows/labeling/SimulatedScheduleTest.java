package ai.instructflow.workflows.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated people's schedule: the sequential order of one labeler after another, split into disjoint shards. */
class SimulatedScheduleTest {

    private static final int BLOCK = SimulatedSchedule.BLOCK;

    /**
     * What one activity answering for every person did before the shards: person 0, 1, ... in turn,
     * each leasing the first {@link SimulatedSchedule#BLOCK} tasks that still want a label they have
     * not given, until every task below the limit has its labels.
     */
    private static List<SimulatedSchedule.Assignment> oneAfterAnother(int people, int overlap, int limit) {
        int[] labels = new int[limit];
        Map<Integer, boolean[]> done = new HashMap<>();
        List<SimulatedSchedule.Assignment> out = new ArrayList<>();
        for (int turn = 0; labels[limit - 1] < overlap; turn++) {
            int person = turn % people;
            boolean[] mine = done.computeIfAbsent(person, p -> new boolean[limit]);
            List<Integer> leased = new ArrayList<>();
            for (int t = 0; t < limit && leased.size() < BLOCK; t++) {
                if (labels[t] < overlap && !mine[t]) {
                    leased.add(t);
                }
            }
            for (int t : leased) {
                labels[t]++;
                mine[t] = true;
            }
            out.add(new SimulatedSchedule.Assignment(person, new TaskRange(leased.get(0), leased.get(leased.size() - 1) + 1)));
        }
        return out;
    }

    @Test
    void oneShardIsTheOrderOfOneLabelerAfterAnotherLeasingTheFirstOpenTasks() {
        for (int[] c : new int[][] {{8, 2, 3300}, {8, 1, 6200}, {8, 3, 1000}, {3, 2, 130}, {1, 1, 64}}) {
            SimulatedSchedule schedule = new SimulatedSchedule(c[0], c[1], c[2]);
            assertEquals(oneAfterAnother(c[0], c[1], c[2]), schedule.assignments(0, 1), java.util.Arrays.toString(c));
        }
    }

    @Test
    void shardsTakeDisjointPeopleAndTogetherTheWholeInItsOrder() {
        SimulatedSchedule schedule = new SimulatedSchedule(8, 2, 3300);
        assertEquals(4, schedule.shards(), "four pairs of people: a shard each");
        List<SimulatedSchedule.Assignment> whole = schedule.assignments(0, 1);
        Map<Integer, Integer> shardOf = new HashMap<>();
        List<SimulatedSchedule.Assignment> union = new ArrayList<>();
        for (int shard = 0; shard < 4; shard++) {
            List<SimulatedSchedule.Assignment> part = schedule.assignments(shard, 4);
            for (SimulatedSchedule.Assignment a : part) {
                Integer earlier = shardOf.putIfAbsent(a.labeler(), shard);
                assertTrue(earlier == null || earlier == shard, "person " + a.labeler() + " answers in one shard only");
            }
            List<SimulatedSchedule.Assignment> inWholeOrder = new ArrayList<>(whole);
            inWholeOrder.retainAll(part);
            assertEquals(inWholeOrder, part, "a shard keeps the whole's order");
            union.addAll(part);
        }
        assertEquals(whole.size(), union.size());
        assertTrue(union.containsAll(whole));
    }

    @Test
    void anOverlapThatDoesNotDivideThePeopleIsOneShardAndManyGroupsShareEight() {
        assertEquals(1, new SimulatedSchedule(8, 3, 1000).shards());
        assertEquals(8, new SimulatedSchedule(8, 1, 6200).shards());
        SimulatedSchedule many = new SimulatedSchedule(40, 2, 5000);
        assertEquals(SimulatedSchedule.MAX_SHARDS, many.shards());
        int total = 0;
        for (int shard = 0; shard < many.shards(); shard++) {
            total += many.assignments(shard, many.shards()).size();
        }
        assertEquals(many.assignments(0, 1).size(), total, "every block's labels in some shard");
    }
}
