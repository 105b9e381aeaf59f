// Page context: secrets in query strings and fragments are redacted, everything else is kept verbatim.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { pageContext, redactUrl } from '../../src/core/page';

describe('redactUrl', () => {
  const cases: [string, string][] = [
    ['https://shop.example/reset?token=abc123&lang=de', 'https://shop.example/reset?token=redacted&lang=de'],
    ['https://a.io/?password=hunter2', 'https://a.io/?password=redacted'],
    ['https://a.io/p?api_key=K&key=V&keyword=shoes', 'https://a.io/p?api_key=redacted&key=redacted&keyword=shoes'],
    ['https://a.io/cb?code=xyz&state=1#access_token=T&token_type=bearer', 'https://a.io/cb?code=redacted&state=1#access_token=redacted&token_type=redacted'],
    ['https://a.io/?sessionid=9&AUTH=1&X-Amz-Signature=ff&jwt=e.y.j', 'https://a.io/?sessionid=redacted&AUTH=redacted&X-Amz-Signature=redacted&jwt=redacted'],
    ['https://a.io/p?q=running%20shoes&page=2#reviews', 'https://a.io/p?q=running%20shoes&page=2#reviews'],
    ['https://a.io/keys/token/path', 'https://a.io/keys/token/path'],
    ['', ''],
  ];
  it.each(cases)('%s', (input, output) => expect(redactUrl(input)).toBe(output));
});

describe('pageContext', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('reads location and document, redacting url and referrer', () => {
    vi.stubGlobal('location', { href: 'https://shop.example/checkout?step=2&token=s3cr3t', pathname: '/checkout' });
    vi.stubGlobal('document', { title: 'Checkout', referrer: 'https://mail.example/?session=abc' });
    expect(pageContext()).toEqual({
      url: 'https://shop.example/checkout?step=2&token=redacted', path: '/checkout', title: 'Checkout',
      referrer: 'https://mail.example/?session=redacted',
    });
  });
  it('never throws without a page', () => {
    expect(pageContext()).toEqual({ url: '', path: '' });
  });
});
