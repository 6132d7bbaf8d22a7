export default `---
name: skill-creator
description: Create or improve a skill (skills/<name>/SKILL.md) so the agent learns a reusable procedure.
---
# Creating a skill

A skill is a folder \`skills/<name>/\` in the workspace with a \`SKILL.md\`:

\`\`\`
---
name: <name>            # lowercase, digits, hyphens; same as the folder
description: <one line: what it does and when to use it — this line is all the agent sees until it reads the file>
always: false           # true = the whole file is put in every prompt (costs tokens on every message)
requires:
  env: [SOME_API_KEY]   # Worker variables/secrets it needs
  tools: [web_fetch]    # tools it needs
---
# <Title>
Step-by-step instructions, exact URLs/commands, examples, pitfalls.
\`\`\`

Guidelines: one job per skill; put the trigger in the description ("Use when …"); keep the body under
about 150 lines and move bulky reference material to other files in the folder (read on demand); prefer
\`always: false\`. Write it with \`write_file\`, then read it back to check. A workspace skill with the same name as
a built-in one replaces it; \`agents.defaults.disabledSkills\` turns skills off.
`;
