import { describe, expect, it } from 'vitest';
import { applyScopeChange, noScopes, type Scopes } from '../../src/shared/domain/consent';
import { dataCollectionFor, scopesLackingDataCollection, scopesUsing } from '../../src/shared/domain/dataCollection';
import {
  collectionChangesSince,
  effectiveUploadScopes,
  needsReconsent,
  type PolicyVersion,
} from '../../src/shared/domain/policy';

const all: Scopes = { usage: true, account: true, uploadUsage: true, uploadAccount: true };

describe('applyScopeChange', () => {
  it('starts with everything off', () => {
    expect(noScopes).toEqual({ usage: false, account: false, uploadUsage: false, uploadAccount: false });
  });

  it('grants independent scopes and lists what changed', () => {
    expect(applyScopeChange(noScopes, { usage: true, account: true })).toEqual({
      ok: true,
      next: { usage: true, account: true, uploadUsage: false, uploadAccount: false },
      changes: [
        { scope: 'usage', granted: true },
        { scope: 'account', granted: true },
      ],
    });
  });

  it('grants a dependent scope together with its prerequisites', () => {
    const result = applyScopeChange(noScopes, all);
    expect(result).toMatchObject({ ok: true, next: all });
  });

  it.each([
    ['uploadUsage without usage', noScopes, { uploadUsage: true }, /"uploadUsage" needs "usage"/],
    ['uploadAccount alone', { ...noScopes, usage: true }, { uploadAccount: true }, /"account" and "uploadUsage"/],
    [
      'uploadAccount without uploadUsage',
      { ...noScopes, usage: true, account: true },
      { uploadAccount: true },
      /"uploadUsage"/,
    ],
    ['uploadAccount while withdrawing account', all, { account: false, uploadAccount: true }, /"account"/],
  ])('refuses %s', (_label, current, requested, reason) => {
    const result = applyScopeChange(current, requested);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('withdrawing usage withdraws both upload scopes that depend on it', () => {
    const result = applyScopeChange(all, { usage: false });
    expect(result).toEqual({
      ok: true,
      next: { usage: false, account: true, uploadUsage: false, uploadAccount: false },
      changes: [
        { scope: 'usage', granted: false },
        { scope: 'uploadUsage', granted: false },
        { scope: 'uploadAccount', granted: false },
      ],
    });
  });

  it('withdrawing account withdraws only uploadAccount', () => {
    const result = applyScopeChange(all, { account: false });
    expect(result).toMatchObject({
      ok: true,
      next: { usage: true, account: false, uploadUsage: true, uploadAccount: false },
    });
  });

  it('reports no change when nothing changes', () => {
    expect(applyScopeChange(all, { usage: true })).toEqual({ ok: true, next: all, changes: [] });
  });
});

const history: PolicyVersion[] = [
  { version: 1, publishedOn: '2026-11-25', changesCollection: true, summary: 'First.' },
  { version: 2, publishedOn: '2027-01-10', changesCollection: false, summary: 'Wording.' },
  { version: 3, publishedOn: '2027-03-01', changesCollection: true, summary: 'Adds device type.' },
];

describe('policy versions', () => {
  it('needs no re-consent from someone who never agreed (they have nothing to pause)', () => {
    expect(needsReconsent(null, history)).toBe(false);
  });

  it('needs re-consent when a later version changes collection', () => {
    expect(needsReconsent(1, history)).toBe(true);
    expect(needsReconsent(2, history)).toBe(true);
    expect(collectionChangesSince(1, history).map((entry) => entry.version)).toEqual([3]);
  });

  it('needs none after a wording-only update', () => {
    expect(needsReconsent(1, history.slice(0, 2))).toBe(false);
  });

  it('needs none once the latest version is agreed to', () => {
    expect(needsReconsent(3, history)).toBe(false);
  });

  it('holds every upload scope while re-consent is pending, and only granted ones otherwise', () => {
    expect(effectiveUploadScopes(all, 1, history)).toEqual([]);
    expect(effectiveUploadScopes(all, 3, history)).toEqual(['uploadUsage', 'uploadAccount']);
    expect(effectiveUploadScopes({ ...all, uploadAccount: false }, 3, history)).toEqual(['uploadUsage']);
  });
});

describe('Firefox data-collection categories', () => {
  it('maps each upload scope to its categories and back', () => {
    expect(dataCollectionFor(['uploadAccount'])).toEqual(['personallyIdentifyingInfo']);
    expect(dataCollectionFor(['usage', 'account'])).toEqual([]);
    expect(scopesUsing(['personallyIdentifyingInfo'])).toEqual(['uploadAccount']);
    expect(scopesUsing(['websiteActivity'])).toEqual(['uploadUsage']);
  });

  it('finds granted scopes whose categories the browser no longer grants', () => {
    const granted = dataCollectionFor(['uploadUsage']);
    expect(scopesLackingDataCollection(all, granted)).toEqual(['uploadAccount']);
    expect(scopesLackingDataCollection(all, [])).toEqual(['uploadUsage', 'uploadAccount']);
    expect(scopesLackingDataCollection(noScopes, [])).toEqual([]);
  });
});
