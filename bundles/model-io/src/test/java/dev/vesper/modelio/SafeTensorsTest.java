package dev.vesper.modelio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.TensorFile;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    private final SafeTensors st = new SafeTensors();

    @TempDir
    Path dir;

    static Path shared() {
        String s = System.getProperty("vesper.shared");
        if (s == null || !Files.isDirectory(Paths.get(s, "golden"))) {
            throw new AssertionError("the shared folder with golden vectors is missing (system property vesper.shared = "
                    + s + "); these tests need ../shared beside the project");
        }
        return Paths.get(s);
    }

    @Test
    void readsEveryGoldenFile() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(shared().resolve("golden"))) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() >= 8, "expected the golden model and optimizer cases, found " + files);
        for (Path f : files) {
            TensorFile t = st.read(f);
            assertFalse(t.floats().isEmpty(), f.toString());
            if (f.getFileName().toString().startsWith("model-")) {
                assertTrue(t.metadata().get("vesper.config").contains("\"layers\""), f.toString());
                IntTensor ids = t.ints().get("input.ids");
                Tensor logits = t.tensor("expected.logits");
                assertEquals(ids.dim(0), logits.dim(0));
                assertEquals(ids.dim(1), logits.dim(1));
            }
        }
    }

    @Test
    void roundTripKeepsValuesShapesMetadataAndOrder() throws IOException {
        Map<String, Tensor> floats = new LinkedHashMap<>();
        floats.put("b", Tensor.wrap(new float[] {1f, -2.5f, Float.MIN_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 3e38f}, new int[] {2, 3}));
        floats.put("a", Tensor.wrap(new float[] {7f}, new int[] {1}));
        floats.put("empty", Tensor.zeros(0, 4));
        Tensor slice = Tensor.wrap(new float[] {9, 8, 7, 6, 5}, 2, new int[] {3});
        floats.put("slice", slice);
        Map<String, IntTensor> ints = Map.of("ids", IntTensor.wrap(new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}, 2, 2));
        Path f = dir.resolve("x.safetensors");
        st.write(f, new TensorFile(floats, ints, Map.of("k", "v ü")));
        TensorFile back = st.read(f);
        assertEquals(List.of("b", "a", "empty", "slice"), List.copyOf(back.floats().keySet()));
        assertArrayEquals(floats.get("b").toArray(), back.tensor("b").toArray());
        assertArrayEquals(new int[] {2, 3}, back.tensor("b").shape());
        assertArrayEquals(new int[] {0, 4}, back.tensor("empty").shape());
        assertArrayEquals(new float[] {7, 6, 5}, back.tensor("slice").toArray());
        assertArrayEquals(ints.get("ids").data(), back.ints().get("ids").data());
        assertEquals("v ü", back.metadata().get("k"));
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "data section starts 8-byte aligned");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void widensHalfAndBfloatAndNarrowsInt32() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(6 * 2 + 2 * 2 + 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (short h : new short[] {0x3c00, (short) 0xc000, 0x0001, 0x7c00, 0x3555, 0x0000}) {
            data.putShort(h);
        }
        data.putShort((short) 0x3f80).putShort((short) 0xc040);
        data.putInt(5).putInt(-6);
        Path f = raw("{\"h\":{\"dtype\":\"F16\",\"shape\":[6],\"data_offsets\":[0,12]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[12,16]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[16,24]}}", data.array());
        TensorFile t = st.read(f);
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY, 0.33325195f, 0f}, t.tensor("h").toArray());
        assertArrayEquals(new float[] {1f, -3f}, t.tensor("b").toArray());
        assertArrayEquals(new int[] {5, -6}, t.ints().get("i").data());
    }

    @Test
    void rejectsHeaderLengthOverTheLimitWithoutAllocatingIt() throws IOException {
        Path f = dir.resolve("big.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200L * 1024 * 1024);
        Files.write(f, b.array());
        assertMessage(f, "exceeds the limit", null);
        b.clear();
        b.putLong(-1L);
        Files.write(f, b.array());
        assertMessage(f, "exceeds the limit", null);
        // the limit is 100 MB in decimal megabytes: one byte more is over it, the limit itself is not
        b.clear();
        b.putLong(100_000_001L);
        Files.write(f, b.array());
        assertMessage(f, "declared length 100000001 exceeds the limit of 100000000 bytes", null);
        b.clear();
        b.putLong(100_000_000L);
        Files.write(f, b.array());
        assertMessage(f, "runs past the end", null);
    }

    @Test
    void rejectsHeaderLengthPastTheEndAndTinyFiles() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertMessage(f, "runs past the end", null);
        Files.write(f, new byte[3]);
        assertMessage(f, "fewer than the 8-byte", null);
    }

    @Test
    void rejectsBadOffsets() throws IOException {
        assertMessage(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]), "overlap", "b");
        assertMessage(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4]), "run past", "a");
        assertMessage(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "data bytes 0 to 4 belong to no tensor (is a tensor missing from the header?)", "a");
        assertMessage(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8]), "belongs to no tensor", null);
        assertMessage(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", new byte[8]), "ascending", "a");
        assertMessage(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", new byte[0]), "ascending", "a");
    }

    @Test
    void rejectsShapeDtypeSizeMismatchAndHugeShapes() throws IOException {
        assertMessage(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]), "needs 12 bytes", "w");
        assertMessage(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],\"data_offsets\":[0,8]}}", new byte[8]),
                "more than 2^31-1", "w");
        assertMessage(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,16384],\"data_offsets\":[0,4294967296]}}", new byte[8]),
                "run past", "w");
        assertMessage(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", new byte[0]), "non-negative", "w");
        assertMessage(raw("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]), "unsupported dtype", "w");
        assertMessage(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[0]), "data_offsets", "w");
        assertMessage(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", new byte[4]), "unknown header field", "w");
    }

    @Test
    void rejectsDuplicateNamesAndBrokenJson() throws IOException {
        assertMessage(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "Duplicate field", "w");
        assertMessage(raw("{\"w\":", new byte[0]), "not valid JSON", null);
        assertMessage(raw("[1,2]", new byte[0]), "expected a JSON object", null);
        assertMessage(raw("{\"__metadata__\":{\"a\":1}}", new byte[0]), "not a string", null);
        assertMessage(raw("{\"__metadata__\":{\"a\":\"x", new byte[0]), "header: __metadata__: not valid JSON", null);
    }

    @Test
    void rejectsOversizedStructuresAndTrailingContent() throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            dims.append(i == 0 ? "" : ",").append(1);
        }
        assertMessage(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + dims + "],\"data_offsets\":[0,4]}}", new byte[4]),
                "more than 8 dimensions", "w");
        assertMessage(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999999]}}",
                new byte[4]), "out of range", "w");
        assertMessage(raw("{} {}", new byte[0]), "after the JSON object", null);
    }

    /** Hundreds of corrupted variants of a valid file: each is read or refused with an IOException, nothing else. */
    @Test
    void corruptedFilesFailCleanly() throws IOException {
        Map<String, Tensor> floats = new LinkedHashMap<>();
        floats.put("a", Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}));
        floats.put("b", Tensor.wrap(new float[] {7}, new int[] {1}));
        Path good = dir.resolve("good.safetensors");
        st.write(good, new TensorFile(floats, Map.of("ids", IntTensor.wrap(new int[] {1, 2}, 2)), Map.of("k", "v")));
        byte[] bytes = Files.readAllBytes(good);
        java.util.Random r = new java.util.Random(42);
        Path bad = dir.resolve("bad.safetensors");
        int refused = 0;
        for (int trial = 0; trial < 500; trial++) {
            byte[] b = bytes.clone();
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits; e++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            if (trial % 10 == 0) {
                b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            }
            Files.write(bad, b);
            try {
                st.read(bad);
            } catch (IOException expected) {
                assertTrue(expected.getMessage().contains(bad.toString()), expected.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 150, "most corruptions are caught: " + refused);
    }

    @Test
    void rejectsInt64OutOfRange() throws IOException {
        byte[] data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(1L << 40).array();
        assertMessage(raw("{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", data), "does not fit", "ids");
    }

    @Test
    void refusedWriteLeavesTheExistingFileAlone() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        st.write(f, TensorFile.of(Map.of("a", Tensor.wrap(new float[] {1}, new int[] {1})), Map.of()));
        byte[] before = Files.readAllBytes(f);
        TensorFile clash = new TensorFile(Map.of("a", Tensor.zeros(1)), Map.of("a", IntTensor.zeros(1)), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> st.write(f, clash));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("duplicate"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    private Path raw(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private void assertMessage(Path f, String fragment, String tensor) {
        IOException e = assertThrows(IOException.class, () -> st.read(f));
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()), "names the file: " + m);
        assertTrue(m.contains(fragment), "says '" + fragment + "': " + m);
        if (tensor != null) {
            assertTrue(m.contains("'" + tensor + "'"), "names tensor " + tensor + ": " + m);
        }
    }
}
