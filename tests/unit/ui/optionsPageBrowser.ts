/**
 * What the options page needs of webextension-polyfill in component tests: its reminders section reads the
 * notifications permission on mount and follows its changes. Used as `vi.mock('webextension-polyfill', () =>
 * import('./optionsPageBrowser'))`.
 */
const event = { addListener() {}, removeListener() {} };

export default {
  permissions: {
    contains: () => Promise.resolve(false),
    request: () => Promise.resolve(true),
    remove: () => Promise.resolve(true),
    onAdded: event,
    onRemoved: event,
  },
};
