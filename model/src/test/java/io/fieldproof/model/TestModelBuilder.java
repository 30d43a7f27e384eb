package io.fieldproof.model;

import com.google.flatbuffers.FlatBufferBuilder;
import io.fieldproof.model.tflite.Activation;
import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.Padding;
import io.fieldproof.model.tflite.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.MetadataT;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.PackOptionsT;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Writes small TFLite flatbuffers for tests with the generated schema's object API: tensors,
 * constants, operators with options, one subgraph (or a chosen number of copies of it).
 */
public final class TestModelBuilder {

  private final List<TensorT> tensors = new ArrayList<>();
  private final List<BufferT> buffers = new ArrayList<>();
  private final List<OperatorCodeT> codes = new ArrayList<>();
  private final List<OperatorT> operators = new ArrayList<>();
  private final List<MetadataT> metadata = new ArrayList<>();
  private int[] inputs = new int[0];
  private int[] outputs = new int[0];
  private long version = 3;
  private int subgraphCopies = 1;

  public TestModelBuilder() {
    buffers.add(new BufferT());
  }

  /** A non-constant tensor with per-tensor quantization (none when {@code scale} is 0). */
  public int tensor(String name, TensorType type, int[] shape, float scale, int zeroPoint) {
    TensorT t = new TensorT();
    t.setName(name);
    t.setType((byte) type.code());
    t.setShape(shape);
    t.setBuffer(0);
    if (scale != 0f) {
      t.setQuantization(quantization(new float[] {scale}, new long[] {zeroPoint}, 0));
    }
    tensors.add(t);
    return tensors.size() - 1;
  }

  /** An int8 activation tensor. */
  public int int8(String name, int[] shape, float scale, int zeroPoint) {
    return tensor(name, TensorType.INT8, shape, scale, zeroPoint);
  }

  /** A float32 activation tensor. */
  public int float32(String name, int[] shape) {
    return tensor(name, TensorType.FLOAT32, shape, 0f, 0);
  }

  /** A constant int8 tensor with per-tensor quantization. */
  public int constantInt8(String name, int[] shape, byte[] values, float scale, int zeroPoint) {
    return constantInt8(name, shape, values, new float[] {scale}, new long[] {zeroPoint}, 0);
  }

  /** A constant int8 tensor with per-channel quantization along {@code dimension}. */
  public int constantInt8(
      String name, int[] shape, byte[] values, float[] scales, long[] zeroPoints, int dimension) {
    int index = tensor(name, TensorType.INT8, shape, 0f, 0);
    tensors.get(index).setQuantization(quantization(scales, zeroPoints, dimension));
    tensors.get(index).setBuffer(buffer(values));
    return index;
  }

