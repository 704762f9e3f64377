/**
 * The whole of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, IR version 11) as a
 * protobufjs reflection root, for READING real models and writing them back without loss: protobufjs
 * drops fields its schema does not name, so every message and field is here, with the real field
 * numbers. Repeated scalars are packed exactly where onnx.proto says `[packed = true]` (proto2 expands
 * the others), so re-encoded tensors look like the ones the onnx library writes.
 *
 * The project's writer keeps its own small subset (src/models/onnx/schema.ts); this one is the reader.
 */
import protobuf from 'protobufjs';

type Fields = Record<string, protobuf.IField & { rule?: string }>;

const packed = { packed: true };
const expanded = { packed: false };
const repeated = (type: string, id: number, options?: Record<string, boolean>) =>
  ({ rule: 'repeated', type, id, ...(options ? { options } : {}) }) as const;
const one = (type: string, id: number) => ({ type, id });

const attributeProto: Fields = {
  name: one('string', 1),
  refAttrName: one('string', 21),
  docString: one('string', 13),
  type: one('AttributeType', 20),
  f: one('float', 2),
  i: one('int64', 3),
  s: one('bytes', 4),
  t: one('TensorProto', 5),
  g: one('GraphProto', 6),
  sparseTensor: one('SparseTensorProto', 22),
  tp: one('TypeProto', 14),
  floats: repeated('float', 7, expanded),
  ints: repeated('int64', 8, expanded),
  strings: repeated('bytes', 9),
  tensors: repeated('TensorProto', 10),
  graphs: repeated('GraphProto', 11),
  sparseTensors: repeated('SparseTensorProto', 23),
  typeProtos: repeated('TypeProto', 15),
};

const tensorProto: Fields = {
  dims: repeated('int64', 1, expanded),
  dataType: one('int32', 2),
  segment: one('Segment', 3),
  floatData: repeated('float', 4, packed),
  int32Data: repeated('int32', 5, packed),
  stringData: repeated('bytes', 6),
  int64Data: repeated('int64', 7, packed),
  name: one('string', 8),
  docString: one('string', 12),
  rawData: one('bytes', 9),
  externalData: repeated('StringStringEntryProto', 13),
  dataLocation: one('DataLocation', 14),
  doubleData: repeated('double', 10, packed),
  uint64Data: repeated('uint64', 11, packed),
  metadataProps: repeated('StringStringEntryProto', 16),
};

