package ai.instructflow.api.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Only the renewal races are left out of the log; the SDK's other warnings stay. */
class RenewalRaceFilterTest {

    private final RenewalRaceFilter filter = new RenewalRaceFilter();

    @Test
    void leavesOutOnlyTheWorkflowWorkersRenewalRaces() {
        assertFalse(filter.isLoggable(warning(RenewalRaceFilter.WORKFLOW_WORKER,
                Status.INVALID_ARGUMENT.withDescription("UnhandledCommand"))));
        assertFalse(filter.isLoggable(warning(RenewalRaceFilter.WORKFLOW_WORKER,
                Status.NOT_FOUND.withDescription("workflow execution already completed"))));
        assertTrue(filter.isLoggable(warning(RenewalRaceFilter.WORKFLOW_WORKER,
                Status.INVALID_ARGUMENT.withDescription("BadCompleteWorkflowExecutionAttributes"))));
        assertTrue(filter.isLoggable(warning(RenewalRaceFilter.WORKFLOW_WORKER,
                Status.NOT_FOUND.withDescription("Workflow task not found"))));
        assertTrue(filter.isLoggable(warning(RenewalRaceFilter.WORKFLOW_WORKER, Status.UNAVAILABLE)));
        assertTrue(filter.isLoggable(warning("io.temporal.internal.worker.ActivityWorker",
                Status.INVALID_ARGUMENT.withDescription("UnhandledCommand"))));
        assertTrue(filter.isLoggable(new LogRecord(Level.WARNING, "no exception")));
    }

    private static LogRecord warning(String logger, Status status) {
        LogRecord record = new LogRecord(Level.WARNING, "Failure while reporting workflow progress to the server.");
        record.setLoggerName(logger);
        record.setThrown(new StatusRuntimeException(status));
        return record;
    }
}
