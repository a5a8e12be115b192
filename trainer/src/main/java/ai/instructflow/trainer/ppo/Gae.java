package ai.instructflow.trainer.ppo;

/**
 * Generalised advantage estimation (Schulman et al. 2016, eq. 16) over one response:
 *
 * <pre>delta_t = r_t + gamma * V(t+1) - V(t),   A_t = delta_t + gamma * lambda * A_(t+1)</pre>
 *
 * with V after the last token taken as 0 (the episode ends there). Returns are A_t + V(t), the value
 * head's regression target.
 */
public final class Gae {

    private Gae() {}

    /** Fills advantages[0..length) and returns[0..length). */
    public static void compute(float[] rewards, float[] values, int length, float gamma, float lambda,
                               float[] advantages, float[] returns) {
        float next = 0f;
        float nextValue = 0f;
        for (int t = length - 1; t >= 0; t--) {
            float delta = rewards[t] + gamma * nextValue - values[t];
            next = delta + gamma * lambda * next;
            advantages[t] = next;
            returns[t] = next + values[t];
            nextValue = values[t];
        }
    }
}
