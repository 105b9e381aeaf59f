// The wire rules both sides import (docs/contract.md): rating scales, score bands, project names.
export * from './scales';
export * from './bands';
export * from './project';
export * from './kafka';
