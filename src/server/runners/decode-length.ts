/**
 * How many tokens the decoder may generate for a source of a given length.
 *
 * Real exports stop at EOS; the cap only stops a degenerate loop. Synthetic (seeded random) weights never
 * choose EOS meaningfully, so they stop after ceil(targetLengthRatio × sourceLength) + 1 tokens (the +1
 * standing for the EOS step): the decoder then does the same work a real translation of that source would.
 */
import type { TranslatorManifest } from '../../models/manifest.ts';

/** Real translations are rarely longer than twice their source; 512 is Marian's position limit. */
export function decodeLimit(manifest: Pick<TranslatorManifest, 'synthetic' | 'targetLengthRatio'>, sourceLength: number): number {
  if (manifest.synthetic) return Math.ceil(manifest.targetLengthRatio * sourceLength) + 1;
  return Math.min(512, 2 * sourceLength + 16);
}
