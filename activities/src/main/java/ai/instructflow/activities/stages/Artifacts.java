package ai.instructflow.activities.stages;

import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.Failures;
import io.temporal.failure.ApplicationFailure;
import java.io.FilterInputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Stage outputs in object storage: written with their sha256, read back only if it still matches. */
public final class Artifacts {

    private final ObjectStore store;

    public Artifacts(ObjectStore store) {
        this.store = store;
    }

    public Artifact save(String name, String key, long count, ObjectStore.Writer writer, String contentType) {
        ObjectStore.Stored stored = store.put(key, writer, contentType);
        return new Artifact(name, key, stored.sha256(), stored.size(), count);
    }

    /** Reads an artifact, failing non-retryably when its bytes are not the ones its producer recorded. */
    public <T> T load(Artifact artifact, ObjectStore.Reader<T> reader) {
        MessageDigest digest = ObjectStore.sha256Digest();
        T value = store.read(artifact.key(), in -> {
            DigestInputStream hashing = new DigestInputStream(in, digest);
            T result = reader.read(new FilterInputStream(hashing) {
                @Override
                public void close() {
                    // the reader may close early; the rest must still be hashed below
                }
            });
            hashing.transferTo(OutputStream.nullOutputStream());
            return result;
        });
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(artifact.sha256())) {
            throw ApplicationFailure.newNonRetryableFailure("artifact " + artifact.key() + " is corrupt: sha256 "
                    + actual + ", expected " + artifact.sha256(), Failures.INVALID_INPUT);
        }
        return value;
    }

    /** Whether the artifact is present with the bytes its producer recorded, read through once to know. */
    public boolean intact(Artifact artifact) {
        MessageDigest digest = ObjectStore.sha256Digest();
        try {
            store.read(artifact.key(), in -> new DigestInputStream(in, digest).transferTo(OutputStream.nullOutputStream()));
        } catch (ObjectStore.NotFound e) {
            return false;
        }
        return HexFormat.of().formatHex(digest.digest()).equals(artifact.sha256());
    }

    /** True when every artifact is present with the recorded size and sha256: what makes a stage reusable. */
    public boolean verify(List<Artifact> artifacts) {
        for (Artifact a : artifacts) {
            var stat = store.stat(a.key());
            if (stat.isEmpty() || stat.get().size() != a.size() || !a.sha256().equals(store.sha256(a.key()))) {
                return false;
            }
        }
        return !artifacts.isEmpty();
    }
}
