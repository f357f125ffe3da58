/**
 * Shared pieces for the component tests: a fake background (answering like the real one, from a small state), a
 * consent view builder, and rendering under that fake. Test files mock 'webextension-polyfill' themselves, since
 * the polyfill cannot load outside an extension.
 */
import { render } from '@testing-library/preact';
import type { ComponentChild } from 'preact';
import type { ConsentView, ExtensionPageMessage, ReplyValues } from '../../../src/shared/contracts/messages';
import { applyScopeChange, noScopes, type Scopes } from '../../../src/shared/domain/consent';
import type { PolicyVersion } from '../../../src/shared/domain/policy';
import { type Ask, AskContext, BackgroundError } from '../../../src/shared/ui/background';

export function consentView(
  scopes: Partial<Scopes> = {},
  overrides: { decidedAt?: number | null; needsReconsent?: boolean; changes?: PolicyVersion[] } = {},
): ConsentView {
  return {
    scopes: { ...noScopes, ...scopes },
    agreedPolicyVersion: overrides.decidedAt === null ? null : 1,
    decidedAt: overrides.decidedAt === undefined ? 1_700_000_000_000 : overrides.decidedAt,
    policy: { version: 2, needsReconsent: overrides.needsReconsent ?? false, changes: overrides.changes ?? [] },
  };
}

type Handlers = {
  [Type in ExtensionPageMessage['type']]?: (
    message: Extract<ExtensionPageMessage, { type: Type }>,
  ) => ReplyValues[Type] | Promise<ReplyValues[Type]>;
};

export interface FakeBackground {
  ask: Ask;
  /** Every message the page sent, in order. */
  calls: ExtensionPageMessage[];
  /** The messages of one type the page sent. */
  sent<Type extends ExtensionPageMessage['type']>(type: Type): Array<Extract<ExtensionPageMessage, { type: Type }>>;
}

/**
 * A background that answers consent.get and consent.set from `initial` the way the real one does (the withdrawal
 * cascade included, and agreement recorded on any choice); other messages are answered by `handlers`, or refused.
 */
export function fakeBackground(initial: ConsentView = consentView(), handlers: Handlers = {}): FakeBackground {
  let view = initial;
  const consentHandlers: Handlers = {
    'consent.get': () => view,
    'consent.set': (message) => {
      const result = applyScopeChange(view.scopes, message.scopes);
      if (!result.ok) throw new BackgroundError('refused', result.reason);
      view = {
        ...view,
        scopes: result.next,
        agreedPolicyVersion: view.policy.version,
        decidedAt: Date.now(),
        policy: { ...view.policy, needsReconsent: false, changes: [] },
      };
      return view;
    },
  };
  const all: Handlers = { ...consentHandlers, ...handlers };
  const calls: ExtensionPageMessage[] = [];
  const ask = (async (message: ExtensionPageMessage) => {
    calls.push(message);
    const handler = all[message.type] as ((message: ExtensionPageMessage) => unknown) | undefined;
    if (!handler) throw new BackgroundError('unknown-type', `The fake background has no answer for ${message.type}.`);
    return handler(message);
  }) as Ask;
  return {
    ask,
    calls,
    sent: <Type extends ExtensionPageMessage['type']>(type: Type) =>
      calls.filter((call): call is Extract<ExtensionPageMessage, { type: Type }> => call.type === type),
  };
}

export function renderWithBackground(background: FakeBackground, ui: ComponentChild) {
  return render(<AskContext.Provider value={background.ask}>{ui}</AskContext.Provider>);
}

export function checkbox(name: string): HTMLInputElement {
  const input = document.querySelector(`input[name="${name}"]`);
  if (!(input instanceof HTMLInputElement)) throw new Error(`No input named ${name}.`);
  return input;
}
