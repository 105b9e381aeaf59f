// The whole widget UI in one class component (Preact's hooks module would cost about 1.1 KB brotli):
// the launcher (trigger `button`), and the panel — a native <dialog> shown with showModal(), so it
// sits in the top layer above any host modal or z-index, named by the question, Tab kept inside,
// Escape (the native cancel) closing it — holding the rating radio group, the comment and Send.
import { Component, createRef, h } from 'preact';
import type { FeedpulseClient } from '../core/types';
import { watchRoutes } from '../core/routes';
import { S, type Copy } from './locales/index';
import type { Settings } from './settings';
import type { ArmedTriggers } from './triggers';
import { choicesFor, glyph } from './scales';
import { scoreBand } from '../wire/bands';

export interface Controls {
  open?(): void;
  close?(): void;
}

interface Props {
  settings: Settings;
  copy: Copy;
  client: FeedpulseClient;
  controls: Controls;
  /** Says whether the launcher belongs on this page; told when the visitor has answered. */
  triggers: ArmedTriggers;
  /** Ask triggers.showLauncher again on SPA route changes (only needed with a `pages` rule). */
  followRoutes: boolean;
}

// Phases: 0 form, 1 sending, 2 failed (role=alert), 3 thanks (stored), 4 saved while offline (sent when back online).
// The comment is not state: the textarea keeps its own value (Preact leaves an uncontrolled field
// alone) and is read on submit; a close resets the form.
interface State {
  open?: boolean;
  rating?: number;
  phase: number;
}

const fresh: State = { open: false, rating: undefined, phase: 0 };
const steps: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/** The focused element, looking inside open shadow roots. */
function deepActive(): HTMLElement | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el as HTMLElement | null;
}

export class App extends Component<Props, State> {
  override state = fresh;
  _root = createRef<HTMLDivElement>();
  /** Where focus was when the panel opened: it goes back there on close. */
  _opener: HTMLElement | null = null;
  _isOpen = false;
  /** Bumped on every send and close, so a late answer cannot change a newer form. */
  _attempt = 0;
  _stopRoutes?: () => void;
  /** A `close` event that arrives after the panel was opened again is stale. */
  _onClose = () => this._q<HTMLDialogElement>('dialog').open || this.props.controls.close!();

  _q = <T extends Element>(selector: string) => this._root.current!.querySelector<T>(selector)!;

  /** The form afresh, opening or closing: no rating, phase 0, and the empty comment (the textarea
   *  keeps its own value, so the form is reset too). On open as well as on close, because an open()
   *  can come before the close event of a panel the browser shut, and then close() never ran. */
  _fresh(open: boolean) {
    this.setState({ ...fresh, open });
    this._root.current!.querySelector('form')?.reset();
  }

  override componentDidMount() {
    const { controls, followRoutes } = this.props;
    const dialog = () => this._q<HTMLDialogElement>('dialog');
    controls.open = () => {
      // The dialog itself says whether it is open: the browser closes it at once on Escape or a click
      // outside, but fires `close` only at the next animation frame — an open() before that must work.
      if (this._isOpen && dialog().open) return;
      this._isOpen = true;
      this._attempt++;
      const active = deepActive();
      // Keep the first opener when the panel is closed and reopened within one task.
      if (!this._root.current!.contains(active)) this._opener = active;
      this._fresh(true);
    };
    controls.close = () => {
      if (!this._isOpen) return;
      this._isOpen = false;
      this._attempt++;
      this._fresh(false);
      const back = this._opener;
      (back && back !== document.body && back.isConnected ? back : this._q<HTMLElement>('.l'))?.focus();
    };
    if (followRoutes) this._stopRoutes = watchRoutes(() => this.forceUpdate());
  }

  override componentWillUnmount() {
    this._stopRoutes?.();
  }

  override componentDidUpdate(_: Props, was: State) {
    const d = this._q<HTMLDialogElement>('dialog');
    const { open, phase } = this.state;
    if (open && !d.open) {
      // Browsers without modal dialogs (or a refusal) still get an open panel.
      try {
        d.showModal();
      } catch {
        d.setAttribute('open', '');
      }
      this._q<HTMLElement>('[tabindex="0"]').focus();
    }
    if (!open && d.open) d.close();
    if (phase > 2 && was.phase < 3) this._q<HTMLElement>('.s').focus();
  }

  _submit = async (e: Event) => {
    e.preventDefault();
    const { rating, phase } = this.state;
    const { client, settings: { scale }, triggers } = this.props;
    if (rating == null || phase == 1) return;
    const mine = ++this._attempt;
    const now = (next: number) => mine == this._attempt && this.setState({ phase: next });
    const text = this._q<HTMLTextAreaElement>('textarea').value.trim();
    now(1);
    try {
      // No comment field at all when it is empty.
      await client.feedback({ rating, scale, ...(text && { comment: text }) });
    } catch {
      return now(2);
    }
    triggers.answered();
    // The event is stored. "Sent when you are back online" is said only when the browser is offline
    // (before or after this send): online, a send that failed (collector down, refused) is retried
    // without the visitor, and the plain thank-you is the true answer.
    const offline = () => !client.status().online;
    now(offline() ? 4 : 3);
    await client.flush();
    if (offline()) now(4);
  };

