package ai.instructflow.workflows.labeling;

import java.util.regex.Pattern;

/**
 * A labeler group's name, as a token carries it (claim {@value #CLAIM}) and a run spec names it:
 * people are kept apart by group, so that a run's judges are not its training labelers.
 */
public final class LabelerGroup {

    /** The JWT claim holding a labeler's group; {@code groups} already holds the roles (MP-JWT). */
    public static final String CLAIM = "labeler_group";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private LabelerGroup() {}

    /** What is wrong with {@code name} as a group, or null when it is one. */
    public static String problem(String name) {
        return name != null && NAME.matcher(name).matches() ? null
                : "must be 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit";
    }
}
