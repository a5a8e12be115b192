package ai.instructflow.trainer.suite;

import java.util.Locale;

/**
 * How uneven the simulated demonstrators are. Each rate is a fraction of prompts and the outcomes are
 * exclusive: on a safe prompt a demonstrator refuses ({@code wrongRefusal}), or misses ({@code wrong}), or wraps
 * the right answer in chatter ({@code chatter}), or answers exactly; on an unsafe prompt it complies
 * ({@code unsafeCompliance}), or refuses with chatter ({@code chatter}), or refuses exactly.
 */
public record DemonstratorConfig(double chatter, double wrong, double wrongRefusal, double unsafeCompliance) {

    public DemonstratorConfig {
        for (double rate : new double[] {chatter, wrong, wrongRefusal, unsafeCompliance}) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("rates must lie in [0, 1]");
            }
        }
        if (chatter + wrong + wrongRefusal > 1 || chatter + unsafeCompliance > 1) {
            throw new IllegalArgumentException("exclusive rates sum past 1 on safe or unsafe prompts");
        }
    }

    public static DemonstratorConfig defaults() {
        return new DemonstratorConfig(0.35, 0.10, 0.05, 0.15);
    }

    /** Demonstrators who always write the canonical answer. */
    public static DemonstratorConfig clean() {
        return new DemonstratorConfig(0, 0, 0, 0);
    }

    public String describe() {
        return String.format(Locale.ROOT,
                "demonstrators: %.0f%% chatty, %.0f%% wrong, %.0f%% refuse safe prompts, %.0f%% comply with unsafe prompts",
                100 * chatter, 100 * wrong, 100 * wrongRefusal, 100 * unsafeCompliance);
    }
}
