/**
 * Asks Firefox for the data-collection categories an upload scope needs (src/shared/domain/dataCollection.ts). Firefox only
 * shows its prompt in response to a click, so call this synchronously from the click handler, before any `await`.
 * Browsers without built-in data-collection consent (Chrome) have nothing to ask: the answer is yes, and smartTags'
 * own consent is the only gate.
 */
import browser from 'webextension-polyfill';
import type { Scope } from '../domain/consent';
import { dataCollectionFor } from '../domain/dataCollection';

type DataCollectionPermissions = { data_collection: string[] };
interface DataCollectionApi {
  request(permissions: DataCollectionPermissions): Promise<boolean>;
}

function firefoxDataCollectionApi(): DataCollectionApi | undefined {
  // getBrowserInfo exists only in Firefox; Chrome's permissions API rejects the data_collection key.
  if (!('getBrowserInfo' in browser.runtime)) return undefined;
  return browser.permissions as unknown as DataCollectionApi;
}

export function requestDataCollection(scopes: readonly Scope[]): Promise<boolean> {
  const categories = dataCollectionFor(scopes);
  const api = firefoxDataCollectionApi();
  if (!api || categories.length === 0) return Promise.resolve(true);
  return api.request({ data_collection: categories });
}
