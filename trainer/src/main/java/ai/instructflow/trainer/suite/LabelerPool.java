package ai.instructflow.trainer.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A group of simulated labelers. As in the paper, training labels come from one group and evaluation from a
 * held-out group: each group shares a rubric drawn around the default one (its collective taste) and each member
 * varies around that, so the held-out group disagrees with the training group systematically, not just by noise.
 */
public final class LabelerPool {

    /** Agreement between two labelers in the InstructGPT paper: 72.6%. */
    public static final double TARGET_AGREEMENT = 0.73;

    private static final double GROUP_SPREAD = 0.08;
    private static final double MEMBER_SPREAD = 0.05;
    private static final double MIN_TEMPERATURE = 1e-3;
    private static final double MAX_TEMPERATURE = 1e3;

    private final List<SimulatedLabeler> labelers;

    private LabelerPool(List<SimulatedLabeler> labelers) {
        this.labelers = List.copyOf(labelers);
    }

    public static LabelerPool training(int size, double temperature, long seed) {
        return create("train", size, temperature, seed);
    }

    public static LabelerPool heldOut(int size, double temperature, long seed) {
        return create("heldout", size, temperature, seed);
    }

    private static LabelerPool create(String group, int size, double temperature, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("a pool needs at least one labeler");
        }
        // The group name salts the seed, so training and held-out pools built from one run seed still differ.
        Random rng = new Random(seed ^ group.hashCode());
        Rubric taste = Rubric.defaults().perturbed(rng, GROUP_SPREAD);
        List<SimulatedLabeler> labelers = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            labelers.add(new SimulatedLabeler(group + "-" + i, taste.perturbed(rng, MEMBER_SPREAD), temperature));
        }
        return new LabelerPool(labelers);
    }

    public List<SimulatedLabeler> labelers() {
        return labelers;
    }

    public SimulatedLabeler pick(Random rng) {
        return labelers.get(rng.nextInt(labelers.size()));
    }

    /**
     * The temperature at which two labelers with these (score a, score b) pairs agree on {@code targetAgreement} of
     * comparisons in expectation: the mean over pairs of p^2 + (1-p)^2 with p = sigmoid((a - b) / T), which falls
     * from its maximum towards 1/2 as T grows. Ties always agree half the time, so a target above what the pairs
     * allow gives the smallest temperature searched, and one at or below 1/2 the largest.
     */
    public static double solveTemperature(List<double[]> scorePairs, double targetAgreement) {
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        if (expectedAgreement(scorePairs, MIN_TEMPERATURE) <= targetAgreement) {
            return MIN_TEMPERATURE;
        }
        if (expectedAgreement(scorePairs, MAX_TEMPERATURE) >= targetAgreement) {
            return MAX_TEMPERATURE;
        }
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (expectedAgreement(scorePairs, Math.exp(mid)) > targetAgreement) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    /** {@link #solveTemperature} on the default rubric's scores of these pairs. */
    public static double calibrate(List<ResponsePair> pairs, double targetAgreement) {
        Rubric rubric = Rubric.defaults();
        List<double[]> scores = pairs.stream()
                .map(p -> new double[] {rubric.score(p.prompt(), p.a()), rubric.score(p.prompt(), p.b())})
                .toList();
        return solveTemperature(scores, targetAgreement);
    }

    /** Fraction of pairs on which two different labelers of this pool, drawn at random, pick the same response. */
    public double measureAgreement(List<ResponsePair> pairs, Random rng) {
        int agreed = 0;
        for (ResponsePair pair : pairs) {
            int first = rng.nextInt(labelers.size());
            int second = labelers.size() == 1 ? first : (first + 1 + rng.nextInt(labelers.size() - 1)) % labelers.size();
            int x = labelers.get(first).compare(pair.prompt(), pair.a(), pair.b(), rng);
            int y = labelers.get(second).compare(pair.prompt(), pair.a(), pair.b(), rng);
            if (x == y) {
                agreed++;
            }
        }
        return (double) agreed / pairs.size();
    }

    private static double expectedAgreement(List<double[]> scorePairs, double temperature) {
        return scorePairs.stream()
                .mapToDouble(s -> {
                    double p = SimulatedLabeler.sigmoid((s[0] - s[1]) / temperature);
                    return p * p + (1 - p) * (1 - p);
                })
                .average()
                .orElse(0.5);
    }
}
