package ai.instructflow.activities.registry;

import ai.instructflow.activities.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which runs there are and the status of each, known without reading their records: one empty marker
 * object per run whose key carries its id and its status, so that listing keys reads the index.
 * <pre>
 * runs-index/&lt;shard&gt;/&lt;id&gt;.&lt;status&gt;    a run's marker; the shard is the first hex digit of the id's random part
 * runs-index/&lt;shard&gt;.version          rewritten, with new content, after every change to that shard's markers
 * runs-index/built                     there once every run's markers were checked against its record
 * </pre>
 * The sixteen shards are listed side by side, and a shard is listed again only when its version changed
 * since this process last listed it: a listing of a registry nobody changed is sixteen HEAD requests,
 * whatever the number of runs. The version is read before the shard is listed and rewritten after the
 * change, so a listing that overlapped a change is listed again the next time.
 *
 * <p>Only {@link RunStore} writes markers, around each write of a record, which stays the source of
 * truth: a run has at least one marker at all times, and two while its status changes (or after a
 * writer died in between), which a reader settles by reading that run's record.
 */
public final class RunIndex {

    public static final String PREFIX = "runs-index/";
    public static final String BUILT = PREFIX + "built";
    private static final String SHARDS = "0123456789abcdef";
    private static final Pattern STATUS = Pattern.compile("[a-z]+");
    private static final int ID_LENGTH = "yyyyMMdd-HHmmss-xxxxxx".length();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] EMPTY = new byte[0];

    /** A run as its markers have it: newest first, with every status it has a marker of (two while it changes). */
    public record Marked(String id, List<String> statuses) {}

    /** A run in a listing: its id and its status. */
    public record Entry(String id, String status) {}

    /** A shard's keys as listed under a version of it. */
    private record Listed(String version, List<String> keys) {}

    private final ObjectStore store;
    private final Map<Character, Listed> shards = new ConcurrentHashMap<>();
    private volatile boolean built;

    RunIndex(ObjectStore store) {
        this.store = store;
    }

    static String key(String runId, String status) {
        if (!RunStore.isRunId(runId) || status == null || !STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("no index marker for run '" + runId + "' with status '" + status + "'");
        }
        return shardPrefix(shard(runId)) + runId + "." + status;
    }

    /** Lists the run under {@code status} (besides any other marker it has). */
    void mark(String runId, String status) {
        store.put(key(runId, status), EMPTY, "application/octet-stream");
    }

    /** Marks the run under {@code status} unless it already is (a HEAD, and a PUT only when missing). */
    void ensure(String runId, String status) {
        if (!store.exists(key(runId, status))) {
            mark(runId, status);
        }
    }

    void unmark(String runId, String status) {
        store.delete(key(runId, status));
    }

    /** Removes the run's markers of every status but {@code status}. */
    void unmarkOthers(String runId, String status) {
        String keep = key(runId, status);
        for (String k : store.list(shardPrefix(shard(runId)) + runId + ".")) {
            if (!k.equals(keep)) {
                store.delete(k);
            }
        }
    }

    /** Says that the run's shard changed; called after every change to its markers. */
    void changed(String runId) {
        changed(shard(runId));
    }

    /** Says that every shard changed. */
    void changedEverywhere() {
        Parallel.map(shards(), c -> {
            changed(c);
            return c;
        });
    }

    /** Every run with a marker, newest first. */
    List<Marked> marked() {
        List<List<String>> listed = Parallel.map(shards(), this::keys);
        TreeMap<String, List<String>> byId = new TreeMap<>(Comparator.reverseOrder());
        for (List<String> keys : listed) {
            for (String k : keys) {
                String name = k.substring(k.lastIndexOf('/') + 1);
                if (name.length() > ID_LENGTH + 1 && name.charAt(ID_LENGTH) == '.') {
                    String id = name.substring(0, ID_LENGTH);
                    if (RunStore.isRunId(id)) {
                        byId.computeIfAbsent(id, x -> new ArrayList<>(1)).add(name.substring(ID_LENGTH + 1));
                    }
                }
            }
        }
        List<Marked> out = new ArrayList<>(byId.size());
        byId.forEach((id, statuses) -> out.add(new Marked(id, List.copyOf(statuses))));
        return out;
    }

    /** Whether every run's markers were checked against its record (asked of the bucket until it says yes). */
    boolean built() {
        if (!built && store.exists(BUILT)) {
            built = true;
        }
        return built;
    }

    void markBuilt() {
        store.put(BUILT, "every run's markers were checked against its record: delete this to check again\n"
                .getBytes(StandardCharsets.UTF_8), "text/plain");
        built = true;
    }

    /** A shard's keys: as last listed while its version is the same, listed again when it is not. */
    private List<String> keys(char shard) {
        // no version object: the shard never changed through this index, or a writer died before saying so
        String version = store.stat(versionKey(shard)).map(ObjectStore.Stored::sha256).orElse(null);
        Listed last = shards.get(shard);
        if (version != null && last != null && version.equals(last.version())) {
            return last.keys();
        }
        List<String> keys = store.list(shardPrefix(shard));
        if (version != null) {
            shards.put(shard, new Listed(version, keys));
        }
        return keys;
    }

    private void changed(char shard) {
        byte[] version = new byte[16];
        RANDOM.nextBytes(version);
        store.put(versionKey(shard), HexFormat.of().formatHex(version).getBytes(StandardCharsets.US_ASCII), "text/plain");
    }

    private static List<Character> shards() {
        return SHARDS.chars().mapToObj(c -> (char) c).toList();
    }

    private static char shard(String runId) {
        return runId.charAt(ID_LENGTH - 6);
    }

    private static String shardPrefix(char shard) {
        return PREFIX + shard + "/";
    }

    private static String versionKey(char shard) {
        return PREFIX + shard + ".version";
    }
}
