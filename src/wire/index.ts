// The wire rules both sides import (docs/contract.md): rating scales, score bands, project names,
// the Kafka topic and the Retry-After rule.
export * from './scales';
export * from './bands';
export * from './project';
export * from './kafka';
export * from './retry-after';
