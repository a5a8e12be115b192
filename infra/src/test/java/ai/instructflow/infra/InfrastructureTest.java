package ai.instructflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded Temporal service as the process that embeds it and a worker elsewhere reach it. */
class InfrastructureTest {

    @Test
    void theEmbeddingProcessAndThePortReachTheSameService(@TempDir Path data) {
        try (Infrastructure infra = Infrastructure.start(InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString())), 0, 0)) {
            WorkflowClient inProcess = infra.connect(null);
            WorkflowClient overThePort = TemporalConnection.connect(infra.settings());
            try {
                assertNotNull(inProcess.getWorkflowServiceStubs().getOptions().getChannel(), "the embedding process's own channel");
                assertNull(overThePort.getWorkflowServiceStubs().getOptions().getChannel());
                // started through one, seen through the other: one service, not two
                inProcess.newUntypedWorkflowStub("NoWorkerServesThis",
                        WorkflowOptions.newBuilder().setWorkflowId("seen-both-ways").setTaskQueue("nobody").build()).start();
                assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                        overThePort.newUntypedWorkflowStub("seen-both-ways").describe().getStatus());
            } finally {
                TemporalConnection.close(overThePort);
                TemporalConnection.close(inProcess);
            }
        }
    }
}
