package ai.instructflow.trainer;

import ai.instructflow.trainer.bench.Bench;
import ai.instructflow.trainer.pipeline.LocalPipeline;
import ai.instructflow.trainer.pipeline.PipelineConfig;
import ai.instructflow.trainer.pipeline.PipelineReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Command line of the ML core: {@code local-pipeline}, {@code bench} and {@code model}. */
public final class Main {

    private static final String USAGE = """
            usage: instructflow <command> [options]
              local-pipeline [--json] [--seed N] [--device cpu|gpu]   SFT -> RM -> PPO in one process, then evaluate
              bench [--preset tiny|small|gpt2] [--device cpu|gpu] [--batch N] [--steps N] [--warmup N] [--only sft,rm,gen,ppo]
                    [--gen-batch N] [--gen-prompt N] [--gen-new N]     throughput and MFU, one JSON object per line
              model inspect DIR                                       a Hugging Face GPT-2 folder: shape, parameters,
                                                                      tokenizer, problems (one JSON object; exit 1 if
                                                                      it cannot be loaded)
              model generate DIR --prompt TEXT [--prompt TEXT ...] [--max-tokens 32] [--temperature 0] [--seed 0]
                    [--device cpu|gpu]                                continuations, one JSON object per prompt
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        try {
            switch (args[0]) {
                case "local-pipeline" -> localPipeline(rest);
                case "bench" -> Bench.main(rest.toArray(String[]::new));
                case "model" -> ModelCommand.run(rest, System.out);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            // bad input from the command line: say what is wrong, not where in the code it was noticed
            System.err.print("error: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
    }

    private static void localPipeline(List<String> args) throws Exception {
        boolean json = args.remove("--json");
        PipelineConfig defaults = PipelineConfig.defaults();
        long seed = wholeNumber("--seed", option(args, "--seed", String.valueOf(defaults.seed())), Long.MIN_VALUE,
                Long.MAX_VALUE, "an integer");
        String device = option(args, "--device", defaults.device());
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + args);
        }
        PipelineConfig config = defaults.on(device, seed);
        // With --json, stdout carries only the report; progress goes to stderr.
        PrintStream log = json ? System.err : System.out;
        PipelineReport report = new LocalPipeline(config, log).run();
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(report.toMap()));
        } else {
            System.out.print(report.toText());
        }
    }

    /** Removes "--name value" from args and returns the value, or the fallback. */
    public static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args.get(i + 1);
        args.subList(i, i + 2).clear();
        return value;
    }

    /** An option's value read as a whole number in [min, max]; refused as "{option} must be {what}, got '{text}'". */
    public static long wholeNumber(String option, String text, long min, long max, String what) {
        try {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be " + what + ", got '" + text + "'");
        }
    }
}
