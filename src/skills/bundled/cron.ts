export default `---
name: cron
description: Reminders and recurring tasks with the cron tool (one-off, every N seconds, cron expressions with time zones).
requires:
  tools: [cron]
---
# Reminders and schedules

\`cron(action="add", ...)\` delivers \`message\` back to this chat when due. Pick one timing:

- one-off: \`at="2026-12-24T09:00:00"\` (ISO time; the user's timezone from USER.md, else \`tz\`)
- interval: \`every_seconds=3600\`
- calendar: \`cron_expr="0 9 * * 1-5"\` with \`tz="Europe/Berlin"\` (minute hour day month weekday)

Examples: "remind me in 20 minutes" → at = now + 20 min. "every weekday at 9" → \`0 9 * * 1-5\`.
"first of each month" → \`0 9 1 * *\`. Write \`message\` as the reminder text the user should read later.
\`cron(action="list")\` shows jobs with ids; \`cron(action="remove", job_id=...)\` deletes one. Confirm the
next run time in your answer. Periodic self-checks belong in HEARTBEAT.md instead.
`;
