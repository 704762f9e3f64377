/** Public entry points of the models area: built-in builds, user models, tokenizers. */
export { buildModel, builtModelDir, defaultCacheDir, ensureModel, readStamp, type BuildOptions, type BuildStamp } from './build.ts';
export { BUILTIN_MODELS, isBuiltinModel, SYNTHETIC_MODELS, SYNTHETIC_NOTE, type BuiltinModel } from './builder.ts';
export * from './manifest.ts';
export type { ModelError, ModelErrorCode } from './model-error.ts';
export { resolveModel, type ResolvedModel, type ResolveOptions } from './resolve.ts';
export { frameIds, hashTokenizerFor, loadTokenizer, tokenize, type TokenizerInfo } from './tokenizer.ts';
export { int64Tensor, pastFromPresent, validateModel } from './validate.ts';
