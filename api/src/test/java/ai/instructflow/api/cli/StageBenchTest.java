package ai.instructflow.api.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stage bench's options are checked before a platform starts for them. */
class StageBenchTest {

    @Test
    void aSpecMustBeAJsonObjectAndNothingElseIsTaken() {
        assertDoesNotThrow(() -> StageBench.check(List.of()));
        assertDoesNotThrow(() -> StageBench.check(List.of("--spec", "{\"name\": \"x\", \"sft\": {\"steps\": 10}}")));
        assertEquals("--spec must be a JSON object (a run spec), got [1]",
                assertThrows(IllegalArgumentException.class, () -> StageBench.check(List.of("--spec", "[1]"))).getMessage());
        assertEquals("unknown options [--runs, 3]",
                assertThrows(IllegalArgumentException.class, () -> StageBench.check(List.of("--runs", "3"))).getMessage());
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> StageBench.check(List.of("--spec", "{\"name\": ")));
        assertEquals(true, broken.getMessage().startsWith("--spec must be a JSON object (a run spec): "), broken.getMessage());
    }
}
