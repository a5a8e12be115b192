package ai.instructflow.infra;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a process reads its settings, by one name each: the dotted property name (e.g.
 * {@code instructflow.s3.endpoint}) under which a setting is documented where it is defined. A worker
 * process reads the environment, where the name is spelled as MicroProfile Config spells it
 * ({@code INSTRUCTFLOW_S3_ENDPOINT}); the API process reads its one Quarkus configuration, which
 * looks in the same environment variables, system properties and application.properties.
 */
@FunctionalInterface
public interface SettingSource {

    Optional<String> get(String property);

    default String get(String property, String fallback) {
        return get(property).orElse(fallback);
    }

    /** The process's environment variables. */
    static SettingSource environment() {
        return of(System.getenv());
    }

    /** Environment-style variables (tests pass their own). */
    static SettingSource of(Map<String, String> variables) {
        return property -> Optional.ofNullable(variables.get(variable(property))).filter(v -> !v.isEmpty());
    }

    /** The environment variable of a property, as MicroProfile Config maps it: upper case, other characters to '_'. */
    static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
