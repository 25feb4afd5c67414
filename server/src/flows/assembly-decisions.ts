import type { Db } from '@tissu/db';
import { createAssemblyService } from '../modules/assembly/index.js';
import { planDecided } from '../modules/patronage/index.js';

/** The assembly whose votes on surplus plans approve or send back the plan, in the vote's transaction. */
export function createAssembly(deps: { db: Db; now: () => Date }) {
  return createAssemblyService({ ...deps, planDecided });
}
