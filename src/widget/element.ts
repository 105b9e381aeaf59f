// The <feedpulse-widget> host element. Left undefined as a custom element: a valid custom element
// name may carry a shadow root without a definition, and with none there is nothing for a second
// bundle on the page (or a second init) to clash with. Host CSS such as `:not(:defined)` rules
// cannot hide it either: the shadow root's `:host { all: initial !important }` wins over them.
export const createHost = (): HTMLElement => document.createElement('feedpulse-widget');
