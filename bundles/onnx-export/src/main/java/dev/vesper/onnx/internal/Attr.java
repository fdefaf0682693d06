package dev.vesper.onnx.internal;

/** A node attribute (AttributeProto) of one of the three kinds the exported graph uses. */
final class Attr {
    private final ProtoWriter proto;

    private Attr(ProtoWriter proto) {
        this.proto = proto;
    }

    static Attr i(String name, long value) {
        return new Attr(new ProtoWriter().string(Onnx.ATTR_NAME, name)
                .int64(Onnx.ATTR_TYPE, Onnx.ATTR_TYPE_INT).int64(Onnx.ATTR_I, value));
    }

    static Attr f(String name, float value) {
        return new Attr(new ProtoWriter().string(Onnx.ATTR_NAME, name)
                .int64(Onnx.ATTR_TYPE, Onnx.ATTR_TYPE_FLOAT).float32(Onnx.ATTR_F, value));
    }

    static Attr ints(String name, long... values) {
        return new Attr(new ProtoWriter().string(Onnx.ATTR_NAME, name)
                .int64(Onnx.ATTR_TYPE, Onnx.ATTR_TYPE_INTS).packedInt64(Onnx.ATTR_INTS, values));
    }

    ProtoWriter proto() {
        return proto;
    }
}
