package ai.instructflow.trainer.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Device choice is configuration: "cpu", "gpu" or "gpu1", ..., checked against what the engine sees. */
public final class Devices {

    private Devices() {}

    public static Device parse(String name) {
        Device device = Device.fromName(name);
        if (!device.isGpu() && !Device.Type.CPU.equals(device.getDeviceType())) {
            throw new IllegalArgumentException("unknown device '" + name + "' (cpu, gpu, gpu1, ...)");
        }
        if (device.isGpu() && device.getDeviceId() < 0) {
            device = Device.gpu(0); // plain "gpu" parses as gpu(-1): mean the first one
        }
        if (device.isGpu() && device.getDeviceId() >= Engine.getInstance().getGpuCount()) {
            throw new IllegalArgumentException("device '" + name + "': the PyTorch engine sees "
                    + Engine.getInstance().getGpuCount() + " GPU(s); a GPU worker needs a CUDA libtorch "
                    + "(PYTORCH_LIBRARY_PATH or the pytorch-native-cu* jar)");
        }
        return device;
    }
}
