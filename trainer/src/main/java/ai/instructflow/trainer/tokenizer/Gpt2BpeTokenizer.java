package ai.instructflow.trainer.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level BPE (Radford et al. 2019, section 2.2), read from Hugging Face's files:
 * {@code vocab.json} + {@code merges.txt} or a {@code tokenizer.json} of the ByteLevel/BPE kind.
 * Text is split by GPT-2's pre-tokenizer pattern, each piece's UTF-8 bytes are spelled with GPT-2's
 * printable byte alphabet, and merges are applied lowest rank first, so every string has an encoding
 * and decoding restores it byte for byte.
 *
 * <p>Written in Java rather than bound to the Rust tokenizers library: this is the whole algorithm,
 * it needs no native library, and it is checked token for token against the npm gpt-3-encoder
 * package (a port of OpenAI's encoder.py) with GPT-2's own vocabulary.
 *
 * <p>{@code <|endoftext|>} is end of text, and serves as BOS and PAD as in GPT-2. A literal
 * "&lt;|endoftext|&gt;" inside the text is encoded as ordinary characters, as OpenAI's encoder does, so
 * a user's text can never inject a special token.
 *
 * <p>Whitespace is Unicode White_Space. The JavaScript and Python references differ from it (and from
 * each other) only on U+0085, U+FEFF and U+001C..U+001F.
 */
public final class Gpt2BpeTokenizer implements Tokenizer {

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String VOCAB = "vocab.json";
    public static final String MERGES = "merges.txt";
    public static final String TOKENIZER_JSON = "tokenizer.json";

    private static final Pattern PIECES = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);
    /** Pieces of words seen again and again; bounded so arbitrary text cannot grow it without limit. */
    private static final int CACHE_LIMIT = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final char[] BYTE_TO_CHAR = byteAlphabet();
    private static final Map<Character, Integer> CHAR_TO_BYTE = new HashMap<>();

    static {
        for (int b = 0; b < 256; b++) {
            CHAR_TO_BYTE.put(BYTE_TO_CHAR[b], b);
        }
    }

    private final Map<String, Integer> vocab;
    private final String[] tokens;
    private final List<String[]> merges;
    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();
    private final int endOfText;

    public Gpt2BpeTokenizer(Map<String, Integer> vocab, List<String[]> merges) {
        this.vocab = Map.copyOf(vocab);
        this.merges = List.copyOf(merges);
        Integer eot = vocab.get(END_OF_TEXT);
        if (eot == null) {
            throw new IllegalArgumentException("the vocabulary has no " + END_OF_TEXT);
        }
        endOfText = eot;
        int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        tokens = new String[size];
        vocab.forEach((token, id) -> tokens[id] = token);
        for (int i = 0; i < merges.size(); i++) {
            ranks.putIfAbsent(pairKey(merges.get(i)[0], merges.get(i)[1]), i);
        }
        for (char c : BYTE_TO_CHAR) {
            if (!vocab.containsKey(String.valueOf(c))) {
                throw new IllegalArgumentException("the vocabulary lacks the byte token '" + c + "': not a byte-level BPE");
            }
        }
    }

    /**
     * A tokenizer of GPT-2's 256-symbol byte alphabet (in the order of GPT-2's vocab.json), then one
     * token per merge in order, then end of text: small vocabularies in GPT-2's layout, for models
     * made from scratch and for tests.
     */
    public static Gpt2BpeTokenizer byteAlphabetWith(List<String[]> merges) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        // printable bytes stand for themselves and come first; the rest follow from U+0100
        for (boolean printable : new boolean[] {true, false}) {
            for (int b = 0; b < 256; b++) {
                if ((BYTE_TO_CHAR[b] == b) == printable) {
                    vocab.put(String.valueOf(BYTE_TO_CHAR[b]), vocab.size());
                }
            }
        }
        for (String[] m : merges) {
            vocab.put(m[0] + m[1], vocab.size());
        }
        vocab.put(END_OF_TEXT, vocab.size());
        return new Gpt2BpeTokenizer(vocab, merges);
    }

    /** From {@code tokenizer.json} if the folder has one, else from vocab.json + merges.txt. */
    public static Gpt2BpeTokenizer fromFolder(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(TOKENIZER_JSON))) {
            return fromTokenizerJson(dir.resolve(TOKENIZER_JSON));
        }
        return fromFiles(dir.resolve(VOCAB), dir.resolve(MERGES));
    }

    /** Whether a folder holds the files {@link #fromFolder} reads. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(TOKENIZER_JSON))
                || (Files.isRegularFile(dir.resolve(VOCAB)) && Files.isRegularFile(dir.resolve(MERGES)));
    }

    /** GPT-2's {@code vocab.json} (token -> id) and {@code merges.txt} ("#version" line, then "a b" per line). */
    public static Gpt2BpeTokenizer fromFiles(Path vocabJson, Path mergesTxt) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        JSON.readTree(vocabJson.toFile()).fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        List<String[]> merges = new ArrayList<>();
        for (String line : Files.readAllLines(mergesTxt, StandardCharsets.UTF_8)) {
            if (line.startsWith("#version") || line.isBlank()) {
                continue;
            }
            String[] pair = line.trim().split(" +");
            if (pair.length != 2) {
                throw new IOException(mergesTxt.getFileName() + ": not a merge: '" + line + "'");
            }
            merges.add(pair);
        }
        return new Gpt2BpeTokenizer(vocab, merges);
    }

    /**
     * A Hugging Face {@code tokenizer.json} whose model is BPE over the ByteLevel alphabet. Merges
     * come as "a b" strings (older files) or [a, b] pairs (tokenizers 0.20 and later).
     */
    public static Gpt2BpeTokenizer fromTokenizerJson(Path file) throws IOException {
        JsonNode json = JSON.readTree(file.toFile());
        JsonNode model = json.path("model");
        if (!"BPE".equals(model.path("type").asText("BPE")) || !model.has("vocab")) {
            throw new IOException(file.getFileName() + ": model is " + model.path("type") + ", not a byte-level BPE");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        model.path("vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        for (JsonNode added : json.path("added_tokens")) {
            vocab.putIfAbsent(added.path("content").asText(), added.path("id").asInt());
        }
        List<String[]> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            merges.add(m.isArray() ? new String[] {m.get(0).asText(), m.get(1).asText()} : m.asText().split(" ", 2));
        }
        return new Gpt2BpeTokenizer(vocab, merges);
    }

    /** Writes vocab.json and merges.txt into {@code dir}, the files Hugging Face's GPT2Tokenizer reads. */
    public void write(Path dir) throws IOException {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] != null) {
                ordered.put(tokens[id], id);
            }
        }
        JSON.writeValue(dir.resolve(VOCAB).toFile(), ordered);
        try (OutputStream out = Files.newOutputStream(dir.resolve(MERGES))) {
            out.write("#version: 0.2\n".getBytes(StandardCharsets.UTF_8));
            for (String[] m : merges) {
                out.write((m[0] + " " + m[1] + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public int bos() {
        return endOfText;
    }

    @Override
    public int eos() {
        return endOfText;
    }

    @Override
    public int pad() {
        return endOfText;
    }

    @Override
    public int[] encode(String text) {
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        Matcher m = PIECES.matcher(text);
        while (m.find()) {
            int[] ids = piece(m.group());
            parts.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] ids : parts) {
            System.arraycopy(ids, 0, out, at, ids.length);
            at += ids.length;
        }
        return out;
    }

    @Override
    public String decode(int[] ids, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            int id = ids[i];
            if (id == endOfText || id < 0 || id >= tokens.length || tokens[id] == null) {
                continue;
            }
            String token = tokens[id];
            for (int c = 0; c < token.length(); c++) {
                Integer b = CHAR_TO_BYTE.get(token.charAt(c));
                if (b != null) {
                    bytes.write(b);
                }
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** One pre-tokenized piece: its bytes in GPT-2's alphabet, merged by rank, as ids. */
    private int[] piece(String text) {
        int[] hit = cache.get(text);
        if (hit != null) {
            return hit;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<String> word = new ArrayList<>(utf8.length);
        for (byte b : utf8) {
            word.add(String.valueOf(BYTE_TO_CHAR[b & 0xff]));
        }
        while (word.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer rank = ranks.get(pairKey(word.get(i), word.get(i + 1)));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            // every occurrence of the best pair merges in one pass, left to right, as in encoder.py
            String first = word.get(best);
            String second = word.get(best + 1);
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) {
                if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        int[] ids = new int[word.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = vocab.get(word.get(i));
            if (id == null) {
                throw new IllegalStateException("merge result '" + word.get(i) + "' is not in the vocabulary");
            }
            ids[i] = id;
        }
        if (cache.size() < CACHE_LIMIT) {
            cache.put(text, ids);
        }
        return ids;
    }

    /** Tokens never contain a space (it is spelled U+0120), so a space cannot make two pairs collide. */
    private static String pairKey(String a, String b) {
        return a + " " + b;
    }

    /**
     * GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68 bytes map
     * to U+0100 upwards, so every token is a string of visible characters.
     */
    private static char[] byteAlphabet() {
        char[] out = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int next = 256;
        for (int b = 0; b < 256; b++) {
            out[b] = (char) (printable[b] ? b : next++);
        }
        return out;
    }

    @Override
    public String toString() {
        return "GPT-2 byte-level BPE, " + tokens.length + " tokens, " + merges.size() + " merges";
    }

    /** Same vocabulary and merges: the same encoding of every text. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Gpt2BpeTokenizer t && vocab.equals(t.vocab)
                && Arrays.deepEquals(merges.toArray(), t.merges.toArray());
    }

    @Override
    public int hashCode() {
        return vocab.hashCode();
    }
}
