/**
 * Firefox's built-in data-collection consent (Firefox 140+): the manifest declares, per Mozilla's categories, what the
 * extension may send off the device. smartTags sends nothing without opt-in, so `required` is `none` and each upload
 * scope maps to optional categories that the person grants through Firefox's own prompt when they turn the scope on.
 * Pure data: the build derives the manifest from it and the pages request exactly these categories.
 */
import type { Scope, Scopes } from './consent';

export type GeckoDataCategory = 'none' | 'personallyIdentifyingInfo' | 'websiteActivity' | 'websiteContent';
/** `technicalAndInteraction` may only be optional, never required. */
export type GeckoOptionalDataCategory = Exclude<GeckoDataCategory, 'none'> | 'technicalAndInteraction';

const dataCollectionByScope: Partial<Record<Scope, readonly GeckoOptionalDataCategory[]>> = {
  // Pseudonymous usage (no username, a random upload id): browser, OS, device type, time zone (technical), time per
  // surface and views (activity on a website), hashtags seen (content of a website).
  uploadUsage: ['technicalAndInteraction', 'websiteActivity', 'websiteContent'],
  // The username ties account analytics to a person.
  uploadAccount: ['personallyIdentifyingInfo'],
};

export function dataCollectionFor(scopes: readonly Scope[]): GeckoOptionalDataCategory[] {
  return [...new Set(scopes.flatMap((scope) => dataCollectionByScope[scope] ?? []))];
}

/** The scopes that depend on a category, for following Firefox's own revocation. */
export function scopesUsing(categories: readonly string[]): Scope[] {
  return (Object.keys(dataCollectionByScope) as Scope[]).filter((scope) =>
    (dataCollectionByScope[scope] ?? []).some((category) => categories.includes(category)),
  );
}

export const optionalDataCollection: GeckoOptionalDataCategory[] = dataCollectionFor(['uploadUsage', 'uploadAccount']);

/** Granted scopes whose categories Firefox no longer grants (revoked while smartTags was not running). */
export function scopesLackingDataCollection(scopes: Scopes, grantedCategories: readonly string[]): Scope[] {
  return (Object.keys(dataCollectionByScope) as Scope[]).filter(
    (scope) => scopes[scope] && dataCollectionFor([scope]).some((category) => !grantedCategories.includes(category)),
  );
}
