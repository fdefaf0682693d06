package dev.vesper.cuda.internal;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import dev.vesper.cuda.internal.GemmPlan.Launch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * One CUDA device, through JCuda's driver API: its primary context, the Vesper kernels (PTX
 * compiled by the driver for the device at hand) and grow-only device buffers for the operands.
 *
 * <p>Only the driver library ({@code libcuda.so.1}) is needed, not a particular CUDA toolkit.
 * Calls are serialised: the context is made current on the calling thread each time, since
 * training, generation and the shell call in from different threads.
 */
public final class CudaDevice implements GemmDevice, AutoCloseable {
    private static final int TILE = 64;
    private static final int THREADS = 256;
    private static final int MAX_GRID_YZ = 65_535;

    private final CUdevice device;
    private final CUcontext context;
    private final CUmodule module;
    private final CUfunction sgemm;
    private final String description;
    private final Buffer bufA = new Buffer(), bufB = new Buffer(), bufC = new Buffer();
    private boolean closed;

    private CudaDevice(CUdevice device, CUcontext context, CUmodule module, CUfunction sgemm, String description) {
        this.device = device;
        this.context = context;
        this.module = module;
        this.sgemm = sgemm;
        this.description = description;
    }

    /**
     * Opens device {@code ordinal}.
     *
     * @throws CudaUnavailableException with the reason when there is no driver, no device, or the
     *         driver cannot compile the kernels
     */
    public static CudaDevice open(int ordinal) throws CudaUnavailableException {
        String os = System.getProperty("os.name", ""), arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            // the bundle carries JCuda's library for Linux x86-64 only
            throw new CudaUnavailableException("the CUDA backend runs on Linux x86-64 only, this is " + os + " " + arch,
                    true);
        }
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] count = {0};
            cuDeviceGetCount(count);
            if (count[0] <= ordinal) {
                throw new CudaUnavailableException(count[0] == 0 ? "the driver sees no CUDA device"
                        : "there is no CUDA device " + ordinal + " (" + count[0] + " found)");
            }
            CUdevice device = new CUdevice();
            cuDeviceGet(device, ordinal);
            CUcontext context = new CUcontext();
            cuDevicePrimaryCtxRetain(context, device);
            try {
                cuCtxSetCurrent(context);
                CUmodule module = new CUmodule();
                cuModuleLoadData(module, ptx("sgemm.ptx"));
                CUfunction sgemm = new CUfunction();
                cuModuleGetFunction(sgemm, module, "sgemm_strided");
                return new CudaDevice(device, context, module, sgemm, describe(device, ordinal));
            } catch (RuntimeException e) {
                // a driver that refuses the kernels must not keep the context (and its memory) for the JVM's life
                cuDevicePrimaryCtxRelease(device);
                throw e;
            }
        } catch (LinkageError e) {
            throw new CudaUnavailableException(driverMissing(e), String.valueOf(e.getMessage()).contains("libcuda.so"));
        } catch (CudaException e) {
            throw new CudaUnavailableException("the CUDA driver refused: " + e.getMessage());
        }
    }

    /** JCuda's message holds two stack traces; the reason is the loader's last complaint. */
    private static String driverMissing(LinkageError e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("libcuda.so")) {
            return "no NVIDIA driver (libcuda.so.1) was found";
        }
        String reason = message.lines().filter(l -> l.startsWith("java.lang.UnsatisfiedLinkError"))
                .reduce((first, last) -> last).orElse(message.lines().findFirst().orElse(message));
        return "JCuda's driver library could not be loaded: " + reason;
    }

    private static byte[] ptx(String name) {
        try (InputStream in = CudaDevice.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("kernel " + name + " is missing from the bundle");
            }
            byte[] text = in.readAllBytes();
            byte[] terminated = new byte[text.length + 1];   // the driver reads a C string
            System.arraycopy(text, 0, terminated, 0, text.length);
            return terminated;
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel " + name, e);
        }
    }

    private static String describe(CUdevice device, int ordinal) {
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, device);
        int[] major = {0}, minor = {0};
        cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        long[] bytes = {0};
        cuDeviceTotalMem(bytes, device);
        String text = new String(name, StandardCharsets.US_ASCII);
        int end = text.indexOf('\0');
        return "device " + ordinal + ": " + (end < 0 ? text : text.substring(0, end)) + ", compute capability "
                + major[0] + "." + minor[0] + ", " + (bytes[0] >> 30) + " GiB";
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * Runs a {@link GemmPlan} over host arrays: copies each operand's values in, launches, and
     * copies {@code c} back. Offsets in the plan count from {@code aOffset}, {@code bOffset} and
     * {@code cOffset}. Returns false, having done nothing, once the device is closed.
     *
     * @throws jcuda.CudaException when the driver fails (out of memory, a launch error)
     */
    @Override
    public synchronized boolean gemm(List<Launch> plan, float[] a, int aOffset, int aSize, float[] b, int bOffset,
                                     int bSize, float[] c, int cOffset, int cSize) {
        if (closed) {
            return false;
        }
        cuCtxSetCurrent(context);
        CUdeviceptr da = bufA.upload(a, aOffset, aSize);
        CUdeviceptr db = bufB.upload(b, bOffset, bSize);
        CUdeviceptr dc = plan.stream().anyMatch(l -> l.beta() != 0f)
                ? bufC.upload(c, cOffset, cSize) : bufC.reserve(cSize);
        for (Launch l : plan) {
            launch(l, da, db, dc);
        }
        cuCtxSynchronize();
        cuMemcpyDtoH(Pointer.to(c).withByteOffset(4L * cOffset), dc, 4L * cSize);
        return true;
    }

    /** Columns and batch are limited to 65,535 blocks of the grid. */
    @Override
    public boolean fits(List<Launch> plan) {
        for (Launch l : plan) {
            if ((l.n() + TILE - 1) / TILE > MAX_GRID_YZ || l.batch() > MAX_GRID_YZ) {
                return false;
            }
        }
        return true;
    }

    private void launch(Launch l, CUdeviceptr a, CUdeviceptr b, CUdeviceptr c) {
        int rowTiles = (l.m() + TILE - 1) / TILE, colTiles = (l.n() + TILE - 1) / TILE;
        Pointer params = Pointer.to(
                Pointer.to(new int[] {l.m()}), Pointer.to(new int[] {l.n()}), Pointer.to(new int[] {l.k()}),
                Pointer.to(a.withByteOffset(4L * l.aOffset())), Pointer.to(new long[] {l.aBatch()}),
                Pointer.to(new int[] {l.aRow()}), Pointer.to(new int[] {l.aCol()}),
                Pointer.to(b.withByteOffset(4L * l.bOffset())), Pointer.to(new long[] {l.bBatch()}),
                Pointer.to(new int[] {l.bRow()}), Pointer.to(new int[] {l.bCol()}),
                Pointer.to(c.withByteOffset(4L * l.cOffset())), Pointer.to(new long[] {l.cBatch()}),
                Pointer.to(new int[] {l.ldc()}), Pointer.to(new float[] {l.beta()}));
        cuLaunchKernel(sgemm, rowTiles, colTiles, l.batch(), THREADS, 1, 1, 0, null, params, null);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cuCtxSetCurrent(context);
            bufA.free();
            bufB.free();
            bufC.free();
            cuModuleUnload(module);
        } finally {
            cuDevicePrimaryCtxRelease(device);
        }
    }

    /** A device allocation that grows to the largest operand seen and is then reused. */
    private static final class Buffer {
        private CUdeviceptr ptr;
        private long bytes;

        CUdeviceptr reserve(int floats) {
            long need = Math.max(4L, 4L * floats);
            if (need > bytes) {
                free();
                CUdeviceptr fresh = new CUdeviceptr();
                cuMemAlloc(fresh, need);
                ptr = fresh;
                bytes = need;
            }
            return ptr;
        }

        CUdeviceptr upload(float[] host, int offset, int floats) {
            CUdeviceptr p = reserve(floats);
            cuMemcpyHtoD(p, Pointer.to(host).withByteOffset(4L * offset), 4L * floats);
            return p;
        }

        void free() {
            if (ptr != null) {
                cuMemFree(ptr);
                ptr = null;
                bytes = 0;
            }
        }
    }
}
