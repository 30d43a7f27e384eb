package io.fieldproof.model.tflite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A TFLite flatbuffer model as far as this project needs it: the one subgraph's tensors (shapes,
 * types, quantization, constant data), its operators in execution order with their effective
 * builtin codes and options, and its input and output tensors. Immutable.
 *
 * <p>{@link #read(byte[])} accepts only what the devices can run: a "TFL3" file of schema version
 * 3, exactly one subgraph, static shapes, and operators from {@link BuiltinOperator} with the
 * operand counts they take. Whether the model is int8 is a separate question answered by {@link
 * Int8Check}; whether each operator's shapes and quantization can run is checked when an
 * interpreter is built.
 */
public final class TfliteModel {

  /** The file identifier every TFLite flatbuffer carries at bytes 4 to 7. */
  public static final String FILE_IDENTIFIER = "TFL3";

  /** The schema version TFLite Micro accepts. */
  public static final int SCHEMA_VERSION = 3;

  private final int schemaVersion;
  private final String description;
  private final long sizeBytes;
  private final List<Tensor> tensors;
  private final List<Operator> operators;
  private final int[] inputs;
  private final int[] outputs;
  private final int[] offlinePlannedOffsets;

  TfliteModel(
      int schemaVersion,
      String description,
      long sizeBytes,
      List<Tensor> tensors,
      List<Operator> operators,
      int[] inputs,
      int[] outputs,
      int[] offlinePlannedOffsets) {
    this.schemaVersion = schemaVersion;
    this.description = description;
    this.sizeBytes = sizeBytes;
    this.tensors = List.copyOf(tensors);
    this.operators = List.copyOf(operators);
    this.inputs = inputs.clone();
    this.outputs = outputs.clone();
    this.offlinePlannedOffsets = offlinePlannedOffsets.clone();
  }

  /**
   * Reads and validates a model.
   *
   * @param bytes the whole .tflite file
   * @return the model
   * @throws ModelRejectedException with {@link RejectionReason#NOT_TFLITE}, {@link
   *     RejectionReason#CORRUPT}, {@link RejectionReason#UNSUPPORTED_SCHEMA_VERSION}, {@link
   *     RejectionReason#SUBGRAPH_COUNT}, {@link RejectionReason#UNSUPPORTED_OPERATOR}, {@link
   *     RejectionReason#INVALID_GRAPH} (operand counts) or {@link RejectionReason#DYNAMIC_SHAPE}
   */
  public static TfliteModel read(byte[] bytes) {
    return FlatbufferModelReader.read(bytes);
  }

  /** The file format: always {@value #FILE_IDENTIFIER} for a model that was read. */
  public String format() {
    return FILE_IDENTIFIER;
  }

  /** The schema version stored in the file. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /** The model description stored in the file (often the converter's name), or empty. */
  public String description() {
    return description;
  }

  /** Size of the file in bytes: what the model takes in flash. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /** All tensors of the subgraph, by index. */
  public List<Tensor> tensors() {
    return tensors;
  }

  /** Tensor {@code index}. */
  public Tensor tensor(int index) {
    return tensors.get(index);
  }

  /** The operators in execution order. */
  public List<Operator> operators() {
    return operators;
  }

  /** The distinct operators the model uses, in order of first use. */
  public Set<BuiltinOperator> distinctOperators() {
    Set<BuiltinOperator> distinct = new LinkedHashSet<>();
    operators.forEach(op -> distinct.add(op.builtin()));
    return distinct;
  }

  /** Tensor indices of the model inputs. */
  public int[] inputs() {
    return inputs.clone();
  }

  /** Tensor indices of the model outputs. */
  public int[] outputs() {
    return outputs.clone();
  }

  /** The model input tensors, in input order. */
  public List<Tensor> inputTensors() {
    return select(inputs);
  }

  /** The model output tensors, in output order. */
  public List<Tensor> outputTensors() {
    return select(outputs);
  }

  /**
   * Arena offsets from the "OfflineMemoryAllocation" metadata, one per tensor (-1 = plan online),
   * or an empty array when the model has none.
   */
  public int[] offlinePlannedOffsets() {
    return offlinePlannedOffsets.clone();
  }

  private List<Tensor> select(int[] indices) {
    List<Tensor> selected = new ArrayList<>(indices.length);
    for (int index : indices) {
      selected.add(tensors.get(index));
    }
    return List.copyOf(selected);
  }

  @Override
  public String toString() {
    return "TfliteModel[v"
        + schemaVersion
        + ", "
        + sizeBytes
        + " bytes, "
        + tensors.size()
        + " tensors, operators="
        + operators.stream().map(op -> op.builtin().name()).toList()
        + ", inputs="
        + Arrays.toString(inputs)
        + ", outputs="
        + Arrays.toString(outputs)
        + "]";
  }
}
