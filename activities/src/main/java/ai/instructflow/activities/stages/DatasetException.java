package ai.instructflow.activities.stages;

import java.util.List;

/**
 * A dataset file refused whole, with its bad lines by number so that an upload can answer one entry
 * per line. Still an IllegalArgumentException, so a stage reading the file fails as bad input, not
 * as something a retry could fix.
 */
public final class DatasetException extends IllegalArgumentException {

    /** One bad line: its 1-based number and what is wrong with it. */
    public record BadLine(int line, String reason) {}

    private final transient List<BadLine> lines;
    private final int badLines;

    DatasetException(String message, List<BadLine> lines, int badLines) {
        super(message);
        this.lines = List.copyOf(lines);
        this.badLines = badLines;
    }

    /** The first bad lines, in file order; empty when the file is refused as a whole (it has no rows). */
    public List<BadLine> lines() {
        return lines;
    }

    /** How many lines are bad in all, which may be more than {@link #lines} lists. */
    public int badLines() {
        return badLines;
    }
}
