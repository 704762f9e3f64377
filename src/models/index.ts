/** Public entry points of the models area (builders, user models, tokenizers). */
export { buildModel, builtModelDir, defaultCacheDir, ensureModel, type BuildOptions } from './build.ts';
export { BUILTIN_MODELS, isBuiltinModel, type BuiltinModel } from './builder.ts';
export * from './manifest.ts';
