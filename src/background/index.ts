/**
 * Background entry: a Chrome service worker or a Firefox event page. Either can be stopped at any moment, so this
 * file only registers listeners, synchronously at top level (a listener added later would miss the event that woke
 * the worker), and keeps no state in memory: everything lives in IndexedDB.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { SmartTagsDatabase } from '../shared/db';
import { routeMessage } from './router';

const db = new SmartTagsDatabase();
const own = { id: browser.runtime.id, origin: browser.runtime.getURL('').replace(/\/$/, '') };

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  routeMessage(message, sender, { db, own, now: Date.now }),
);
