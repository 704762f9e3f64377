/** Wiring between decoder steps: which tensors feed which inputs of the Optimum seq2seq decoders. */
import type { InferenceSession, Tensor } from 'onnxruntime-node';

export type Feeds = Record<string, Tensor>;

/** present.{i}.{decoder|encoder}.{key|value} → past_key_values.{i}.… (the encoder part only comes once). */
export function pastFromPresent(outputs: InferenceSession.ReturnType): Feeds {
  const past: Feeds = {};
  for (const [name, value] of Object.entries(outputs)) {
    if (name.startsWith('present.')) past[`past_key_values.${name.slice('present.'.length)}`] = value;
  }
  return past;
}

/** Only the inputs this session declares (decoder_with_past has no encoder_hidden_states, for instance). */
export function feedsFor(session: InferenceSession, available: Feeds): Feeds {
  const feeds: Feeds = {};
  for (const name of session.inputNames) {
    const value = available[name];
    if (value === undefined) throw new Error(`no value for decoder input ${name}`);
    feeds[name] = value;
  }
  return feeds;
}
