package ai.instructflow.activities.stages;

import ai.instructflow.activities.registry.RunStore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What collect-comparisons hands the stages that judge with simulated labelers (RM's bias, PPO's
 * held-out score, the evaluation): the Bradley–Terry temperature at which simulated labelers of
 * these samples agree as the paper's people did, and the agreement measured on the collected
 * rankings (null where no task had two labels). Stored as an artifact, so it is verified like the
 * datasets it came with.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LabelerCalibration(double labelerTemperature, Double agreement) {

    public static final String ARTIFACT = "calibration";

    /** Agreement, NaN where it was not measured (an imported dataset, or overlap 1). */
    public double agreementOrNaN() {
        return agreement == null ? Double.NaN : agreement;
    }

    public static LabelerCalibration read(InputStream in) throws IOException {
        return RunStore.JSON.readValue(in, LabelerCalibration.class);
    }

    public void write(OutputStream out) throws IOException {
        out.write(RunStore.JSON.writeValueAsBytes(this));
    }
}
