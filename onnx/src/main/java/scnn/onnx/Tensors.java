package scnn.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import scnn.onnx.proto.Onnx.TensorProto;
import scnn.onnx.proto.Onnx.TensorProto.DataType;

/** Dense ONNX tensors as {@code double} arrays, and back. */
final class Tensors {
    private Tensors() {}

    /** A tensor's shape, values (as doubles, exact for every supported type) and element type. */
    record T(long[] dims, double[] data, int type) {
        long size() {
            return data.length;
        }

        boolean integerType() {
            return type == DataType.INT8_VALUE || type == DataType.UINT8_VALUE || type == DataType.INT16_VALUE
                    || type == DataType.UINT16_VALUE || type == DataType.INT32_VALUE || type == DataType.INT64_VALUE;
        }

        /** True when every value is the same. */
        boolean uniform() {
            for (double d : data) if (Double.compare(d, data[0]) != 0) return false;
            return data.length > 0;
        }

        String shape() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < dims.length; i++) sb.append(i > 0 ? ", " : "").append(dims[i]);
            return sb.append(']').toString();
        }
    }

    /** Elements of a tensor, or a problem (thrown as IllegalArgumentException with the reason). */
    static T read(TensorProto t) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0)
            throw new IllegalArgumentException("tensor '" + t.getName() + "' keeps its data in an external file; scnn reads self-contained models only");
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + t.getName() + "' has a negative dimension");
            n *= d;
            if (n > 1L << 27) throw new IllegalArgumentException("tensor '" + t.getName() + "' is too large (" + n + "+ elements)");
        }
        int type = t.getDataType();
        double[] v = new double[(int) n];
        ByteString raw = t.getRawData();
        boolean hasRaw = !raw.isEmpty();
        switch (type) {
            case DataType.FLOAT_VALUE -> {
                if (hasRaw) {
                    ByteBuffer b = little(raw, n, 4, t);
                    for (int i = 0; i < n; i++) v[i] = b.getFloat();
                } else {
                    count(t.getFloatDataCount(), n, t);
                    for (int i = 0; i < n; i++) v[i] = t.getFloatData(i);
                }
            }
            case DataType.DOUBLE_VALUE -> {
                if (hasRaw) {
                    ByteBuffer b = little(raw, n, 8, t);
                    for (int i = 0; i < n; i++) v[i] = b.getDouble();
                } else {
                    count(t.getDoubleDataCount(), n, t);
                    for (int i = 0; i < n; i++) v[i] = t.getDoubleData(i);
                }
            }
            case DataType.INT8_VALUE, DataType.UINT8_VALUE, DataType.INT16_VALUE, DataType.UINT16_VALUE, DataType.INT32_VALUE -> {
                int w = type == DataType.INT32_VALUE ? 4 : type == DataType.INT16_VALUE || type == DataType.UINT16_VALUE ? 2 : 1;
                if (hasRaw) {
                    ByteBuffer b = little(raw, n, w, t);
                    for (int i = 0; i < n; i++) {
                        v[i] = switch (type) {
                            case DataType.INT8_VALUE -> b.get();
                            case DataType.UINT8_VALUE -> b.get() & 0xff;
                            case DataType.INT16_VALUE -> b.getShort();
                            case DataType.UINT16_VALUE -> b.getShort() & 0xffff;
                            default -> b.getInt();
                        };
                    }
                } else {
                    count(t.getInt32DataCount(), n, t);
                    for (int i = 0; i < n; i++) v[i] = t.getInt32Data(i);
                }
            }
            case DataType.INT64_VALUE -> {
                if (hasRaw) {
                    ByteBuffer b = little(raw, n, 8, t);
                    for (int i = 0; i < n; i++) v[i] = b.getLong();
                } else {
                    count(t.getInt64DataCount(), n, t);
                    for (int i = 0; i < n; i++) v[i] = t.getInt64Data(i);
                }
            }
            default -> throw new IllegalArgumentException("tensor '" + t.getName() + "' has element type " + typeName(type)
                    + "; scnn reads float, double and integer tensors");
        }
        for (double d : v) if (!Double.isFinite(d)) throw new IllegalArgumentException("tensor '" + t.getName() + "' holds a value that is not finite");
        return new T(dims, v, type);
    }

    static String typeName(int type) {
        DataType d = DataType.forNumber(type);
        return d == null ? "#" + type : d.name();
    }

    private static ByteBuffer little(ByteString raw, long n, int width, TensorProto t) {
        if (raw.size() != n * width)
            throw new IllegalArgumentException("tensor '" + t.getName() + "' has " + raw.size() + " bytes of raw data, its shape needs " + n * width);
        return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void count(int have, long n, TensorProto t) {
        if (have != n) throw new IllegalArgumentException("tensor '" + t.getName() + "' has " + have + " values, its shape needs " + n);
    }

    /** A double tensor (raw little-endian data). */
    static TensorProto doubles(String name, long[] dims, double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) b.putDouble(d);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(DataType.DOUBLE_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    /** An int64 tensor. */
    static TensorProto longs(String name, long[] dims, long[] v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(DataType.INT64_VALUE);
        for (long d : dims) t.addDims(d);
        for (long x : v) t.addInt64Data(x);
        return t.build();
    }
}
