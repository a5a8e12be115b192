package ai.instructflow.activities.labeling;

import java.util.List;

/** A stage's data split into what trains and what measures. */
public record Split<T>(List<T> train, List<T> heldOut) {

    /**
     * The last tenth held out (at most {@code maxHeldOut}, at least one): for data that came without
     * a split of its own, an imported file or a queue that closed before any held-out task was labeled.
     */
    public static <T> Split<T> lastTenth(String what, List<T> all, int maxHeldOut) {
        if (all.size() < 2) {
            throw new IllegalArgumentException(what + ": needs at least 2 rows, has " + all.size());
        }
        int held = Math.max(1, Math.min(maxHeldOut, all.size() / 10));
        return new Split<>(all.subList(0, all.size() - held), all.subList(all.size() - held, all.size()));
    }
}
