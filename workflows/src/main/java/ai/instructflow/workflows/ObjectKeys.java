package ai.instructflow.workflows;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * What a key in the platform's bucket may be when a caller names one: relative, no "." or ".."
 * segments, printable, bounded. The S3 server refuses some of these and a local folder would resolve
 * others outside the bucket, so they are refused where they enter, naming the field.
 */
public final class ObjectKeys {

    private static final int MAX_LENGTH = 1024;
    private static final Pattern CHARACTERS = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@/-]+");

    private ObjectKeys() {}

    /** Why {@code key} cannot name {@code what} (e.g. "a checkpoint"), or null when it can. */
    public static String problem(String key, String what) {
        boolean climbs = Arrays.stream(key.split("/", -1)).anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."));
        if (key.isBlank() || key.length() > MAX_LENGTH || climbs || !CHARACTERS.matcher(key).matches()) {
            return "must be the object key of " + what + " in the platform's bucket (e.g. runs/<id>/sft/model.ckpt), "
                    + "relative, without '.' or '..' segments";
        }
        return null;
    }
}
