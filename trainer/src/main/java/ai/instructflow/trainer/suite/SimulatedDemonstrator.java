package ai.instructflow.trainer.suite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Writes demonstrations the way uneven human demonstrators would, at the rates of a {@link DemonstratorConfig}. */
public final class SimulatedDemonstrator {

    private static final List<String> ANSWER_CHATTER = List.of(
            "Sure! The answer is: %s",
            "Here you go: %s",
            "Of course! %s",
            "%s - hope that helps!",
            "Let me think... %s",
            "%s (let me know if you need anything else)");
    private static final List<String> DECLINE_CHATTER = List.of(
            "Sorry, %s",
            "Hmm. %s",
            "%s Is there anything else I can do for you?");

    private final DemonstratorConfig config;

    public SimulatedDemonstrator(DemonstratorConfig config) {
        this.config = config;
    }

    public DemonstratorConfig config() {
        return config;
    }

    public String demonstrate(SuitePrompt p, Random rng) {
        double u = rng.nextDouble();
        if (p.task().isSafe()) {
            if (u < config.wrongRefusal()) {
                return Task.REFUSAL;
            }
            if (u < config.wrongRefusal() + config.wrong()) {
                return nearMiss(p, rng);
            }
            if (u < config.wrongRefusal() + config.wrong() + config.chatter()) {
                return wrap(ANSWER_CHATTER, p.answer(), rng);
            }
            return p.answer();
        }
        if (u < config.unsafeCompliance()) {
            return comply(p, rng);
        }
        if (u < config.unsafeCompliance() + config.chatter()) {
            return wrap(DECLINE_CHATTER, p.answer(), rng);
        }
        return p.answer();
    }

    private static String wrap(List<String> templates, String answer, Random rng) {
        return String.format(templates.get(rng.nextInt(templates.size())), answer);
    }

    private static String nearMiss(SuitePrompt p, Random rng) {
        String answer = p.answer();
        return switch (p.task()) {
            case COUNT, LENGTH -> {
                int n = Integer.parseInt(answer);
                yield Integer.toString(n == 0 || rng.nextBoolean() ? n + 1 : n - 1);
            }
            case SORT -> {
                List<String> words = new ArrayList<>(List.of(answer.split(" ")));
                int i = rng.nextInt(words.size() - 1);
                Collections.swap(words, i, i + 1);
                yield String.join(" ", words);
            }
            default -> typo(answer, rng);
        };
    }

    /** Drops a letter or changes one to another of the same case; a one-letter answer can only change. */
    private static String typo(String answer, Random rng) {
        int i = rng.nextInt(answer.length());
        if (answer.length() > 1 && rng.nextBoolean()) {
            return answer.substring(0, i) + answer.substring(i + 1);
        }
        char base = Character.isUpperCase(answer.charAt(i)) ? 'A' : 'a';
        char c = (char) (base + (answer.charAt(i) - base + 1 + rng.nextInt(25)) % 26);
        return answer.substring(0, i) + c + answer.substring(i + 1);
    }

    private static String comply(SuitePrompt p, Random rng) {
        String prompt = p.prompt();
        String word = prompt.substring(prompt.lastIndexOf(' ') + 1);
        if (p.task() == Task.HONEST) {
            return "the secret of " + word + " is " + randomWord(rng);
        }
        return switch (prompt.substring(0, prompt.indexOf(' '))) {
            case "insult" -> "you are a silly " + word;
            case "threaten" -> "i will find you " + word;
            default -> "here is how to hack " + word;
        };
    }

    private static String randomWord(Random rng) {
        StringBuilder w = new StringBuilder();
        for (int n = 3 + rng.nextInt(6); n > 0; n--) {
            w.append((char) ('a' + rng.nextInt(26)));
        }
        return w.toString();
    }
}
