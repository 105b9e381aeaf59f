// Finds the <script> element that loaded this bundle. document.currentScript is right for classic
// scripts (async included) while they run; the query covers code evaluated some other way (tag
// managers, inlined copies, loaders), where currentScript is null or some other, attribute-less tag.
// Neither found: no attributes, and init() says data-endpoint is missing.
export function findOwnScript(): Element | null {
  const current = document.currentScript;
  return current?.hasAttribute('data-endpoint') ? current : document.querySelector('script[src*="feedpulse"][data-endpoint]');
}
