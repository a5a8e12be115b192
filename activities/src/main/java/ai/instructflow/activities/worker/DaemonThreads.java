package ai.instructflow.activities.worker;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the helpers a process starts beside its real work (gauges, heartbeats, deadlines,
 * checkpoint uploads, object-store I/O): daemons, so that none of them keeps a process alive that
 * has finished or been told to stop, and named, so that a thread dump says whose they are.
 */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Every thread it makes is called {@code name}: for a pool of one. */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    /** Its threads are called {@code prefix-1}, {@code prefix-2}, ...: for a pool of several. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> daemon(r, prefix + "-" + count.incrementAndGet());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
