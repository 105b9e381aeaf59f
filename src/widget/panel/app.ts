// The panel in one class component: a native <dialog> shown with showModal(), so it sits in the top layer above any host modal or z-index,
// named by the question, Tab kept inside, Escape (the native cancel) closing it — holding the rating
// radio group, the comment and Send. The launcher is not here: it is plain DOM drawn by
// src/widget/mount.ts before this code has loaded.
// file size hacks: a class component, not hooks: Preact's hooks module would add about 1.1 KB brotli.
import { Component, createRef, h, type RefObject } from 'preact';
import type { FeedpulseClient } from '../../core/types';
import type { Copy, StringKey } from '../locales/index';
import type { Settings } from '../settings';
import { choicesFor, glyph } from './scales';
import { scoreBand } from '../../wire/bands';

export interface PanelProps {
  settings: Settings;
  copy: Copy;
  client: FeedpulseClient;
  /** Told when the visitor has answered (no more auto-opens). */
  answered(): void;
  /** The launcher, where focus goes on close when the element that opened the panel is gone. */
  launcher(): HTMLElement | undefined;
  /** Where the App puts itself once mounted, for drawPanel's open() and close(). */
  app: RefObject<App | null>;
}

/**
 * Where the form is: `form` (choosing), `sending`, `failed` (shown with role=alert), `thanks` (the
 * event is stored) or `saved` (stored while offline, sent when back online).
 */
export type Phase = 'form' | 'sending' | 'failed' | 'thanks' | 'saved';

/** The phases that replace the form with a status message. */
const isAnswered = (phase: Phase) => phase === 'thanks' || phase === 'saved';

// The comment is not state: the textarea keeps its own value (Preact leaves an uncontrolled field
// alone) and is read on submit; a close resets the form.
interface State {
  open?: boolean;
  rating?: number;
  phase: Phase;
}

const freshState: State = { open: false, rating: undefined, phase: 'form' };
/** The follow-up question of each score band (low, mid, high: src/wire/bands.ts). */
const followUpKeys: readonly StringKey[] = ['followUpLow', 'followUpMid', 'followUpHigh'];
/** Where each key moves the rating from option `at`, as an index for Array.at() (taken modulo the
 *  count: -1 is the last option, so a step back from the first wraps round). `forward` is -1 right
 *  to left, where the arrows are mirrored. */
const moves: Record<string, (at: number, forward: number) => number> = {
  ArrowRight: (at, forward) => at + forward,
  ArrowLeft: (at, forward) => at - forward,
  ArrowDown: (at) => at + 1,
  ArrowUp: (at) => at - 1,
  Home: () => 0,
  End: () => -1,
};

/** The focused element, looking inside open shadow roots. */
function deepActive(): HTMLElement | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element as HTMLElement | null;
}

export class App extends Component<PanelProps, State> {
  override state = freshState;
  _dialog = createRef<HTMLDialogElement>();
  /** Where focus was when the panel opened: it goes back there on close. */
  _opener: HTMLElement | null = null;
  _isOpen = false;
  /** Bumped on every send and close, so a late answer cannot change a newer form. */
  _attempt = 0;
  /** A `close` event that arrives after the panel was opened again is stale. */
  _onClose = () => {
    if (!this._dialog.current!.open) this._close();
  };

  _find = <T extends Element>(selector: string) => this._dialog.current!.querySelector<T>(selector)!;

  /** The form afresh, opening or closing: no rating, phase `form`, and the empty comment (the
   *  textarea keeps its own value, so the form is reset too). On open as well as on close, because an
   *  open() can come before the close event of a panel the browser shut, and then close() never ran. */
  _reset(open: boolean) {
    this.setState({ ...freshState, open });
    this._dialog.current!.querySelector('form')?.reset();
  }

  override componentDidMount() {
    this.props.app.current = this;
  }

  /** Opens the panel (Panel.open, through drawPanel). */
  _open = () => {
    // The dialog itself says whether it is open: the browser closes it at once on Escape or a click
    // outside, but fires `close` only at the next animation frame — an open() before that must work.
    if (this._isOpen && this._dialog.current!.open) return;
    this._isOpen = true;
    this._attempt++;
    const active = deepActive();
    // Keep the first opener when the panel is closed and reopened within one task.
    if (!this._dialog.current!.contains(active)) this._opener = active;
    this._reset(true);
  };

  /** Closes the panel and puts focus back (Panel.close, the close button, the dialog's `close`). */
  _close = () => {
    if (!this._isOpen) return;
    this._isOpen = false;
    this._attempt++;
    this._reset(false);
    const back = this._opener;
    const target = back && back !== document.body && back.isConnected ? back : this.props.launcher();
    target?.focus();
  };

  override componentDidUpdate(_: PanelProps, was: State) {
    const dialog = this._dialog.current!;
    const { open, phase } = this.state;
    if (open && !dialog.open) {
      // Browsers without modal dialogs (or a refusal) still get an open panel.
      try {
        dialog.showModal();
      } catch {
        dialog.setAttribute('open', '');
      }
      this._find<HTMLElement>('[tabindex="0"]').focus();
    }
    if (!open && dialog.open) dialog.close();
    if (isAnswered(phase) && !isAnswered(was.phase)) this._find<HTMLElement>('.status').focus();
  }

