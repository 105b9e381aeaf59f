import { describe, it, expect, vi } from 'vitest';
import { parseTrigger } from '../../src/widget/trigger-spec';

describe('parseTrigger', () => {
  const ok: [string, unknown][] = [
    ['button', ['button', 0]],
    ['manual', ['manual', 0]],
    ['exit', ['exit', 0]],
    [' EXIT ', ['exit', 0]],
    ['delay:10', ['delay', 10]],
    ['delay: 2.5s', ['delay', 2.5]],
    ['delay:0', ['delay', 0]],
    ['scroll:50', ['scroll', 50]],
    ['scroll:75%', ['scroll', 75]],
    ['scroll:100', ['scroll', 100]],
    ['selector:#give-feedback', ['selector', '#give-feedback']],
    ['selector:a[href="#x:y"], .Btn', ['selector', 'a[href="#x:y"], .Btn']],
  ];
  for (const [raw, spec] of ok) {
    it(`reads "${raw}" without a warning`, () => {
      const warn = vi.fn();
      expect(parseTrigger(raw, warn)).toEqual(spec);
      expect(warn).not.toHaveBeenCalled();
    });
  }

  it('uses button without a warning when unset', () => {
    const warn = vi.fn();
    expect(parseTrigger(undefined, warn)).toEqual(['button', 0]);
    expect(warn).not.toHaveBeenCalled();
  });

  const bad = ['', 'sideways', 'delay', 'delay:', 'delay:-3', 'delay:abc', 'delay:1e3', 'delay:100000',
    'scroll:101', 'scroll:-1', 'scroll:half', 'selector:', 'button:1', 'exit:now'];
  for (const raw of bad) {
    it(`warns once naming the setting for "${raw}" and falls back to button`, () => {
      const warn = vi.fn();
      expect(parseTrigger(raw, warn)).toEqual(['button', 0]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toContain('trigger "');
      expect(warn.mock.calls[0][0]).toContain('"button"');
    });
  }
});