const onnxJson: protobuf.INamespace = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: attributeProto,
          nested: {
            AttributeType: {
              values: {
                UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, SPARSE_TENSOR: 11, TYPE_PROTO: 13,
                FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10, SPARSE_TENSORS: 12, TYPE_PROTOS: 14,
              },
            },
          },
        },
        ValueInfoProto: {
          fields: {
            name: one('string', 1),
            type: one('TypeProto', 2),
            docString: one('string', 3),
            metadataProps: repeated('StringStringEntryProto', 4),
          },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: one('string', 3),
            opType: one('string', 4),
            domain: one('string', 7),
            overload: one('string', 8),
            attribute: repeated('AttributeProto', 5),
            docString: one('string', 6),
            metadataProps: repeated('StringStringEntryProto', 9),
            deviceConfigurations: repeated('NodeDeviceConfigurationProto', 10),
          },
        },
        IntIntListEntryProto: {
          fields: { key: one('int64', 1), value: repeated('int64', 2, expanded) },
        },
        NodeDeviceConfigurationProto: {
          fields: {
            configurationId: one('string', 1),
            shardingSpec: repeated('ShardingSpecProto', 2),
            pipelineStage: one('int32', 3),
          },
        },
        ShardingSpecProto: {
          fields: {
            tensorName: one('string', 1),
            device: repeated('int64', 2, expanded),
            indexToDeviceGroupMap: repeated('IntIntListEntryProto', 3),
            shardedDim: repeated('ShardedDimProto', 4),
          },
        },
        ShardedDimProto: {
          fields: { axis: one('int64', 1), simpleSharding: repeated('SimpleShardedDimProto', 2) },
        },
        SimpleShardedDimProto: {
          oneofs: { dim: { oneof: ['dimValue', 'dimParam'] } },
          fields: { dimValue: one('int64', 1), dimParam: one('string', 2), numShards: one('int64', 3) },
        },
        TrainingInfoProto: {
          fields: {
            initialization: one('GraphProto', 1),
            algorithm: one('GraphProto', 2),
            initializationBinding: repeated('StringStringEntryProto', 3),
            updateBinding: repeated('StringStringEntryProto', 4),
          },
        },
        ModelProto: {
          fields: {
            irVersion: one('int64', 1),
            opsetImport: repeated('OperatorSetIdProto', 8),
            producerName: one('string', 2),
            producerVersion: one('string', 3),
            domain: one('string', 4),
            modelVersion: one('int64', 5),
            docString: one('string', 6),
            graph: one('GraphProto', 7),
            metadataProps: repeated('StringStringEntryProto', 14),
            trainingInfo: repeated('TrainingInfoProto', 20),
            functions: repeated('FunctionProto', 25),
            configuration: repeated('DeviceConfigurationProto', 26),
          },
        },
        DeviceConfigurationProto: {
          fields: { name: one('string', 1), numDevices: one('int32', 2), device: repeated('string', 3) },
        },
        StringStringEntryProto: {
          fields: { key: one('string', 1), value: one('string', 2) },
        },
        TensorAnnotation: {
          fields: {
            tensorName: one('string', 1),
            quantParameterTensorNames: repeated('StringStringEntryProto', 2),
          },
        },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: one('string', 2),
            initializer: repeated('TensorProto', 5),
            sparseInitializer: repeated('SparseTensorProto', 15),
            docString: one('string', 10),
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
            valueInfo: repeated('ValueInfoProto', 13),
            quantizationAnnotation: repeated('TensorAnnotation', 14),
            metadataProps: repeated('StringStringEntryProto', 16),
          },
        },
        TensorProto: {
          fields: tensorProto,
          nested: {
            DataType: {
              values: {
                UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
                FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15, BFLOAT16: 16,
                FLOAT8E4M3FN: 17, FLOAT8E4M3FNUZ: 18, FLOAT8E5M2: 19, FLOAT8E5M2FNUZ: 20, UINT4: 21, INT4: 22,
                FLOAT4E2M1: 23, FLOAT8E8M0: 24,
              },
            },
            Segment: { fields: { begin: one('int64', 1), end: one('int64', 2) } },
            DataLocation: { values: { DEFAULT: 0, EXTERNAL: 1 } },
          },
        },
        SparseTensorProto: {
          fields: { values: one('TensorProto', 1), indices: one('TensorProto', 2), dims: repeated('int64', 3, expanded) },
        },
        TensorShapeProto: {
          fields: { dim: repeated('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: one('int64', 1), dimParam: one('string', 2), denotation: one('string', 3) },
            },
          },
        },
        TypeProto: {
          oneofs: {
            value: { oneof: ['tensorType', 'sequenceType', 'mapType', 'optionalType', 'sparseTensorType', 'opaqueType'] },
          },
          fields: {
            tensorType: one('Tensor', 1),
            sequenceType: one('Sequence', 4),
            mapType: one('Map', 5),
            optionalType: one('Optional', 9),
            sparseTensorType: one('SparseTensor', 8),
            opaqueType: one('Opaque', 7),
            denotation: one('string', 6),
          },
          nested: {
            Tensor: { fields: { elemType: one('int32', 1), shape: one('TensorShapeProto', 2) } },
            Sequence: { fields: { elemType: one('TypeProto', 1) } },
            Map: { fields: { keyType: one('int32', 1), valueType: one('TypeProto', 2) } },
            Optional: { fields: { elemType: one('TypeProto', 1) } },
            SparseTensor: { fields: { elemType: one('int32', 1), shape: one('TensorShapeProto', 2) } },
            Opaque: { fields: { domain: one('string', 1), name: one('string', 2) } },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: one('string', 1), version: one('int64', 2) },
        },
        OperatorStatus: { values: { EXPERIMENTAL: 0, STABLE: 1 } },
        FunctionProto: {
          fields: {
            name: one('string', 1),
            input: repeated('string', 4),
            output: repeated('string', 5),
            attribute: repeated('string', 6),
            attributeProto: repeated('AttributeProto', 11),
            node: repeated('NodeProto', 7),
            docString: one('string', 8),
            opsetImport: repeated('OperatorSetIdProto', 9),
            domain: one('string', 10),
            overload: one('string', 13),
            valueInfo: repeated('ValueInfoProto', 12),
            metadataProps: repeated('StringStringEntryProto', 14),
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(onnxJson);

export const FullModelProto = root.lookupType('onnx.ModelProto');

/** TensorProto.DataType values the quantizer reads or writes. */
export const ElemType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;

/** AttributeProto.AttributeType values the quantizer reads or writes. */
export const AttrType = { FLOAT: 1, INT: 2, GRAPH: 5, GRAPHS: 10 } as const;

/** TensorProto.DataLocation.EXTERNAL: the data lives in another file. */
export const EXTERNAL_LOCATION = 1;

// The parts of the decoded messages the quantizer touches. Decoded messages carry every other field
// too (kept as they came, so encoding them back loses nothing); int64 fields are Long or number.

export type Int64 = number | protobuf.Long;

export interface TensorMsg {
  name?: string;
  dims?: Int64[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: Int64[];
  externalData?: { key?: string; value?: string }[];
  dataLocation?: number;
  segment?: unknown;
}

export interface AttributeMsg {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  ints?: Int64[];
  t?: TensorMsg;
  g?: GraphMsg;
  graphs?: GraphMsg[];
}

export interface NodeMsg {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeMsg[];
}

export interface ValueInfoMsg {
  name?: string;
}

export interface GraphMsg {
  node?: NodeMsg[];
  name?: string;
  initializer?: TensorMsg[];
  sparseInitializer?: { values?: TensorMsg; indices?: TensorMsg }[];
  input?: ValueInfoMsg[];
  output?: ValueInfoMsg[];
  valueInfo?: ValueInfoMsg[];
}

export interface OpsetMsg {
  domain?: string;
  version?: Int64;
}

export interface ModelMsg {
  irVersion?: Int64;
  opsetImport?: OpsetMsg[];
  graph?: GraphMsg;
  functions?: { node?: NodeMsg[] }[];
}

export function decodeModel(bytes: Uint8Array): ModelMsg {
  return FullModelProto.decode(bytes) as unknown as ModelMsg;
}

export function encodeModel(model: ModelMsg): Uint8Array {
  return FullModelProto.encode(model as unknown as protobuf.Message).finish();
}

export function int64ToNumber(value: Int64 | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  return protobuf.util.LongBits.from(value).toNumber(value.unsigned);
}
