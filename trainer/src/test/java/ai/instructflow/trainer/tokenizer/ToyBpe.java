package ai.instructflow.trainer.tokenizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A byte-level BPE small enough to write by hand: GPT-2's byte alphabet, a few merges, end of text. */
public final class ToyBpe {

    private ToyBpe() {}

    public static Gpt2BpeTokenizer tokenizer() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        // GPT-2's alphabet, in the order of its vocab.json: printable bytes first, the rest from U+0100
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
            if (printable) {
                vocab.put(String.valueOf((char) b), vocab.size());
            }
        }
        for (int b = 0, next = 256; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
            if (!printable) {
                vocab.put(String.valueOf((char) next++), vocab.size());
            }
        }
        List<String[]> merges = List.of(new String[] {"h", "e"}, new String[] {"l", "l"}, new String[] {"he", "ll"},
                new String[] {"hell", "o"}, new String[] {"\u0120", "w"}, new String[] {"o", "r"});
        for (String[] m : merges) {
            vocab.put(m[0] + m[1], vocab.size());
        }
        vocab.put(Gpt2BpeTokenizer.END_OF_TEXT, vocab.size());
        return new Gpt2BpeTokenizer(vocab, merges);
    }
}
