// The server's logger (src/server/logger.ts), under the name src/consumer/server.ts imports it by.
export { createLogger, type Logger, type LogEntry } from '../server/logger.js';
