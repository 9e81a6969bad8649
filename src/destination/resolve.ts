import { configError } from '../protocol/errors.js';
import type { ResolvedStream } from '../pipeline/stream-target.js';
import { MappingValidator } from './preflight.js';
import { describeStream, type StreamPlan } from './streams.js';

/**
 * Checks every stream against Marketo's describe calls before any job runs: an unknown column would otherwise
 * cost a failed import (1006). All problems are reported at once, as one config_error.
 */
export async function resolveStreams(
  plans: StreamPlan[],
  validator: MappingValidator,
  warn: (message: string) => void,
): Promise<ResolvedStream[]> {
  const problems: string[] = [];
  const resolved: ResolvedStream[] = [];
  for (const plan of plans) {
    const label = describeStream(plan);
    const verdict = await validator.check({
      label,
      target: plan.target,
      columns: plan.columns,
      declaredKey: plan.declaredKey,
      grouped: plan.grouped,
    });
    problems.push(...verdict.problems.map((p) => `stream "${label}": ${p}`));
    if (verdict.renamed) warn(`Stream "${label}": column(s) ${verdict.renamed.join(', ')} renamed to the exact name of their Marketo field`);
    const columns = verdict.columns ?? plan.columns;
    const names = columns.map((c) => c.name);
    const { declaredKey: _, ...target } = plan;
    resolved.push({
      ...target,
      columns,
      keyColumns: verdict.keyFields.map((f) => names.indexOf(f)).filter((i) => i >= 0),
    });
  }
  if (problems.length > 0) {
    throw configError(`The streams do not fit their Marketo objects (no job was started):\n- ${problems.join('\n- ')}`);
  }
  return resolved;
}
