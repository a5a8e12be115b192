package ai.instructflow.trainer.pipeline;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the policy learns from the labelers' comparisons after SFT: InstructGPT's reward model and PPO
 * against it (Ouyang et al. 2022, section 3.5), or DPO on the comparisons directly against the SFT
 * model (Rafailov et al. 2023), with no reward model and no sampling while it trains.
 */
public enum Method {
    PPO("ppo", "PPO"),
    DPO("dpo", "DPO");

    private final String id;
    private final String label;

    Method(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** Its name in the run spec ({@code "method"}), in report keys and as the policy's stage. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Its name for people, in reports. */
    public String label() {
        return label;
    }
}
