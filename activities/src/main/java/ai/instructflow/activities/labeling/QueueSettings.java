package ai.instructflow.activities.labeling;

/**
 * How a collect stage's queue runs, from its section of the run spec: labels per task from
 * different labelers, the tasks that end collection once fully labeled (null: all of them), the
 * deadline and lease in minutes, and whether different responses may tie.
 */
public record QueueSettings(int overlap, Integer quota, int deadlineMinutes, int leaseMinutes, boolean ties) {}
