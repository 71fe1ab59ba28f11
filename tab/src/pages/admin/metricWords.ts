import { ApiError } from '../../api/client';
import type { CatalogueMetric } from '../../api/types';

/** The API's rule for a metric key (what outcome files carry in their metric column). */
export const METRIC_KEY = /^[a-z][a-z0-9_]{1,39}$/;

export const DIRECTION_LABELS: Record<CatalogueMetric['direction'], string> = {
  higher_is_better: 'Higher is better',
  lower_is_better: 'Lower is better',
};

export const SOURCE_LABELS: Record<CatalogueMetric['source'], string> = {
  imported: 'Imported from HR files',
  in_app: 'From the in-app team pulse',
};

/** "1 to 5", "0 or more", "Up to 100", or null when the scale has no bounds. */
export function rangeInWords({ min, max }: Pick<CatalogueMetric, 'min' | 'max'>): string | null {
  if (min !== null && max !== null) return `${min} to ${max}`;
  if (min !== null) return `${min} or more`;
  if (max !== null) return `Up to ${max}`;
  return null;
}

/** Why a label cannot be saved, or undefined when it can. */
export function labelProblem(label: string): string | undefined {
  const text = label.trim();
  if (text.length > 0 && text.length < 2) return 'Use at least 2 characters.';
  return undefined;
}

/**
 * The API's field errors by field (`body.key` → key), for the fields a form has. A key that is
 * taken comes as a conflict without field errors: it belongs beside the key all the same.
 */
export function apiFieldErrors<F extends string>(caught: unknown, fields: readonly F[]): Partial<Record<F, string>> {
  const found: Partial<Record<F, string>> = {};
  if (!(caught instanceof ApiError)) return found;
  for (const e of caught.problem?.errors ?? []) {
    const field = fields.find((f) => e.path === `body.${f}`);
    if (field && !found[field]) found[field] = e.message;
  }
  const key = fields.find((f) => f === 'key');
  if (key && caught.problem?.code === 'metric_exists') found[key] = caught.problem.detail ?? caught.message;
  return found;
}
