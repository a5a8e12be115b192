package ai.instructflow.api.runs;

import ai.instructflow.activities.registry.RunRecord;
import java.util.List;

/** One page of runs, newest first. */
public record RunPage(List<RunRecord> runs, int page, int size, int total) {}
