import type { TargetedEvent } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import type { ConsentView } from '../contracts/messages';
import {
  applyScopeChange,
  type Scope,
  type Scopes,
  scopeNames,
  scopePrerequisites,
  uploadScopes,
} from '../domain/consent';
import { useAsk } from './background';
import { requestDataCollection } from './dataCollection';
import { errorMessage } from './errors';
import { formatList, t } from './i18n';
import { scopeText } from './scopeText';

function needsFirst(scopes: readonly Scope[]): string {
  return t('scopeChoicesNeeds', formatList(scopes.map((scope) => t('commonQuoted', scopeText[scope].label))));
}

interface ImmediateProps {
  /** Each change is sent to the background at once. */
  mode: 'immediate';
  source: 'popup' | 'options';
  consent: ConsentView;
  /** The background's answer: the new consent view, with any withdrawal cascade applied. */
  onChange: (view: ConsentView) => void;
}

interface DeferredProps {
  /** Changes are only collected; the page sends them when the person confirms. */
  mode: 'deferred';
  scopes: Scopes;
  onChange: (scopes: Scopes) => void;
}

type Props = ImmediateProps | DeferredProps;

type Note =
  | { kind: 'saved'; scope: Scope; granted: boolean }
  | { kind: 'declined'; scope: Scope }
  | { kind: 'error'; message: string };

/** One checkbox per consent scope, each saying what it collects and what declining it means. */
export function ScopeChoices(props: Props) {
  const ask = useAsk();
  const id = useId();
  const [pending, setPending] = useState<{ scope: Scope; wanted: boolean } | null>(null);
  const [note, setNote] = useState<Note | null>(null);
  // A ref, not state: a second click can arrive before the re-render that would show the first one pending.
  const busy = useRef(false);
  const scopes = props.mode === 'immediate' ? props.consent.scopes : props.scopes;
  const uploadsPaused = props.mode === 'immediate' && props.consent.policy.needsReconsent;

  async function settle(scope: Scope, wanted: boolean, permission: Promise<boolean>) {
    try {
      if (!(await permission)) {
        setNote({ kind: 'declined', scope });
        return;
      }
      const change: Partial<Scopes> = { [scope]: wanted };
      if (props.mode === 'immediate') {
        props.onChange(await ask({ type: 'consent.set', scopes: change, source: props.source }));
        setNote({ kind: 'saved', scope, granted: wanted });
      } else {
        const result = applyScopeChange(props.scopes, change);
        if (result.ok) props.onChange(result.next);
        else setNote({ kind: 'error', message: result.reason });
      }
    } catch (error) {
      setNote({ kind: 'error', message: errorMessage(error) });
    } finally {
      busy.current = false;
      setPending(null);
    }
  }

  function toggle(scope: Scope, event: TargetedEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const wanted = input.checked;
    if (busy.current) {
      input.checked = !wanted;
      return;
    }
    busy.current = true;
    setNote(null);
    setPending({ scope, wanted });
    // Firefox shows its data-collection prompt only while handling the person's click: ask before anything awaits.
    const permission = wanted && uploadScopes.includes(scope) ? requestDataCollection([scope]) : Promise.resolve(true);
    void settle(scope, wanted, permission);
  }

  return (
    <fieldset class="scope-choices" aria-busy={pending !== null}>
      <legend>{t('scopeChoicesLegend')}</legend>
      <ul class="scopes">
        {scopeNames.map((scope) => {
          const inputId = `${id}-${scope}`;
          const missing = scopePrerequisites[scope].filter((prerequisite) => !scopes[prerequisite]);
          const paused = uploadsPaused && uploadScopes.includes(scope) && scopes[scope];
          const describedBy = [
            `${inputId}-collects`,
            `${inputId}-declined`,
            missing.length > 0 ? `${inputId}-needs` : '',
            paused ? `${inputId}-paused` : '',
          ]
            .filter((part) => part !== '')
            .join(' ');
          return (
            <li key={scope} class="scope">
              <div class="scope-choice">
                <input
                  type="checkbox"
                  id={inputId}
                  name={`scope-${scope}`}
                  checked={pending?.scope === scope ? pending.wanted : scopes[scope]}
                  disabled={missing.length > 0}
                  aria-describedby={describedBy}
                  onChange={(event) => toggle(scope, event)}
                />
                <label for={inputId}>{scopeText[scope].label}</label>
              </div>
              <p id={`${inputId}-collects`} class="scope-detail">
                <strong>{t('scopeChoicesCollects')}</strong> {scopeText[scope].collects}
              </p>
              <p id={`${inputId}-declined`} class="scope-detail">
                <strong>{t('scopeChoicesIfDeclined')}</strong> {scopeText[scope].ifDeclined}
              </p>
              {missing.length > 0 && (
                <p id={`${inputId}-needs`} class="hint" data-testid={`scope-${scope}-needs`}>
                  {needsFirst(missing)}
                </p>
              )}
              {paused && (
                <p id={`${inputId}-paused`} class="hint">
                  {t('scopeChoicesPaused')}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <div role="status" class="status">
        {pending !== null && props.mode === 'immediate' && t('commonSaving')}
        {note?.kind === 'saved' && (
          <span data-testid="scope-saved">
            {t(note.granted ? 'scopeChoicesSavedOn' : 'scopeChoicesSavedOff', scopeText[note.scope].label)}
          </span>
        )}
        {note?.kind === 'declined' && (
          <span data-testid="scope-declined">{t('scopeChoicesBrowserDeclined', scopeText[note.scope].label)}</span>
        )}
      </div>
      {note?.kind === 'error' && (
        <p role="alert" class="alert" data-testid="scope-error">
          {note.message}
        </p>
      )}
    </fieldset>
  );
}