  _submit = async (event: Event) => {
    event.preventDefault();
    const { rating, phase } = this.state;
    const { client, settings: { scale } } = this.props;
    if (rating === undefined || phase === 'sending') return;
    const attempt = ++this._attempt;
    const show = (next: Phase) => {
      if (attempt === this._attempt) this.setState({ phase: next });
    };
    const comment = this._find<HTMLTextAreaElement>('textarea').value.trim();
    show('sending');
    try {
      // No comment field at all when it is empty.
      await client.feedback(comment ? { rating, scale, comment } : { rating, scale });
    } catch {
      show('failed');
      return;
    }
    this.props.answered();
    // The event is stored. "Sent when you are back online" is said only when the browser is offline
    // (before or after this send): online, a send that failed (collector down, refused) is retried
    // without the visitor, and the plain thank-you is the true answer.
    const offline = () => !client.status().online;
    show(offline() ? 'saved' : 'thanks');
    await client.flush();
    if (offline()) show('saved');
  };

  _onKey = (event: KeyboardEvent) => {
    const { key, shiftKey } = event;
    // Keys go to the focused element, so the target is the focused control (or the dialog itself).
    const focus = event.target as HTMLElement;
    // In the rating: arrows move and choose, Home/End jump.
    const move = moves[key];
    if (move && focus.role === 'radio') {
      const options = [...focus.parentElement!.children] as HTMLElement[];
      const forward = this.props.copy.dir === 'rtl' ? -1 : 1;
      event.preventDefault();
      options.at(move(options.indexOf(focus), forward) % options.length)!.click();
    }
    // Tab stays inside.
    if (key !== 'Tab') return;
    const stops = [...this._dialog.current!.querySelectorAll<HTMLElement>('textarea,button:enabled:not([tabindex="-1"])')];
    const at = stops.indexOf(focus);
    const leaving = shiftKey ? at === 0 : at === stops.length - 1 || at < 0;
    if (leaving) {
      event.preventDefault();
      stops.at(shiftKey ? -1 : 0)!.focus();
    }
  };

  render({ settings: { scale, range }, copy: { text, langOf } }: PanelProps, { rating, phase }: State) {
    const choices = choicesFor(scale, range, text);
    const chosen = choices.findIndex(([value]) => value === rating);
    const nps = scale === 'nps';
    // Send says why it cannot send yet: aria-disabled (not disabled) keeps it focusable, and the hint
    // below it is its description.
    const unrated = rating === undefined;
    const prompt: StringKey = unrated ? 'comment' : followUpKeys[scoreBand(scale, rating)];
    const status: StringKey = phase === 'saved' ? 'saved' : 'thanks';
    // Attributes of an element showing the text `key`: the site's own texts may be in another
    // language, so each takes its direction from its first strong letter, and its lang from customLocale.
    const textAttributes = (key: StringKey) => ({ dir: 'auto', lang: langOf(key) });
    // Only the rating's buttons sit in the form and need type=button; the others submit nothing.
    // closedby="any": a click outside closes it too (light dismiss, where the browser supports it).
    return h('dialog', { ref: this._dialog, class: 'panel', 'aria-labelledby': 'fp-q', closedby: 'any', onClose: this._onClose, onKeyDown: this._onKey },
      h('div', { class: 'header' },
        h('h2', { id: 'fp-q', ...textAttributes('question') }, text.question),
        h('button', { class: 'close', 'aria-label': text.close, onClick: this._close }, glyph('M6 6l12 12M18 6L6 18'))),
      isAnswered(phase)
        ? h('p', { class: 'status', role: 'status', tabIndex: -1, ...textAttributes(status) }, text[status])
        : h('form', { onSubmit: this._submit },
          h('div', { role: 'radiogroup', 'aria-labelledby': 'fp-q', class: `choices ${scale}` },
            choices.map(([value, label, icon], i) => h('button', {
              type: 'button', role: 'radio', 'aria-checked': i === chosen, tabIndex: i === Math.max(chosen, 0) ? 0 : -1,
              'aria-label': label, title: label,
              // The NPS end labels describe the two end options (0 and 10).
              'aria-describedby': nps && i % 10 === 0 ? 'fp-n' + i : undefined,
              // Stars fill up to the chosen one.
              class: scale === 'stars' && i <= chosen ? 'choice filled' : 'choice',
              onClick: (event: MouseEvent) => {
                this.setState({ rating: value });
                (event.currentTarget as HTMLElement).focus();
              },
            }, icon ?? label))),
          nps && h('div', { class: 'ends' },
            h('span', { id: 'fp-n0', ...textAttributes('npsLow') }, text.npsLow),
            h('span', { id: 'fp-n10', ...textAttributes('npsHigh') }, text.npsHigh)),
          h('label', { for: 'fp-c', ...textAttributes(prompt) }, text[prompt]),
          // The visitor's comment can be in any language: its direction follows what they type.
          h('textarea', { id: 'fp-c', rows: 3, maxLength: 4000, dir: 'auto' }),
          phase === 'failed' && h('p', { class: 'error', role: 'alert', ...textAttributes('error') }, text.error),
          h('div', { class: 'footer' },
            unrated && h('p', { id: 'fp-h', ...textAttributes('pick') }, text.pick),
            h('button', {
              type: 'submit', class: 'send', 'aria-disabled': unrated, disabled: phase === 'sending',
              'aria-describedby': unrated ? 'fp-h' : undefined, ...textAttributes('send'),
            }, text.send))));
  }
}
