package ai.instructflow.trainer.tokenizer;

/**
 * Text to token ids and back. Behind an interface so a BPE vocabulary can replace the byte-level
 * one without touching the model or the training loops, which only see ids and the special tokens.
 */
public interface Tokenizer {

    int vocabSize();

    int bos();

    int eos();

    int pad();

    int[] encode(String text);

    /** Special tokens are dropped; byte sequences that are not valid UTF-8 decode to U+FFFD. */
    String decode(int[] ids, int from, int to);

    default String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }
}
