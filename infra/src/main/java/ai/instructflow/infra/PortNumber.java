package ai.instructflow.infra;

/** A port as people give it, in options and settings alike: 0 to 65535, where 0 takes any free one. */
public final class PortNumber {

    private PortNumber() {}

    /** The port {@code text} names; {@code name} (an option or a setting) says where it was given. */
    public static int parse(String name, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(name + " must be a port number (0 for any free one), got '" + text + "'");
    }
}
