package ai.instructflow.activities.stages;

import ai.instructflow.activities.registry.RunStore;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** JSON lines, the format of every dataset and metrics file a stage writes: one compact object per line. */
public final class JsonLines {

    private static final ObjectWriter LINE = RunStore.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    public interface Line {
        void accept(int number, String text) throws IOException;
    }

    private JsonLines() {}

    public static void write(OutputStream out, Object row) throws IOException {
        out.write(LINE.writeValueAsBytes(row));
        out.write('\n');
    }

    /** Hands over every non-blank line with its 1-based number, so errors can name the line. */
    public static void forEach(InputStream in, Line line) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String text;
        int number = 0;
        while ((text = reader.readLine()) != null) {
            number++;
            if (!text.isBlank()) {
                line.accept(number, text);
            }
        }
    }
}
