/**
 * Countersign's look, in one stylesheet: the colours, type, top bar, buttons, fields, badges,
 * notices and cards that the dashboard (web/, through the `virtual:countersign-theme.css` module
 * its Vite config serves from this string) and the pages an email link opens (layout.ts, inline
 * and allowed by its hash) both use, so a person going from an email to the dashboard sees one
 * product. Pure text: no Node, no DOM.
 */

/** The shared stylesheet. Edit here; the dashboard's own rules (web/src/styles.css) build on it. */
export const THEME_CSS = `/* Countersign dashboard: calm neutrals, one accent, status colours always paired with text. */
:root {
  --bg: #f5f6f8;
  --surface: #ffffff;
  --border: #dde1e7;
  --border-strong: #c3c9d2;
  --text: #1b2430;
  --muted: #5b6675;
  --accent: #2f5bd3;
  --accent-strong: #2347ab;
  --focus: #2f5bd3;
  --radius: 10px;
  --shadow: 0 1px 2px rgba(16, 24, 40, 0.06), 0 1px 3px rgba(16, 24, 40, 0.05);

  --success: #1e7b43;
  --success-bg: #e7f5ec;
  --danger: #b42318;
  --danger-bg: #fdecea;
  --warning: #9a5800;
  --warning-bg: #fff3df;
  --info: #1d56c9;
  --info-bg: #e8f0ff;
  --waiting: #6b3fa0;
  --waiting-bg: #f3ecfb;
  --neutral: #5b6675;
  --neutral-bg: #f1f3f5;

  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px;
  line-height: 1.5;
  color: var(--text);
  background: var(--bg);
  -webkit-text-size-adjust: 100%;
}

*,
*::before,
*::after {
  box-sizing: border-box;
}

body {
  margin: 0;
  min-height: 100vh;
}

h1,
h2,
h3 {
  line-height: 1.25;
  margin: 0 0 0.5rem;
}
h1 {
  font-size: 1.6rem;
  font-weight: 650;
}
h2 {
  font-size: 1.1rem;
  font-weight: 620;
  margin-top: 1.75rem;
}
h3 {
  font-size: 1rem;
  font-weight: 620;
}
p {
  margin: 0 0 0.5rem;
}
a {
  color: var(--accent);
  text-underline-offset: 2px;
}
a:hover {
  color: var(--accent-strong);
}
code,
pre {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 0.85rem;
}

:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
  border-radius: 4px;
}

.muted {
  color: var(--muted);
}
.break {
  overflow-wrap: anywhere;
}
.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
}

.skip-link {
  font: inherit;
  border: 1px solid var(--border-strong);
  cursor: pointer;
  position: absolute;
  left: 0.5rem;
  top: -3rem;
  background: var(--surface);
  padding: 0.5rem 0.75rem;
  border-radius: 6px;
  z-index: 10;
}
.skip-link:focus {
  top: 0.5rem;
}

/* Top bar */
.topbar {
  background: #1f2a37;
  color: #fff;
}
.topbar-inner {
  max-width: 1180px;
  margin: 0 auto;
  padding: 0.6rem 1.25rem;
  display: flex;
  align-items: center;
  gap: 1.5rem;
  flex-wrap: wrap;
}
.brand {
  color: #fff;
  text-decoration: none;
  font-weight: 650;
  font-size: 1.05rem;
  display: inline-flex;
  align-items: center;
  gap: 0.5rem;
}
.brand:hover {
  color: #fff;
}
.brand-mark {
  background: var(--accent);
  border-radius: 6px;
  font-size: 0.7rem;
  padding: 0.2rem 0.3rem;
  letter-spacing: -2px;
}
.env {
  font-size: 0.7rem;
  font-weight: 600;
  text-transform: uppercase;
  letter-spacing: 0.05em;
  background: #3a4757;
  color: #e4e8ee;
  border-radius: 999px;
  padding: 0.05rem 0.5rem;
}
.nav {
  display: flex;
  gap: 0.25rem;
  flex: 1;
  overflow-x: auto;
}
.nav a {
  color: #d5dbe3;
  text-decoration: none;
  padding: 0.4rem 0.75rem;
  border-radius: 6px;
  white-space: nowrap;
}
.nav a:hover {
  background: #2c3948;
  color: #fff;
}
.nav a[aria-current="page"] {
  background: #34445a;
  color: #fff;
  box-shadow: inset 0 -2px 0 #8fb0ff;
}
.topbar :focus-visible {
  outline-color: #8fb0ff;
}
.account {
  display: flex;
  align-items: center;
  gap: 0.75rem;
  color: #d5dbe3;
  font-size: 0.9rem;
  min-width: 0;
}
.account a {
  color: #fff;
}
.account-email {
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
  max-width: 16rem;
}

.main {
  max-width: 1180px;
  margin: 0 auto;
  padding: 1.5rem 1.25rem 4rem;
}
.main:focus {
  outline: none;
}
.page-header {
  margin-bottom: 1rem;
}
.page-header-row {
  display: flex;
  justify-content: space-between;
  align-items: flex-start;
  gap: 1rem;
}
.breadcrumb {
  margin-bottom: 0.5rem;
  font-size: 0.9rem;
}
.count {
  display: inline-block;
  min-width: 1.6rem;
  text-align: center;
  font-size: 0.8rem;
  background: var(--neutral-bg);
  border: 1px solid var(--border);
  border-radius: 999px;
  padding: 0 0.4rem;
  margin-left: 0.25rem;
  vertical-align: 2px;
}

/* Buttons and fields */
.button {
  font: inherit;
  font-weight: 600;
  border-radius: 8px;
  border: 1px solid transparent;
  padding: 0.55rem 1.1rem;
  cursor: pointer;
  min-height: 44px;
  line-height: 1.2;
}
.button:disabled {
  opacity: 0.6;
  cursor: progress;
}
.button-small {
  min-height: 32px;
  padding: 0.3rem 0.7rem;
  font-size: 0.85rem;
}
.button-primary {
  background: var(--accent);
  color: #fff;
}
.button-primary:hover:not(:disabled) {
  background: var(--accent-strong);
}
.button-approve {
  background: var(--success);
  color: #fff;
}
.button-approve:hover:not(:disabled) {
  background: #176335;
}
.button-reject {
  background: var(--surface);
  color: var(--danger);
  border-color: #e3a29c;
}
.button-reject:hover:not(:disabled) {
  background: var(--danger-bg);
}
.button-quiet {
  background: var(--surface);
  color: var(--text);
  border-color: var(--border-strong);
}
.account .button-quiet {
  color: #fff;
  border-color: #4a596b;
  background: transparent;
}
.account .button-quiet:hover {
  background: #2c3948;
}
label {
  font-weight: 600;
  font-size: 0.9rem;
  display: block;
  margin-bottom: 0.25rem;
}
input,
select,
textarea {
  font: inherit;
  color: var(--text);
  background: var(--surface);
  border: 1px solid var(--border-strong);
  border-radius: 8px;
  padding: 0.5rem 0.65rem;
  width: 100%;
  min-height: 44px;
}
textarea {
  resize: vertical;
  min-height: 3.2rem;
}
input:focus-visible,
select:focus-visible,
textarea:focus-visible {
  outline-offset: 0;
  border-color: var(--focus);
}
.stack > * + * {
  margin-top: 0.75rem;
}
.stack label {
  margin-bottom: -0.5rem;
}

/* Badges */
.badge {
  display: inline-flex;
  align-items: center;
  gap: 0.35rem;
  font-size: 0.8rem;
  font-weight: 600;
  border-radius: 999px;
  padding: 0.15rem 0.6rem;
  border: 1px solid currentColor;
  white-space: nowrap;
}
.badge-symbol {
  font-size: 0.7rem;
}
.badge-success {
  color: var(--success);
  background: var(--success-bg);
}
.badge-danger {
  color: var(--danger);
  background: var(--danger-bg);
}
.badge-warning {
  color: var(--warning);
  background: var(--warning-bg);
}
.badge-info {
  color: var(--info);
  background: var(--info-bg);
}
.badge-waiting {
  color: var(--waiting);
  background: var(--waiting-bg);
}
.badge-neutral {
  color: var(--neutral);
  background: var(--neutral-bg);
}

/* Notices */
.notice {
  border-radius: var(--radius);
  padding: 0.75rem 1rem;
  margin: 0.75rem 0;
  border: 1px solid;
}
.notice p {
  margin: 0.25rem 0 0;
}
.notice-danger {
  background: var(--danger-bg);
  border-color: #f0b7b1;
  color: #7a1a12;
}
.notice-success {
  background: var(--success-bg);
  border-color: #a9d8b9;
  color: #14532d;
}
.empty {
  background: var(--surface);
  border: 1px dashed var(--border-strong);
  border-radius: var(--radius);
  padding: 1.5rem;
  text-align: center;
}
.empty-title {
  font-weight: 600;
}
.loading {
  color: var(--muted);
  display: flex;
  align-items: center;
  gap: 0.5rem;
}
.spinner {
  width: 1rem;
  height: 1rem;
  border-radius: 50%;
  border: 2px solid var(--border-strong);
  border-top-color: var(--accent);
  animation: spin 0.8s linear infinite;
}
@keyframes spin {
  to {
    transform: rotate(360deg);
  }
}
@media (prefers-reduced-motion: reduce) {
  .spinner {
    animation: none;
  }
}
.hint {
  background: var(--info-bg);
  border-radius: 8px;
  padding: 0.5rem 0.75rem;
  font-size: 0.9rem;
}

/* Cards */
.card,
.panel,
.auth-card {
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  box-shadow: var(--shadow);
}
`;
