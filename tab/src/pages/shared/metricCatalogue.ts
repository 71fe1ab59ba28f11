import type { CatalogueMetric, CatalogueMetricsResponse } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad, type Load } from '../../app/useLoad';

/** The organisation's metric catalogue (and the pulse statements), loaded once per page. */
export function useMetricCatalogue(): [Load<CatalogueMetricsResponse>, () => void] {
  const api = useApi();
  const [load, reload] = useLoad(queries.metrics(api));
  return [load, reload];
}

/** A metric's name from the catalogue; while it loads (or for a metric it no longer has) the key, readably. */
export function metricLabeller(metrics: readonly CatalogueMetric[] | null): (key: string) => string {
  return (key) => metrics?.find((m) => m.key === key)?.label ?? key.replace(/_/g, ' ');
}
