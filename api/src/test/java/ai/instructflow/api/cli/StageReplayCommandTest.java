package ai.instructflow.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.instructflow.infra.InfraSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer-alone half of stage-bench checks what it is given before it reads any store. */
class StageReplayCommandTest {

    private static String refused(List<String> args, InfraSettings infra) {
        return assertThrows(IllegalArgumentException.class, () -> StageReplayCommand.run(args, infra)).getMessage();
    }

    @Test
    void itTakesOneRunIdAndADeviceAndReadsARunningPlatformsStore() {
        InfraSettings external = InfraSettings.from(Map.of("INSTRUCTFLOW_S3_ENDPOINT", "http://127.0.0.1:1",
                "INSTRUCTFLOW_S3_ACCESS_KEY", "a", "INSTRUCTFLOW_S3_SECRET_KEY", "b"));
        assertEquals("stage-replay takes one run id", refused(List.of(), external));
        assertEquals("stage-replay takes one run id, got [a, b]", refused(List.of("a", "b"), external));
        assertEquals("stage-replay takes one run id, got [--runs]", refused(List.of("--runs"), external));
        assertEquals("stage-replay reads a running platform's store: set INSTRUCTFLOW_S3_ENDPOINT "
                + "(a platform started with 'instructflow serve' prints it)", refused(List.of("r1"), InfraSettings.from(Map.of())));
    }
}
