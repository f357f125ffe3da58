/**
 * Opening smartTags' own pages from another page. Kept apart from the components so their tests replace the browser
 * API in one place.
 */
import browser from 'webextension-polyfill';

const onboardingPath = 'src/onboarding/index.html';

/** Opens the onboarding page in a new tab; `policy-update` opens its policy-change view. */
export async function openOnboarding(reason?: 'policy-update'): Promise<void> {
  const query = reason ? `?reason=${reason}` : '';
  await browser.tabs.create({ url: browser.runtime.getURL(`${onboardingPath}${query}`) });
}

export function openDashboard(): Promise<void> {
  return browser.runtime.openOptionsPage();
}
