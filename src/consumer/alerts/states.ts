// State kept by stateful alert rules, by rule name; saved in the consumer checkpoint.
import type { DropState } from './drop';

export type AlertRuleStates = Record<string, DropState>;
