package ai.instructflow.trainer.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's autograd switch is per thread and starts on, while DJL turns it off only on the thread
 * that loads the engine. Loops that may run on any thread (a worker's activity threads, a web
 * server's request threads) turn it off first: otherwise in-place optimizer updates of parameters
 * fail, and sampling records graphs nobody reads. A GradientCollector turns it on for its own scope.
 */
public final class GradMode {

    private GradMode() {}

    public static void offOnThisThread() {
        JniUtils.setGradMode(false);
    }
}
