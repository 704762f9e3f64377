/**
 * Serializes a GraphBuilder to an .onnx file. Small parts are encoded with protobufjs; initializer
 * raw_data is streamed straight from the typed arrays (each initializer is framed by hand), so a
 * 300 MB decoder never gets copied into one protobuf buffer.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import protobuf from 'protobufjs';
import { attributeProto, tensorBytes, tensorProto, valueInfoProto, type GraphBuilder } from './graph.ts';
import { GraphProto, ModelProto, TensorProto, WireTag } from './schema.ts';

export const OPSET = 17;
/** IR version 8 is the one that goes with opset 17. */
export const IR_VERSION = 8;

export interface ModelInfo {
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
}

type Chunk = Uint8Array;

/** Writes the model to `path` and returns its size in bytes. */
export function writeModel(path: string, graph: GraphBuilder, info: ModelInfo): number {
  const chunks = modelChunks(graph, info);
  const fd = openSync(path, 'w');
  try {
    for (const chunk of chunks) writeAll(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return chunks.reduce((sum, c) => sum + c.byteLength, 0);
}

/** The model's bytes in order; big chunks are views over the initializer arrays. */
export function modelChunks(graph: GraphBuilder, info: ModelInfo): Chunk[] {
  const graphChunks = [graphHead(graph), ...[...graph.initializers].flatMap(([name, t]) => initializerChunks(name, t))];
  const graphLength = graphChunks.reduce((sum, c) => sum + c.byteLength, 0);
  return [modelHead(graph, info), frame(WireTag.graphInModel, graphLength), ...graphChunks];
}

function modelHead(graph: GraphBuilder, info: ModelInfo): Chunk {
  const usesMicrosoft = graph.nodes.some((n) => n.domain === 'com.microsoft');
  const opsetImport = [{ domain: '', version: OPSET }, ...(usesMicrosoft ? [{ domain: 'com.microsoft', version: 1 }] : [])];
  const metadataProps = Object.entries(info.metadata ?? {}).map(([key, value]) => ({ key, value }));
  const model = {
    irVersion: IR_VERSION,
    opsetImport,
    producerName: 'tune',
    producerVersion: info.producerVersion,
    docString: info.docString ?? '',
    metadataProps,
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

function graphHead(graph: GraphBuilder): Chunk {
  const head = {
    name: graph.name,
    node: graph.nodes.map((n) => ({
      name: n.name,
      opType: n.opType,
      domain: n.domain,
      input: n.inputs,
      output: n.outputs,
      attribute: Object.entries(n.attributes).map(([k, v]) => attributeProto(k, v)),
    })),
    input: graph.inputs.map(valueInfoProto),
    output: graph.outputs.map(valueInfoProto),
  };
  return GraphProto.encode(GraphProto.fromObject(head)).finish();
}

function initializerChunks(name: string, tensor: Parameters<typeof tensorBytes>[0]): Chunk[] {
  const header = TensorProto.encode(TensorProto.fromObject(tensorProto(name, tensor, false))).finish();
  const data = tensorBytes(tensor);
  const rawFrame = frame(WireTag.rawDataInTensor, data.byteLength);
  return [frame(WireTag.initializerInGraph, header.byteLength + rawFrame.byteLength + data.byteLength), header, rawFrame, data];
}

/** Tag and length prefix of a length-delimited field. */
function frame(tag: number, length: number): Chunk {
  return protobuf.Writer.create().uint32(tag).uint32(length).finish();
}

function writeAll(fd: number, chunk: Chunk): void {
  let offset = 0;
  while (offset < chunk.byteLength) offset += writeSync(fd, chunk, offset, chunk.byteLength - offset);
}
