// An alert as a Slack-compatible incoming-webhook body: { text, blocks }. Slack treats &, < and > in
// text as markup, so user text is escaped.
import type { Alert } from './evaluate';
import { clipText } from '../../collector/clip-text';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const clip = (s: string, n: number): string => (s.length > n ? `${clipText(s, n - 1)}…` : s);

function ratingLabel(a: Alert): string {
  if (a.rating === undefined || !a.scale) return '';
  if (a.scale === 'stars') return `${a.rating}★`;
  if (a.scale === 'thumbs') return a.rating ? 'thumbs up' : 'thumbs down';
  return `${a.rating} (${a.scale})`;
}

export function slackMessage(alert: Alert, dashboardUrl?: string) {
  const icon = alert.severity === 'critical' ? ':rotating_light:' : ':warning:';
  const rules = alert.matches.map((m) => m.rule).join(', ');
  const headline = `${icon} Feedpulse ${alert.severity}: ${ratingLabel(alert)} on ${escape(alert.path)} (${alert.project}) — ${escape(rules)}`;
  const quote = alert.comment ? `\n> ${escape(clip(alert.comment, 500)).replace(/\n/g, '\n> ')}` : '';
  const text = `${headline}${quote}`;
  const details = alert.matches.map((m) => `• *${escape(m.rule)}*: ${escape(m.detail)}`).join('\n');
  const context = [`event ${alert.id}`, new Date(alert.at).toISOString()];
  if (dashboardUrl) context.push(`<${dashboardUrl}|open dashboard>`);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'section', text: { type: 'mrkdwn', text: details } },
      { type: 'context', elements: context.map((t) => ({ type: 'mrkdwn', text: t })) },
    ],
  };
}
