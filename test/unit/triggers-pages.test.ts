import { describe, it, expect, vi } from 'vitest';
import { compilePages } from '../../src/widget/pages';

const cases: [rule: string | undefined, path: string, matches: boolean][] = [
  [undefined, '/anything', true],
  ['', '/anything', true],
  ['/cart', '/cart', true],
  ['/cart', '/cart/', true],
  ['/cart', '/CART', true],
  ['/cart', '/cart/items', false],
  ['/cart', '/carts', false],
  ['/checkout*', '/checkout', true],
  ['/checkout*', '/checkout/pay', true],
  ['/checkout*', '/checkouts', true],
  ['/products/*', '/products', true],
  ['/products/*', '/products/shoe/red', true],
  ['/products/*', '/productsale', false],
  ['/*/reviews', '/shoe/reviews', true],
  ['/*/reviews', '/reviews', false],
  ['checkout', '/checkout', true],
  ['https://shop.example.com/cart', '/cart', true],
  ['/', '/', true],
  ['/', '/cart', false],
  ['*', '/x/y', true],
  ['!/admin*', '/cart', true],
  ['!/admin*', '/admin/users', false],
  ['/checkout*, !/checkout/done', '/checkout/pay', true],
  ['/checkout*, !/checkout/done', '/checkout/done', false],
  ['/cart,/checkout', '/checkout', true],
  ['/cart,/checkout', '/home', false],
  ['/a.b', '/aXb', false],
  ['/search(1)', '/search(1)', true],
  // Paths are matched as the browser encodes them: a non-ASCII pattern is written escaped.
  ['/caf%C3%A9', '/caf%C3%A9', true],
  ['/caf%c3%a9', '/caf%C3%A9', true],
];

describe('compilePages', () => {
  for (const [rule, path, matches] of cases) {
    it(`${JSON.stringify(rule)} ${matches ? 'matches' : 'does not match'} ${path}`, () => {
      const warn = vi.fn();
      expect(compilePages(rule, warn)(path)).toBe(matches);
      expect(warn).not.toHaveBeenCalled();
    });
  }

  it('warns once about empty "!" parts and ignores them', () => {
    const warn = vi.fn();
    const match = compilePages('/cart, !, ! ', warn);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('pages "');
    expect(match('/cart')).toBe(true);
    expect(match('/home')).toBe(false);
  });
});
