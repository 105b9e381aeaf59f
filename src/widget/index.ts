// npm entry (`feedpulse`): init() for the SDK plus widget, and everything the headless entry offers.
export { init } from './init';
export { createClient } from '../core/index';
export type * from '../core/types';
export type { InitConfig, WidgetConfig, FollowUpQuestions, Position, Theme, Trigger } from './config';
export type { StringKey, Strings } from './locales/index';