  /** A constant int32 tensor (a bias) with the given scale. */
  public int constantInt32(String name, int[] shape, int[] values, float scale) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      bytes.putInt(v);
    }
    int index = tensor(name, TensorType.INT32, shape, scale, 0);
    tensors.get(index).setBuffer(buffer(bytes.array()));
    return index;
  }

  /** A constant float32 tensor. */
  public int constantFloat32(String name, int[] shape, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putFloat(v);
    }
    int index = float32(name, shape);
    tensors.get(index).setBuffer(buffer(bytes.array()));
    return index;
  }

  /** Sets a tensor's shape signature (-1 marks a dynamic dimension). */
  public TestModelBuilder shapeSignature(int tensor, int... signature) {
    tensors.get(tensor).setShapeSignature(signature);
    return this;
  }

  /** Adds an operator with the builtin code in both code fields and the given options. */
  public TestModelBuilder operator(
      BuiltinOperator op, BuiltinOptionsUnion options, int[] opInputs, int[] opOutputs) {
    return operator(Math.min(op.code(), 127), op.code(), null, options, opInputs, opOutputs);
  }

  /**
   * Adds an operator with raw operator code fields.
   *
   * @param deprecatedCode the deprecated_builtin_code byte
   * @param builtinCode the builtin_code field
   * @param customCode the custom code, or null
   */
  public TestModelBuilder operator(
      int deprecatedCode,
      int builtinCode,
      String customCode,
      BuiltinOptionsUnion options,
      int[] opInputs,
      int[] opOutputs) {
    OperatorCodeT code = new OperatorCodeT();
    code.setDeprecatedBuiltinCode((byte) deprecatedCode);
    code.setBuiltinCode(builtinCode);
    code.setVersion(1);
    if (customCode != null) {
      code.setCustomCode(customCode);
    }
    codes.add(code);
    OperatorT operator = new OperatorT();
    operator.setOpcodeIndex(codes.size() - 1);
    operator.setInputs(opInputs);
    operator.setOutputs(opOutputs);
    if (options != null) {
      operator.setBuiltinOptions(options);
    }
    operators.add(operator);
    return this;
  }

  /** Adds a metadata entry whose buffer holds {@code values} as little-endian int32. */
  public TestModelBuilder metadata(String name, int... values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      bytes.putInt(v);
    }
    MetadataT entry = new MetadataT();
    entry.setName(name);
    entry.setBuffer(buffer(bytes.array()));
    metadata.add(entry);
    return this;
  }

  /** Sets the model inputs. */
  public TestModelBuilder inputs(int... tensorIndices) {
    this.inputs = tensorIndices;
    return this;
  }

  /** Sets the model outputs. */
  public TestModelBuilder outputs(int... tensorIndices) {
    this.outputs = tensorIndices;
    return this;
  }

  /** Sets the schema version (3 unless told otherwise). */
  public TestModelBuilder version(long schemaVersion) {
    this.version = schemaVersion;
    return this;
  }

  /** Writes the subgraph this many times (0 for a model without subgraphs). */
  public TestModelBuilder subgraphCopies(int copies) {
    this.subgraphCopies = copies;
    return this;
  }

  /** The flatbuffer with file identifier "TFL3". */
  public byte[] build() {
    SubGraphT subgraph = new SubGraphT();
    subgraph.setTensors(tensors.toArray(TensorT[]::new));
    subgraph.setInputs(inputs);
    subgraph.setOutputs(outputs);
    subgraph.setOperators(operators.toArray(OperatorT[]::new));
    subgraph.setName("main");
    SubGraphT[] subgraphs = new SubGraphT[subgraphCopies];
    java.util.Arrays.fill(subgraphs, subgraph);
    ModelT model = new ModelT();
    model.setVersion(version);
    model.setDescription("test model");
    model.setOperatorCodes(codes.toArray(OperatorCodeT[]::new));
    model.setSubgraphs(subgraphs);
    model.setBuffers(buffers.toArray(BufferT[]::new));
    model.setMetadata(metadata.toArray(MetadataT[]::new));
    FlatBufferBuilder builder = new FlatBufferBuilder(1024);
    Model.finishModelBuffer(builder, Model.pack(builder, model));
    return builder.sizedByteArray();
  }

  private long buffer(byte[] data) {
    int[] unsigned = new int[data.length];
    for (int i = 0; i < data.length; i++) {
      unsigned[i] = data[i] & 0xff;
    }
    BufferT buffer = new BufferT();
    buffer.setData(unsigned);
    buffers.add(buffer);
    return buffers.size() - 1;
  }

  private static QuantizationParametersT quantization(
      float[] scales, long[] zeroPoints, int dimension) {
    QuantizationParametersT q = new QuantizationParametersT();
    q.setScale(scales);
    q.setZeroPoint(zeroPoints);
    q.setQuantizedDimension(dimension);
    return q;
  }

  /** CONV_2D options. */
  public static BuiltinOptionsUnion conv(
      Padding padding, int stride, int dilation, Activation activation) {
    Conv2DOptionsT o = new Conv2DOptionsT();
    o.setPadding((byte) padding.ordinal());
    o.setStrideW(stride);
    o.setStrideH(stride);
    o.setDilationWFactor(dilation);
    o.setDilationHFactor(dilation);
    o.setFusedActivationFunction((byte) activation.ordinal());
    return union(BuiltinOptions.Conv2DOptions, o);
  }

  /** DEPTHWISE_CONV_2D options. */
  public static BuiltinOptionsUnion depthwise(
      Padding padding, int stride, int depthMultiplier, Activation activation) {
    DepthwiseConv2DOptionsT o = new DepthwiseConv2DOptionsT();
    o.setPadding((byte) padding.ordinal());
    o.setStrideW(stride);
    o.setStrideH(stride);
    o.setDepthMultiplier(depthMultiplier);
    o.setDilationWFactor(1);
    o.setDilationHFactor(1);
    o.setFusedActivationFunction((byte) activation.ordinal());
    return union(BuiltinOptions.DepthwiseConv2DOptions, o);
  }

  /** AVERAGE_POOL_2D / MAX_POOL_2D options. */
  public static BuiltinOptionsUnion pool(
      Padding padding, int stride, int filter, Activation activation) {
    Pool2DOptionsT o = new Pool2DOptionsT();
    o.setPadding((byte) padding.ordinal());
    o.setStrideW(stride);
    o.setStrideH(stride);
    o.setFilterWidth(filter);
    o.setFilterHeight(filter);
    o.setFusedActivationFunction((byte) activation.ordinal());
    return union(BuiltinOptions.Pool2DOptions, o);
  }

  /** FULLY_CONNECTED options. */
  public static BuiltinOptionsUnion fullyConnected(Activation activation) {
    FullyConnectedOptionsT o = new FullyConnectedOptionsT();
    o.setFusedActivationFunction((byte) activation.ordinal());
    return union(BuiltinOptions.FullyConnectedOptions, o);
  }

  /** SOFTMAX options. */
  public static BuiltinOptionsUnion softmax(float beta) {
    SoftmaxOptionsT o = new SoftmaxOptionsT();
    o.setBeta(beta);
    return union(BuiltinOptions.SoftmaxOptions, o);
  }

  /** ADD options. */
  public static BuiltinOptionsUnion add(Activation activation) {
    AddOptionsT o = new AddOptionsT();
    o.setFusedActivationFunction((byte) activation.ordinal());
    return union(BuiltinOptions.AddOptions, o);
  }

  /** RESHAPE options. */
  public static BuiltinOptionsUnion reshape(int... newShape) {
    ReshapeOptionsT o = new ReshapeOptionsT();
    o.setNewShape(newShape);
    return union(BuiltinOptions.ReshapeOptions, o);
  }

  /** STRIDED_SLICE options. */
  public static BuiltinOptionsUnion stridedSlice(
      int beginMask, int endMask, int shrinkAxisMask, boolean offset) {
    StridedSliceOptionsT o = new StridedSliceOptionsT();
    o.setBeginMask(beginMask);
    o.setEndMask(endMask);
    o.setShrinkAxisMask(shrinkAxisMask);
    o.setOffset(offset);
    return union(BuiltinOptions.StridedSliceOptions, o);
  }

  /** PACK options. */
  public static BuiltinOptionsUnion pack(int valuesCount, int axis) {
    PackOptionsT o = new PackOptionsT();
    o.setValuesCount(valuesCount);
    o.setAxis(axis);
    return union(BuiltinOptions.PackOptions, o);
  }

  /** CONCATENATION options. */
  public static BuiltinOptionsUnion concatenation(int axis, Activation activation) {
    ConcatenationOptionsT o = new ConcatenationOptionsT();
    o.setAxis(axis);
    o.setFusedActivationFunction((byte) activation.ordinal());
    return union(BuiltinOptions.ConcatenationOptions, o);
  }

  /** MUL options. */
  public static BuiltinOptionsUnion mul(Activation activation) {
    MulOptionsT o = new MulOptionsT();
    o.setFusedActivationFunction((byte) activation.ordinal());
    return union(BuiltinOptions.MulOptions, o);
  }

  /** MEAN (reducer) options. */
  public static BuiltinOptionsUnion reducer(boolean keepDims) {
    ReducerOptionsT o = new ReducerOptionsT();
    o.setKeepDims(keepDims);
    return union(BuiltinOptions.ReducerOptions, o);
  }

  private static BuiltinOptionsUnion union(byte type, Object value) {
    BuiltinOptionsUnion union = new BuiltinOptionsUnion();
    union.setType(type);
    union.setValue(value);
    return union;
  }
}
