package dev.vesper.modelio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.vesper.api.tensor.Shapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a SafeTensors JSON header as a stream, without building a tree, so that its memory stays
 * proportional to the number of tensors and never to what a hostile header claims. Duplicate
 * names, unknown fields, bad types and inconsistent sizes are errors naming the file and tensor.
 */
final class HeaderParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final int MAX_RANK = 8;

    private HeaderParser() {
    }

    /** One header entry, checked on its own: dtype known, shape sane, byte size equal to the offsets' span. */
    static final class Entry {
        final String name;
        final SafeTensors.DType dtype;
        final int[] shape;
        final int count;
        final long begin;
        final long end;

        Entry(String name, SafeTensors.DType dtype, int[] shape, int count, long begin, long end) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.count = count;
            this.begin = begin;
            this.end = end;
        }

        String where(Path file) {
            return file + ": tensor '" + name + "': ";
        }
    }

    static void parse(Path file, byte[] header, List<Entry> entries, Map<String, String> metadata) throws IOException {
        String current = null;
        try (JsonParser p = JSON.createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": header: expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                current = p.currentName();
                p.nextToken();
                if (current.equals(SafeTensors.METADATA)) {
                    metadata(file, p, metadata);
                } else {
                    entries.add(entry(file, current, p));
                }
                current = null;
            }
            if (p.nextToken() != null) {
                throw new IOException(file + ": header: unexpected content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            String where = current == null ? "header: "
                    : current.equals(SafeTensors.METADATA) ? "header: " + SafeTensors.METADATA + ": " : "tensor '" + current + "': ";
            throw new IOException(file + ": " + where + "not valid JSON (" + JsonErrors.describe(e) + ")", e);
        }
    }

    private static void metadata(Path file, JsonParser p, Map<String, String> out) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException(file + ": header: " + SafeTensors.METADATA + " must be an object of strings");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new IOException(file + ": header: " + SafeTensors.METADATA + " value '" + key + "' is not a string");
            }
            out.put(key, p.getText());
        }
    }

    private static Entry entry(Path file, String name, JsonParser p) throws IOException {
        String at = file + ": tensor '" + name + "': ";
        if (name.isEmpty()) {
            throw new IOException(at + "empty tensor name");
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException(at + "header entry is not an object");
        }
        SafeTensors.DType dtype = null;
        int[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dtype" -> dtype = dtype(at, p, value);
                case "shape" -> shape = shape(at, p, value);
                case "data_offsets" -> offsets = offsets(at, p, value);
                default -> throw new IOException(at + "unknown header field '" + field + "'");
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new IOException(at + "needs 'dtype', 'shape' and 'data_offsets'");
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new IOException(at + "shape " + Shapes.format(shape) + " has more than 2^31-1 elements");
            }
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin) {
            throw new IOException(at + "data_offsets [" + begin + ", " + end + "] are not an ascending range");
        }
        if (end - begin != count * dtype.bytes) {
            throw new IOException(at + "shape " + Shapes.format(shape) + " of " + dtype + " needs "
                    + count * dtype.bytes + " bytes, data_offsets span " + (end - begin));
        }
        return new Entry(name, dtype, shape, (int) count, begin, end);
    }

    private static SafeTensors.DType dtype(String at, JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new IOException(at + "'dtype' must be a string");
        }
        String text = p.getText();
        try {
            return SafeTensors.DType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(at + "unsupported dtype '" + text + "' (expected F32, F16, BF16, I64 or I32)");
        }
    }

    private static int[] shape(String at, JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IOException(at + "'shape' must be an array");
        }
        int[] dims = new int[MAX_RANK];
        int rank = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (rank == MAX_RANK) {
                throw new IOException(at + "'shape' has more than " + MAX_RANK + " dimensions");
            }
            long d = integer(at, p, "shape dimension " + rank);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new IOException(at + "shape dimension " + rank + " is not a non-negative int: " + d);
            }
            dims[rank++] = (int) d;
        }
        return java.util.Arrays.copyOf(dims, rank);
    }

    private static long[] offsets(String at, JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IOException(at + "'data_offsets' must be two integers");
        }
        long[] o = new long[2];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == 2) {
                throw new IOException(at + "'data_offsets' must be two integers");
            }
            o[n] = integer(at, p, "data_offsets[" + n + "]");
            n++;
        }
        if (n != 2) {
            throw new IOException(at + "'data_offsets' must be two integers");
        }
        return o;
    }

    private static long integer(String at, JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IOException(at + what + " is not an integer: " + p.getText());
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new IOException(at + what + " is out of range: " + p.getText());
        }
        return p.getLongValue();
    }
}
