// Packages only a server that picks them needs (the broker clients) are optional peer dependencies
// of feedpulse, so a browser app that installs it gets none of them. They are imported on first use;
// when one is missing, the error names the package and the command that adds it.
import { BROKERS, neededBy, parseBrokerSpec } from './brokers/spec.js';

/** The message for a missing optional package: `<needed by> needs the <name> package: npm install <name>`. */
export const missingPeerMessage = (name: string, neededBy: string): string =>
  `${neededBy} needs the ${name} package: npm install ${name}`;

/** True when `err` says that the package `name` itself cannot be found (not a module inside it failing). */
function isMissing(err: unknown, name: string): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' && (message.includes(`'${name}'`) || message.includes(`"${name}"`));
}

/**
 * Loads an optional peer dependency: `load` is `() => import('<name>')` written out, so bundlers and
 * types see the real module. Any other failure (the package is there but throws) passes through.
 */
export async function importPeer<T>(name: string, neededBy: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (isMissing(err, name)) throw new Error(missingPeerMessage(name, neededBy), { cause: err });
    throw err;
  }
}

/** What names the RabbitMQ, NATS and Kafka clients' users (one wording for the sinks and the sources). */
export const AMQP_NEEDED_BY = neededBy('amqp');
export const NATS_NEEDED_BY = neededBy('nats');
export const KAFKA_NEEDED_BY = neededBy('kafka');

/**
 * Loads the broker client that `spec` (FEEDPULSE_BROKER) needs, so that a missing one stops a start
 * at once: the sinks and sources retry a failed connect forever, which suits a broker that is down,
 * not a package that is not installed.
 */
export async function checkBrokerPeer(spec: string | undefined): Promise<void> {
  const broker = parseBrokerSpec(spec);
  if (broker.kind === 'embedded') return;
  const name = BROKERS[broker.kind].peer;
  await importPeer(name, neededBy(broker.kind), () => import(/* @vite-ignore */ name) as Promise<unknown>);
}
