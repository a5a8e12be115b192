package ai.instructflow.trainer.optim;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * AdamW's settings, one per trainer. Defaults are GPT-3's (Brown et al. 2020, appendix B), which
 * InstructGPT's fine-tuning inherits.
 *
 * @param beta1       first-moment decay                                     [0.9]
 * @param beta2       second-moment decay; 0.95 rather than 0.999 keeps late steps stable [0.95]
 * @param eps         added to the second-moment root                         [1e-8]
 * @param weightDecay decoupled weight decay on matrices (not biases or LayerNorm gains) [0.1]
 * @param gradClip    global gradient-norm clip, 0 for none                   [1.0]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AdamWConfig(float beta1, float beta2, float eps, float weightDecay, float gradClip) {

    public static AdamWConfig defaults() {
        return new AdamWConfig(0.9f, 0.95f, 1e-8f, 0.1f, 1.0f);
    }
}
