package ai.instructflow.trainer.suite;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A simulated labeler: its own {@link Rubric} and a temperature for its noise. Comparisons follow Bradley–Terry,
 * P(a preferred) = sigmoid((s_a - s_b) / T), and rankings Plackett–Luce on the same scores, so a ranking's
 * implied pairs agree in distribution with direct comparisons.
 */
public record SimulatedLabeler(String id, Rubric rubric, double temperature) {

    public SimulatedLabeler {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive: " + temperature);
        }
    }

    public double score(SuitePrompt p, String response) {
        return rubric.score(p, response);
    }

    /** 0 if this labeler prefers {@code a}, 1 if {@code b}; identical responses are a coin flip. */
    public int compare(SuitePrompt p, String a, String b, Random rng) {
        if (a.equals(b)) {
            return rng.nextBoolean() ? 0 : 1;
        }
        double pA = sigmoid((score(p, a) - score(p, b)) / temperature);
        return rng.nextDouble() < pA ? 0 : 1;
    }

    /** Indices of {@code outputs}, best first: sorting s_i / T plus Gumbel noise samples Plackett–Luce exactly. */
    public int[] rank(SuitePrompt p, List<String> outputs, Random rng) {
        double[] keys = new double[outputs.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = score(p, outputs.get(i)) / temperature - Math.log(-Math.log(1 - rng.nextDouble()));
        }
        return IntStream.range(0, keys.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> keys[i]).reversed())
                .mapToInt(Integer::intValue)
                .toArray();
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
