// An alert as a Slack-compatible incoming-webhook body: { text, blocks, allowed_mentions }, the
// shape Slack, Mattermost and Discord's /slack endpoint all take. Every visitor-supplied string
// (path, project, comment, the rule details that quote them) is data, never markup: see chatText.
import type { Alert } from './evaluate';
import { clipText } from '../../collector/clip-text';
import { chatCode, chatLine, chatText } from './chat-text';

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
  const headline = `${icon} Feedpulse ${alert.severity}: ${ratingLabel(alert)} on ${chatLine(clip(alert.path, 300))} (${chatLine(alert.project)}) — ${chatLine(rules)}`;
  const quote = alert.comment ? `\n> ${chatText(clip(alert.comment, 500)).replace(/\n/g, '\n> ')}` : '';
  const text = `${headline}${quote}`;
  const details = alert.matches.map((m) => `• *${chatLine(m.rule)}*: ${chatLine(m.detail)}`).join('\n');
  const context = [`event ${chatCode(alert.id)}`, new Date(alert.at).toISOString()];
  if (dashboardUrl) context.push(`<${dashboardUrl}|open dashboard>`);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'section', text: { type: 'mrkdwn', text: details } },
      { type: 'context', elements: context.map((t) => ({ type: 'mrkdwn', text: t })) },
    ],
    // Discord (and its Slack-compatible endpoint) pings nobody from this message, whatever it says.
    allowed_mentions: { parse: [] as string[] },
  };
}
