package ai.instructflow.infra;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the platform's two real parts are: a Temporal service and an S3-compatible store. The value
 * {@value #EMBEDDED} for either starts it in-process (Temporal's in-memory service on a port, an S3
 * server on a folder under {@code dataDir}); anything else is an external endpoint. Nothing else in
 * the code knows which one it talks to.
 *
 * <p>Settings, all optional (defaults in brackets; as environment variables: upper case, '_' for '.' and '-',
 * e.g. INSTRUCTFLOW_TEMPORAL_TARGET; see {@link SettingSource}):
 * <pre>
 * instructflow.temporal.target     host:port of the Temporal frontend      [embedded]
 * instructflow.temporal.namespace                                          [default]
 * instructflow.temporal.tls-cert   client certificate (PEM) for mTLS       [none: plain gRPC]
 * instructflow.temporal.tls-key    its PKCS#8 private key (PEM)
 * instructflow.s3.endpoint         e.g. https://minio.example:9000         [embedded]
 * instructflow.s3.access-key / instructflow.s3.secret-key   required for an external endpoint; for
 *                                  the embedded one, made once per data dir  [data-dir/s3-credentials]
 * instructflow.s3.bucket                                                   [instructflow]
 * instructflow.s3.region                                                   [us-east-1]
 * instructflow.data-dir            the embedded store's folder and tokens  [~/.instructflow]
 * </pre>
 */
public record InfraSettings(String temporalTarget, String namespace, String tlsCert, String tlsKey,
                            String s3Endpoint, String s3AccessKey, String s3SecretKey, String bucket, String region,
                            Path dataDir) {

    public static final String EMBEDDED = "embedded";

    public static InfraSettings fromEnvironment() {
        return from(SettingSource.environment());
    }

    /** From environment-style variables, e.g. {@code INSTRUCTFLOW_DATA_DIR}. */
    public static InfraSettings from(Map<String, String> variables) {
        return from(SettingSource.of(variables));
    }

    public static InfraSettings from(SettingSource settings) {
        String endpoint = settings.get("instructflow.s3.endpoint", EMBEDDED);
        Path dataDir = Path.of(settings.get("instructflow.data-dir", System.getProperty("user.home") + "/.instructflow"));
        LocalS3Credentials.Keys keys = s3Keys(settings, endpoint, dataDir);
        return new InfraSettings(
                settings.get("instructflow.temporal.target", EMBEDDED),
                settings.get("instructflow.temporal.namespace", "default"),
                settings.get("instructflow.temporal.tls-cert").orElse(null),
                settings.get("instructflow.temporal.tls-key").orElse(null),
                endpoint, keys.accessKey(), keys.secretKey(),
                settings.get("instructflow.s3.bucket", "instructflow"),
                settings.get("instructflow.s3.region", "us-east-1"),
                dataDir);
    }

    /**
     * Configured keys; else the embedded store's own, made once per data folder (also found by a
     * local process joining that store by its endpoint). An external store's come from configuration only.
     */
    private static LocalS3Credentials.Keys s3Keys(SettingSource settings, String endpoint, Path dataDir) {
        String access = settings.get("instructflow.s3.access-key").orElse(null);
        String secret = settings.get("instructflow.s3.secret-key").orElse(null);
        if (access != null && secret != null) {
            return new LocalS3Credentials.Keys(access, secret);
        }
        if (access != null || secret != null) {
            throw new IllegalArgumentException("set both " + SettingSource.variable("instructflow.s3.access-key") + " and "
                    + SettingSource.variable("instructflow.s3.secret-key") + ", or neither");
        }
        if (EMBEDDED.equals(endpoint) || LocalS3Credentials.exist(dataDir)) {
            return LocalS3Credentials.of(dataDir);
        }
        throw new IllegalArgumentException("the S3 endpoint " + endpoint + " needs its credentials: set "
                + SettingSource.variable("instructflow.s3.access-key") + " and "
                + SettingSource.variable("instructflow.s3.secret-key"));
    }

    public boolean embeddedTemporal() {
        return EMBEDDED.equals(temporalTarget);
    }

    public boolean embeddedS3() {
        return EMBEDDED.equals(s3Endpoint);
    }

    /**
     * The environment variables that point another process at this store (a worker, a replay), keys
     * included: an external store's, as the process would otherwise have to be configured with them.
     */
    public Map<String, String> storeVariables() {
        return Map.of(
                SettingSource.variable("instructflow.s3.endpoint"), s3Endpoint,
                SettingSource.variable("instructflow.s3.access-key"), s3AccessKey,
                SettingSource.variable("instructflow.s3.secret-key"), s3SecretKey,
                SettingSource.variable("instructflow.s3.bucket"), bucket,
                SettingSource.variable("instructflow.s3.region"), region);
    }

    /** The same settings pointed at running endpoints, as {@link Infrastructure} resolves embedded ones. */
    public InfraSettings at(String temporal, String s3) {
        return new InfraSettings(temporal, namespace, tlsCert, tlsKey, s3, s3AccessKey, s3SecretKey, bucket, region, dataDir);
    }
}
