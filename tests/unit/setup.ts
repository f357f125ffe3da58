/** Runs before every unit test file: extension pages look their text up through the browser's i18n. */
import { afterEach } from 'vitest';
import { installFakeI18n, setTestLanguage } from './helpers/i18n';

installFakeI18n();
afterEach(() => setTestLanguage('en'));
