/**
 * The app shell: the one HTML page every view URL answers with (the UI
 * routes on the client), carrying the per-process token for state-changing
 * calls, and the Content-Security-Policy that lets only the console's own
 * scripts run.
 */
import { createHash } from 'node:crypto';
import { IMPORT_MAP } from './assets.js';

const importMapHash = createHash('sha256').update(IMPORT_MAP).digest('base64');

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'sha256-${importMapHash}'`,
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function shellHtml(token: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="console-token" content="${escapeAttribute(token)}">
<title>kafkaless console</title>
<link rel="stylesheet" href="/ui/style.css">
<link rel="stylesheet" href="/vendor/uPlot.min.css">
<script type="importmap">${IMPORT_MAP}</script>
<script type="module" src="/ui/app.js"></script>
</head>
<body>
<div id="app"><noscript>The kafkaless console needs JavaScript.</noscript></div>
</body>
</html>
`;
}

/** The view URLs the UI knows; the server answers 404 (with the shell, which shows "not found") for any other. */
export const VIEW_PATTERNS = ['/', '/topics', '/topics/:name', '/topics/:name/messages', '/topics/:name/partitions/:partition', '/groups', '/groups/:id', '/transactions', '/maintenance'] as const;
