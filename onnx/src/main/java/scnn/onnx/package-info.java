/**
 * QONNX / ONNX import and export of quantized MLPs ({@code ./scnn import}, {@code ./scnn export}):
 * {@link scnn.onnx.OnnxImporter} maps a graph of {@code Quant}/{@code BipolarQuant} (QONNX) or
 * {@code QuantizeLinear}/{@code DequantizeLinear} (standard ONNX) quantizers, {@code MatMul}/{@code Gemm},
 * {@code Add}, {@code Mul}/{@code Div}, {@code Relu}/{@code Clip}/{@code Identity},
 * {@code Flatten}/{@code Reshape} onto a {@link scnn.core.weights.Network} exactly, or refuses it
 * with one line naming the node and the reason; {@link scnn.onnx.OnnxExporter} writes a network
 * as a QONNX model that imports back to the same network. The ONNX classes ({@code scnn.onnx.proto})
 * are generated at build time by protoc from {@code src/main/proto/onnx-subset.proto}.
 */
package scnn.onnx;
