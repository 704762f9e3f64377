/**
 * The translator kind: text in (see text-codec.ts); INT64 "token_ids" [N, T] out, the generated target ids of
 * each instance (V1's "token_ids"; the server does not detokenize), shorter rows filled to the longest with the
 * model's pad id, which decoding never emits, so a row ends at its first pad id.
 */
import type { TranslatorManifest } from '../../models/manifest.ts';
import { succeed } from '../api-error.ts';
import type { Translation } from '../runners/translator-runner.ts';
import type { KindCodec } from './kind-codec.ts';
import { padded } from './tensors.ts';
import { ATTENTION_MASK, INPUT_IDS, textInputs, textInputTensors, textInstances } from './text-codec.ts';

export const TOKEN_IDS = 'token_ids';

export function translatorCodec(manifest: TranslatorManifest): KindCodec {
  return {
    inputs: textInputs([INPUT_IDS, ATTENTION_MASK]),
    outputs: [{ name: TOKEN_IDS, datatype: 'INT64', shape: [-1, -1] }],
    instances: textInstances,
    outputTensors: (predictions) => {
      const rows = (predictions as readonly Translation[]).map((prediction) => prediction.token_ids);
      return succeed([padded(TOKEN_IDS, 'INT64', rows, manifest.padId)]);
    },
    inputTensors: (instances) => textInputTensors(instances, manifest.padId),
  };
}
