// Optional peer dependencies: a missing one is named, with the command that adds it.
import { describe, expect, it } from 'vitest';
import { checkBrokerPeer, importPeer } from '../../src/server/peer';

describe('importPeer', () => {
  it('names a missing package and the command that installs it', async () => {
    const name = `feedpulse-no-such-package-${Math.random().toString(36).slice(2)}`;
    const load = importPeer(name, 'FEEDPULSE_BROKER=amqp://…', () => import(/* @vite-ignore */ name));
    await expect(load).rejects.toThrow(`FEEDPULSE_BROKER=amqp://… needs the ${name} package: npm install ${name}`);
  });

  it('passes through the error of a package that is there but fails to load', async () => {
    const broken = new Error('init failed');
    await expect(importPeer('amqplib', 'x', () => Promise.reject(broken))).rejects.toBe(broken);
  });

  it('returns the module when it is installed', async () => {
    const amqp = await importPeer('amqplib', 'x', () => import('amqplib'));
    expect(typeof amqp.connect).toBe('function');
  });

  it('checkBrokerPeer loads the client a broker URL needs, nothing for the embedded log', async () => {
    await expect(checkBrokerPeer(undefined)).resolves.toBeUndefined();
    await expect(checkBrokerPeer('amqp://127.0.0.1:1')).resolves.toBeUndefined();
    await expect(checkBrokerPeer('nats://127.0.0.1:1')).resolves.toBeUndefined();
    await expect(checkBrokerPeer('kafka://127.0.0.1:1')).resolves.toBeUndefined();
    await expect(checkBrokerPeer('redis://x')).rejects.toThrow('FEEDPULSE_BROKER: unknown sink');
  });
});
