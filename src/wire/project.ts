// The project-name rule of the wire format (docs/contract.md, "Events"), checked by the SDK when it
// starts (a name the collector refuses would lose every event at the first send) and by the
// collector on every event.

/** Names that are never a project (nor an event id, nor a key in free-form data): every Node
 *  process that reads events could confuse them with an object's own machinery. */
export const RESERVED_NAMES = ['__proto__', 'constructor', 'prototype'] as const;

/** A whole project name: 1–64 of A–Z a–z 0–9 _ -, and none of RESERVED_NAMES. */
export const PROJECT_NAME = /^(?!(?:__proto__|constructor|prototype)$)[\w-]{1,64}$/;

export const isProjectName = (name: unknown): name is string => typeof name === 'string' && PROJECT_NAME.test(name);
