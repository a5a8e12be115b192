package ai.instructflow.trainer.suite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The built-in instruction suite: disjoint train and held-out vocabularies, fixed by a seed, and a task mixture. */
public final class TaskSuite {

    private static final String CONSONANTS = "bcdfghjklmnpqrstvwxyz";
    private static final String VOWELS = "aeiou";
    private static final double ALTERNATE = 0.85;

    private final SuiteConfig config;
    private final List<String> trainWords;
    private final List<String> heldOutWords;
    private final Task[] tasks = Task.values();
    private final double[] cumulativeWeights;

    public TaskSuite(SuiteConfig config, long seed) {
        this.config = config;
        Random rng = new Random(seed);
        Set<String> unique = new LinkedHashSet<>();
        while (unique.size() < config.trainWords() + config.heldOutWords()) {
            unique.add(pronounceableWord(rng));
        }
        List<String> words = new ArrayList<>(unique);
        this.trainWords = List.copyOf(words.subList(0, config.trainWords()));
        this.heldOutWords = List.copyOf(words.subList(config.trainWords(), words.size()));
        this.cumulativeWeights = new double[tasks.length];
        double sum = 0;
        for (int i = 0; i < tasks.length; i++) {
            sum += config.weights().getOrDefault(tasks[i], 0.0);
            cumulativeWeights[i] = sum;
        }
    }

    public SuiteConfig config() {
        return config;
    }

    public List<String> words(Split split) {
        return split == Split.TRAIN ? trainWords : heldOutWords;
    }

    /** {@code n} prompts with tasks drawn from the configured mixture and words from the split. */
    public List<SuitePrompt> sample(Split split, int n, Random rng) {
        List<SuitePrompt> prompts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            prompts.add(drawTask(rng).generate(words(split), rng));
        }
        return Collections.unmodifiableList(prompts);
    }

    private Task drawTask(Random rng) {
        double u = rng.nextDouble() * cumulativeWeights[tasks.length - 1];
        for (int i = 0; i < tasks.length; i++) {
            if (u < cumulativeWeights[i]) {
                return tasks[i];
            }
        }
        return tasks[tasks.length - 1];
    }

    /** Mostly alternating consonants and vowels, so prompts read like words and the byte model sees varied letters. */
    private static String pronounceableWord(Random rng) {
        int length = 3 + rng.nextInt(6);
        boolean vowel = rng.nextBoolean();
        StringBuilder w = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            String letters = vowel ? VOWELS : CONSONANTS;
            w.append(letters.charAt(rng.nextInt(letters.length())));
            if (rng.nextDouble() < ALTERNATE) {
                vowel = !vowel;
            }
        }
        return w.toString();
    }
}
