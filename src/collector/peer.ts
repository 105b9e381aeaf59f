// Optional broker packages (src/server/peer.ts), under the name src/consumer/server.ts imports them by.
export { importPeer, checkBrokerPeer, missingPeerMessage, AMQP_NEEDED_BY, NATS_NEEDED_BY, KAFKA_NEEDED_BY } from '../server/peer.js';
