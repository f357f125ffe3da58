/**
 * The environment sent with uploads (no identifier of its own; the batch carries the pseudonymous upload id): browser
 * and version, operating system, device type, time zone, and the country the time zone belongs to — never from an IP
 * look-up (PROMISES §2). The mapping from time zone to country comes from countries-and-timezones (IANA's zone.tab,
 * maintained), not a table of our own.
 */
import { getCountryForTimezone } from 'countries-and-timezones';
import type { UploadEnvironment } from '../../shared/contracts/upload';

export interface EnvironmentFacts {
  /** `runtime.getBrowserInfo()` where it exists (Firefox). */
  firefoxVersion?: string | undefined;
  /** `navigator.userAgentData.brands` where it exists (Chromium). */
  brands?: ReadonlyArray<{ brand: string; version: string }> | undefined;
  userAgent: string;
  /** `runtime.getPlatformInfo().os`: mac, win, android, cros, linux, openbsd, fuchsia, ios. */
  platformOs: string;
  mobile?: boolean | undefined;
  timeZone: string;
}

const osNames: Record<string, UploadEnvironment['os']> = {
  mac: 'macos',
  win: 'windows',
  android: 'android',
  cros: 'chromeos',
  linux: 'linux',
  ios: 'ios',
};

export function describeEnvironment(facts: EnvironmentFacts): UploadEnvironment {
  let browser: UploadEnvironment['browser'] = 'other';
  let version = '0';
  if (facts.firefoxVersion) {
    browser = 'firefox';
    version = facts.firefoxVersion;
  } else {
    const edge = facts.brands?.find((brand) => brand.brand === 'Microsoft Edge');
    const chromium = facts.brands?.find((brand) => brand.brand === 'Google Chrome' || brand.brand === 'Chromium');
    const chromeInAgent = /Chrom(?:e|ium)\/([\d.]+)/.exec(facts.userAgent)?.[1];
    if (edge) [browser, version] = ['edge', edge.version];
    else if (chromium) [browser, version] = ['chrome', chromium.version];
    else if (chromeInAgent) [browser, version] = ['chrome', chromeInAgent];
  }
  const os = osNames[facts.platformOs] ?? 'other';
  const tablet = /iPad|Tablet/i.test(facts.userAgent) || (os === 'android' && !/Mobile/i.test(facts.userAgent));
  // A browser that says "Mobile" in its user agent is served Instagram's mobile layout, whatever the platform: the
  // device type describes the Instagram that was recorded (Firefox for Android says it; so does a desktop browser
  // emulating a phone, as the end-to-end mobile session does).
  const deviceType: UploadEnvironment['deviceType'] = tablet
    ? 'tablet'
    : facts.mobile || os === 'android' || os === 'ios' || /Mobi/.test(facts.userAgent)
      ? 'mobile'
      : 'desktop';
  return {
    browser,
    browserVersion: /^\d{1,4}(\.\d{1,6}){0,3}$/.test(version) ? version : (version.match(/^\d{1,4}/)?.[0] ?? '0'),
    os,
    deviceType,
    timeZone: facts.timeZone,
    country: getCountryForTimezone(facts.timeZone)?.id ?? null,
  };
}
