/**
 * The one place zod is imported from. Zod 4 probes `new Function` to decide whether it may compile fast validators;
 * an extension's content-security policy forbids eval, so the probe would log CSP violations on every page that
 * validates. `jitless` turns the probe off. Every schema module imports `z` from here so the setting is always applied
 * before the first schema is built.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
