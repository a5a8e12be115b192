package ai.instructflow.activities.storage;

import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * The platform's only door to object storage: one bucket on any S3-compatible server (embedded
 * s3proxy in development, MinIO or AWS S3 in production), through the MinIO client.
 *
 * <p>Every object written here carries its SHA-256 as user metadata, so manifests can record and
 * later verify content without downloading it. All failures surface as unchecked
 * {@link StorageException}s, with {@link NotFound} for a missing key.
 */
public final class ObjectStore {

    /** A stored object: its key, hex SHA-256 ({@code null} if not written by this class) and size. */
    public record Stored(String key, String sha256, long size) {}

    /** Produces an object's content; lets callers stream large artifacts without holding them. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Consumes an object's content while the download is open. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    /** Any failure talking to the server or moving bytes; names the key and the bucket. */
    public static class StorageException extends RuntimeException {
        public StorageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The key does not exist in the bucket. */
    public static final class NotFound extends StorageException {
        public NotFound(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final String SHA256_METADATA = "sha256";
    // S3 answers a missing key with NoSuchKey; for a HEAD, which has no body, MinIO names the
    // bare 404 the same way.
    private static final String MISSING_CODE = "NoSuchKey";
    // One HTTP client for every store in the process: OkHttp is built to be shared (one connection
    // pool, one dispatcher), and building MinIO's default client costs most of a second.
    private static final OkHttpClient HTTP = Http.newDefaultClient();
    private static final Set<String> BUCKET_TAKEN_CODES = Set.of("BucketAlreadyOwnedByYou", "BucketAlreadyExists");

    /**
     * Objects up to this size go up in one PUT, larger ones in parts of it. The client's own choice,
     * 5 MiB parts, sent the demo's 10.5 MB checkpoints as a three-part multipart upload: 150 ms each
     * against the embedded store where one PUT takes 85 ms, and that on every checkpoint of a stage.
     * S3 takes single PUTs up to 5 GiB and parts up to 10,000, so this reaches 640 GiB.
     */
    static final long PART_SIZE = 64L << 20;

    private final MinioClient client;
    private final String bucket;

    /** Connects and creates the bucket if it does not exist yet. */
    public ObjectStore(StorageConfig config) {
        MinioClient.Builder builder = MinioClient.builder()
                .endpoint(config.endpoint())
                .httpClient(HTTP)
                .credentials(config.accessKey(), config.secretKey());
        if (config.region() != null) {
            builder.region(config.region());
        }
        this.client = builder.build();
        this.bucket = config.bucket();
        ensureBucket();
    }

    public String bucket() {
        return bucket;
    }

    public Stored put(String key, byte[] bytes, String contentType) {
        String sha256 = hex(sha256Digest().digest(bytes));
        try {
            client.putObject(PutObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .data(bytes, bytes.length)
                    .contentType(contentType)
                    .userMetadata(Map.of(SHA256_METADATA, sha256))
                    .build());
        } catch (MinioException e) {
            throw failure("put", key, e);
        }
        return new Stored(key, sha256, bytes.length);
    }

    /**
     * Streams the writer's output to a temporary file while hashing it, because the hash has to be
     * known before the upload starts (it travels as metadata) and the size lets the client choose
     * between a single PUT and a multipart upload.
     */
    public Stored put(String key, Writer writer, String contentType) {
        Path spool = null;
        try {
            spool = Files.createTempFile("objectstore-", ".upload");
            MessageDigest digest = sha256Digest();
            try (OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(spool)), digest)) {
                writer.write(out);
            }
            String sha256 = hex(digest.digest());
            long size = Files.size(spool);
            client.uploadObject(UploadObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .filename(spool.toString(), PART_SIZE)
                    .contentType(contentType)
                    .userMetadata(Map.of(SHA256_METADATA, sha256))
                    .build());
            return new Stored(key, sha256, size);
        } catch (MinioException | IOException e) {
            throw failure("put", key, e);
        } finally {
            deleteSpool(key, spool);
        }
    }

    public byte[] get(String key) {
        return read(key, InputStream::readAllBytes);
    }

    /** Hands the open download to {@code reader}; the stream is closed when it returns. */
    public <T> T read(String key, Reader<T> reader) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return reader.read(in);
        } catch (MinioException | IOException e) {
            throw failure("read", key, e);
        }
    }

    /** Size from the server, SHA-256 as recorded by {@code put}; empty when the key is missing. */
    public Optional<Stored> stat(String key) {
        try {
            StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return Optional.of(new Stored(key, stat.userMetadata().getFirst(SHA256_METADATA), stat.size()));
        } catch (MinioException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw failure("stat", key, e);
        }
    }

    /** Recomputes the SHA-256 from the stored bytes, to verify what {@link #stat} claims. */
    public String sha256(String key) {
        return read(key, in -> {
            MessageDigest digest = sha256Digest();
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return hex(digest.digest());
        });
    }

    public boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Every key under {@code prefix}, at any depth, sorted. */
    public List<String> list(String prefix) {
        return names(prefix, true, false);
    }

    /** The common prefixes one level below {@code prefix}, each ending in "/", sorted. */
    public List<String> folders(String prefix) {
        return names(prefix, false, true);
    }

    /** Server-side copy; the source's metadata, SHA-256 included, goes with it. */
    public void copy(String fromKey, String toKey) {
        try {
            client.copyObject(CopyObjectArgs.builder()
                    .bucket(bucket)
                    .object(toKey)
                    .source(SourceObject.builder().bucket(bucket).object(fromKey).build())
                    .build());
        } catch (MinioException e) {
            throw failure("copy " + fromKey + " to", toKey, e);
        }
    }

    /** Removes the key; removing a missing key is not an error (S3 semantics). */
    public void delete(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (MinioException e) {
            throw failure("delete", key, e);
        }
    }

    /** A URL that a plain HTTP GET can download for {@code ttl} (S3 allows at most 7 days). */
    public String presignedGet(String key, Duration ttl) {
        try {
            return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.GET)
                    .bucket(bucket)
                    .object(key)
                    .expiry(Math.toIntExact(ttl.toSeconds()))
                    .build());
        } catch (MinioException e) {
            throw failure("presign", key, e);
        }
    }

    private void ensureBucket() {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (MinioException e) {
            // another process may have created it between the check and the create
            if (!BUCKET_TAKEN_CODES.contains(errorCode(e))) {
                throw new StorageException("cannot create bucket '" + bucket + "'", e);
            }
        }
    }

    private List<String> names(String prefix, boolean recursive, boolean folders) {
        List<String> names = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .recursive(recursive)
                    .build())) {
                Item item = result.get();
                if (item.isDir() == folders) {
                    names.add(item.objectName());
                }
            }
        } catch (MinioException e) {
            throw failure("list", prefix, e);
        }
        names.sort(null);
        return names;
    }

    private void deleteSpool(String key, Path spool) {
        if (spool == null) {
            return;
        }
        try {
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            throw failure("delete the upload spool " + spool + " of", key, e);
        }
    }

    private StorageException failure(String action, String key, Exception cause) {
        String message = "cannot " + action + " '" + key + "' in bucket '" + bucket + "'";
        return isMissing(cause) ? new NotFound(message + ": no such key", cause) : new StorageException(message, cause);
    }

    private static boolean isMissing(Exception e) {
        return MISSING_CODE.equals(errorCode(e));
    }

    /** The S3 error code behind {@code e}, or {@code null} when it is not an S3 error reply. */
    private static String errorCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException response) {
                return response.errorResponse().code();
            }
        }
        return null;
    }

    /** The digest behind every sha256 the platform records, for callers that hash what they store or read. */
    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
