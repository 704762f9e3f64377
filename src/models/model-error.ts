/** Problems with a model the user named: one-line messages with stable codes. */
export type ModelErrorCode =
  | 'model-not-found' // no built-in of that name and no such path
  | 'model-corrupt' // the file is not ONNX (onnxruntime cannot parse it)
  | 'model-mismatch' // ONNX, but not the shape of model tune serves (e.g. a folder missing the decoder)
  | 'model-invalid' // loads, but its check run failed
  | 'model-not-allowed'; // outside the allowed directory, or a symlink leading out of it

export interface ModelError {
  code: ModelErrorCode;
  message: string;
}

export const MODEL_HINT = 'give a built-in name: marian, resnet, bert, gan, ocr, or a path to an .onnx file or an Optimum export folder';

export function modelError(code: ModelErrorCode, message: string): ModelError {
  return { code, message };
}

/** First line of an exception's message, for wrapping library errors into one-line messages. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}
