// Routing keys and subjects: `<project>.<type>`. Validation already limits project to
// [A-Za-z0-9_-]; anything else is replaced here too, so a token can never add a level or a wildcard.
export const token = (value: string): string => value.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
export const routingKeyOf = (project: string, type: string): string => `${token(project)}.${token(type)}`;
