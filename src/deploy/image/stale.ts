/**
 * Which of our older images to delete after a build. Recent ones stay: another process may have just been
 * handed their tag (builds follow every edit of the server), and they share the runtime layer anyway.
 */
export const STALE_AFTER_MS = 60 * 60 * 1000;

export interface ListedImage {
  Id: string;
  RepoTags?: string[] | null;
  Created: number; // epoch seconds, as the engine lists it
}

export function staleImages(images: ListedImage[], currentTag: string, nowMs: number): ListedImage[] {
  return images.filter((image) => !(image.RepoTags ?? []).includes(currentTag) && nowMs - image.Created * 1000 > STALE_AFTER_MS);
}
