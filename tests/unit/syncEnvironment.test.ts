import { describe, expect, it } from 'vitest';
import { describeEnvironment } from '../../src/background/sync/environment';

describe('describeEnvironment', () => {
  it('describes Chrome on Linux, with the country from the time zone', () => {
    expect(
      describeEnvironment({
        brands: [
          { brand: 'Not.A/Brand', version: '99' },
          { brand: 'Chromium', version: '156' },
        ],
        userAgent:
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
        platformOs: 'linux',
        mobile: false,
        timeZone: 'Europe/Berlin',
      }),
    ).toEqual({
      browser: 'chrome',
      browserVersion: '156',
      os: 'linux',
      deviceType: 'desktop',
      timeZone: 'Europe/Berlin',
      country: 'DE',
    });
  });

  it('describes Firefox on Android as mobile, and leaves the country out for UTC', () => {
    expect(
      describeEnvironment({
        firefoxVersion: '153.0',
        userAgent: 'Mozilla/5.0 (Android 15; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0',
        platformOs: 'android',
        timeZone: 'UTC',
      }),
    ).toMatchObject({
      browser: 'firefox',
      browserVersion: '153.0',
      os: 'android',
      deviceType: 'mobile',
      country: null,
    });
  });

  it('says mobile for a mobile user agent whatever the platform reports', () => {
    // Firefox for Android's user agent on a desktop system (the end-to-end mobile session): Instagram serves it the
    // mobile layout, and that is what was recorded.
    expect(
      describeEnvironment({
        firefoxVersion: '153.0',
        userAgent: 'Mozilla/5.0 (Android 15; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0',
        platformOs: 'linux',
        timeZone: 'Europe/Paris',
      }),
    ).toMatchObject({ browser: 'firefox', os: 'linux', deviceType: 'mobile' });
    expect(
      describeEnvironment({
        firefoxVersion: '153.0',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
        platformOs: 'linux',
        timeZone: 'Europe/Paris',
      }),
    ).toMatchObject({ deviceType: 'desktop' });
  });

  it('tells an Android tablet and Edge apart', () => {
    expect(
      describeEnvironment({
        brands: [{ brand: 'Microsoft Edge', version: '150' }],
        userAgent: 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/150.0 Safari/537.36 EdgA/150.0',
        platformOs: 'android',
        timeZone: 'Asia/Kolkata',
      }),
    ).toMatchObject({ browser: 'edge', deviceType: 'tablet', country: 'IN' });
  });
});