  _onKey = (e: KeyboardEvent) => {
    const { key, shiftKey } = e;
    const d = this._q<HTMLDialogElement>('dialog');
    const focus = (d.getRootNode() as ShadowRoot).activeElement as HTMLElement;
    // In the rating: arrows move and choose (mirrored right to left), Home/End jump.
    if (focus?.role == 'radio') {
      const all = [...focus.parentElement!.children] as HTMLElement[];
      const n = all.length;
      const step = (this.props.copy.dir == 'rtl' && /^Arrow[LR]/.test(key) ? -1 : 1) * (steps[key] ?? 0);
      const i = step ? (all.indexOf(focus) + step + n) % n : key == 'Home' ? 0 : key == 'End' ? n - 1 : -1;
      if (i >= 0) {
        e.preventDefault();
        all[i].click();
      }
    }
    // Tab stays inside.
    if (key != 'Tab') return;
    const list = [...d.querySelectorAll<HTMLElement>('textarea,button:enabled:not([tabindex="-1"])')];
    const i = list.indexOf(focus);
    if (shiftKey ? i == 0 : i == list.length - 1 || i < 0) {
      e.preventDefault();
      list[shiftKey ? list.length - 1 : 0].focus();
    }
  };

  render({ settings: { scale, theme, position }, copy: { t, dir, lang, own, ownLang }, controls, triggers }: Props, { rating, phase }: State) {
    const choices = choicesFor(scale, t);
    const chosen = choices.findIndex(([value]) => value === rating);
    const nps = scale == 'nps';
    // Send says why it cannot send yet: aria-disabled (not disabled) keeps it focusable, and the hint
    // below it is its description.
    const unrated = rating == null;
    const prompt = unrated ? S.comment : S.followUpLow + scoreBand(scale, rating);
    // Attributes of an element showing text i: the site's own texts may be in another language, so
    // each takes its direction from its first strong letter, and its lang from customLocale.
    const text = (i: number) => ({ dir: 'auto', lang: (own[i] != null && ownLang) || lang });
    // Only the rating's buttons sit in the form and need type=button; the others submit nothing.
    return h('div', { ref: this._root, class: 'r', dir, lang, 'data-t': theme, 'data-pos': position },
      triggers.showLauncher && h('button', { class: 'l', 'aria-haspopup': 'dialog', onClick: () => controls.open!(), ...text(S.launcher) }, t[S.launcher]),
      // closedby="any": a click outside closes it too (light dismiss, where the browser supports it).
      h('dialog', { class: 'p', 'aria-labelledby': 'fp-q', closedby: 'any', onClose: this._onClose, onKeyDown: this._onKey },
        h('div', { class: 'h' },
          h('h2', { id: 'fp-q', ...text(S.question) }, t[S.question]),
          h('button', { class: 'x', 'aria-label': t[S.close], onClick: () => controls.close!() }, glyph('M6 6l12 12M18 6L6 18'))),
        phase > 2
          ? h('p', { class: 's', role: 'status', tabIndex: -1, ...text(phase > 3 ? S.saved : S.thanks) }, t[phase > 3 ? S.saved : S.thanks])
          : h('form', { onSubmit: this._submit },
            h('div', { role: 'radiogroup', 'aria-labelledby': 'fp-q', class: `g ${scale}` },
              choices.map(([value, label, icon], i) => h('button', {
                type: 'button', role: 'radio', 'aria-checked': i == chosen, tabIndex: i == Math.max(chosen, 0) ? 0 : -1,
                'aria-label': label, title: label,
                // The NPS end labels describe the two end options (0 and 10).
                'aria-describedby': nps && i % 10 == 0 ? 'fp-n' + i : undefined,
                // Stars fill up to the chosen one.
                class: scale == 'stars' && i <= chosen ? 'o on' : 'o',
                onClick: (e: MouseEvent) => {
                  this.setState({ rating: value });
                  (e.currentTarget as HTMLElement).focus();
                },
              }, icon ?? label))),
            nps && h('div', { class: 'a' },
              h('span', { id: 'fp-n0', ...text(S.npsLow) }, t[S.npsLow]),
              h('span', { id: 'fp-n10', ...text(S.npsHigh) }, t[S.npsHigh])),
            h('label', { for: 'fp-c', ...text(prompt) }, t[prompt]),
            // The visitor's comment can be in any language: its direction follows what they type.
            h('textarea', { id: 'fp-c', rows: 3, maxLength: 4000, dir: 'auto' }),
            phase == 2 && h('p', { class: 'e', role: 'alert', ...text(S.error) }, t[S.error]),
            h('div', { class: 'f' },
              unrated && h('p', { id: 'fp-h', ...text(S.pick) }, t[S.pick]),
              h('button', {
                type: 'submit', class: 'b', 'aria-disabled': unrated, disabled: phase == 1,
                'aria-describedby': unrated ? 'fp-h' : undefined, ...text(S.send),
              }, t[S.send])))));
  }
}
