import { runScale } from '../scale';
import { takeShapeArgs } from './args';
import { runShapeBench } from './bench';
import { runProfile } from './profile';

/**
 * bench/run.ts hands its arguments here first: the shape benches, the scale
 * check and the profile run when `--only` names them (or, for the shapes, when
 * there is no --only). Returns the arguments left for the capture-reading
 * bench, and whether it has nothing left to do.
 */
export async function runShapeBenches(argv: string[], root: string): Promise<{ rest: string[]; done: boolean }> {
  const a = takeShapeArgs(argv);
  if ([...a.ids].some((id) => id !== 'scale' && id !== 'profile')) await runShapeBench(a, root);
  if (a.ids.has('profile')) await runProfile(a, root);
  if (a.ids.has('scale') && (await runScale(a, root)) !== 0) process.exitCode = 1;
  return { rest: a.rest, done: a.onlyOurs };
}
