/** A study's search space as stored (document plus pins), read back against a host context, for the analyses. */
import type { SearchSpace } from '../space/space.ts';
import type { StudyRecord } from '../storage/storage.ts';
import { isStoredSpace, spaceFromStored } from '../study/study-space.ts';

export function storedSpaceReader(context: Readonly<Record<string, number>>): (study: StudyRecord) => SearchSpace | undefined {
  return (study) => {
    if (!isStoredSpace(study.space)) return undefined;
    const space = spaceFromStored(study.space, context);
    return space.ok ? space.value : undefined;
  };
}
