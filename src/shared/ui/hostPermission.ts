/**
 * The backend's host permission. The manifest declares HTTPS hosts (and plain HTTP on this machine) as optional host
 * permissions; a page asks for the one backend the person chose, and gives it back when that backend is no longer
 * used. Browsers show the prompt only in response to a click, so call `requestHostPermission` synchronously from the
 * click (or submit) handler, before any `await`.
 *
 * The pattern names the scheme and host without the port: Firefox's match patterns cannot carry a port, and in Chrome
 * a pattern without one matches every port. So `http://127.0.0.1:8787` is asked for as `http://127.0.0.1/*`.
 */
import browser from 'webextension-polyfill';

/** The match pattern granting access to a backend origin (as checkBackendUrl returns it). */
export function hostPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** Asks the browser for access to the backend; resolves to whether it was granted. */
export function requestHostPermission(origin: string): Promise<boolean> {
  try {
    return browser.permissions.request({ origins: [hostPattern(origin)] });
  } catch (error) {
    // Some browsers throw synchronously for a pattern the manifest does not allow; answer the same way either way.
    return Promise.reject(error);
  }
}

/** Gives the backend's host permission back; resolves to whether it was removed. */
export function removeHostPermission(origin: string): Promise<boolean> {
  try {
    return browser.permissions.remove({ origins: [hostPattern(origin)] });
  } catch (error) {
    return Promise.reject(error);
  }
}
