package ai.instructflow.api.platform;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Leaves out the Temporal SDK's warning, with its stack trace, for one race it handles itself: a
 * labeling queue renews its history (continue-as-new) while labelers' updates arrive, the service
 * refuses the renewal with UnhandledCommand so that the updates are handled first, and the worker
 * handles them and renews on the next workflow task. Busy queues do this at most renewals (every
 * 1,000 events), so the warning said nothing but filled the demo's output. The in-memory service
 * has a second form of the same race: it completes the renewal and then refuses the task's answers to
 * the updates, {@code NOT_FOUND: workflow execution already completed}; the callers send those
 * updates again to the next execution ({@code LabelingClient}). The embedded service refuses a third
 * task the same way, one that cancels an activity completed meanwhile ({@code CrossedCancelGuard}),
 * and the worker handles that on the next task too. Any other failure to report a workflow task
 * still warns.
 */
@LoggingFilter(name = RenewalRaceFilter.NAME)
public final class RenewalRaceFilter implements Filter {

    public static final String NAME = "temporal-renewal-race";
    static final String WORKFLOW_WORKER = "io.temporal.internal.worker.WorkflowWorker";
    private static final String UNHANDLED_COMMAND = "UnhandledCommand";
    private static final String ALREADY_COMPLETED = "workflow execution already completed";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!WORKFLOW_WORKER.equals(record.getLoggerName())) {
            return true;
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException s && (is(s, Status.Code.INVALID_ARGUMENT, UNHANDLED_COMMAND)
                    || is(s, Status.Code.NOT_FOUND, ALREADY_COMPLETED))) {
                return false;
            }
        }
        return true;
    }

    private static boolean is(StatusRuntimeException e, Status.Code code, String description) {
        return e.getStatus().getCode() == code && description.equals(e.getStatus().getDescription());
    }
}
