package ai.instructflow.trainer.optim;

/**
 * Linear warm-up, then cosine decay to a floor: InstructGPT's SFT decays to 10% of the peak
 * (appendix C.1); the same shape serves the reward model and PPO with their own settings.
 */
public record CosineSchedule(float peak, float floorFraction, long warmupSteps, long totalSteps) {

    public float at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return (float) (peak * (floorFraction + (1 - floorFraction) * cosine));
    }
}
