package ai.instructflow.workflows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records how runs end, as the registry would. */
final class FakeRunActivities implements RunActivities {

    record Finish(String runId, String status, String stage, String error) {}

    final List<Finish> finished = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void finish(String runId, String status, String stage, String error) {
        finished.add(new Finish(runId, status, stage, error));
    }
}
