package ai.instructflow.trainer.train;

/** Seeds derived from seeds: one stream per stage, per sampled chunk, far from its neighbours'. */
public final class Seeds {

    private Seeds() {}

    /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
