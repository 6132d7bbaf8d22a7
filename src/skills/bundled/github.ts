export default `---
name: github
description: Look up GitHub repositories, issues, pull requests and releases through the REST API.
requires:
  tools: [web_fetch]
---
# GitHub (REST API, read-only)

Base URL \`https://api.github.com\`; answers are JSON. Without a token the limit is 60 requests per hour, so
ask for exactly what you need (\`per_page\`, \`state\`, \`sort\`).

| want | request |
|---|---|
| repo facts (stars, language, default branch) | \`GET /repos/{owner}/{repo}\` |
| open issues | \`GET /repos/{owner}/{repo}/issues?state=open&per_page=10\` (items with \`pull_request\` are PRs) |
| one issue / PR with body | \`GET /repos/{owner}/{repo}/issues/{n}\`, comments: \`.../issues/{n}/comments\` |
| pull requests | \`GET /repos/{owner}/{repo}/pulls?state=open&per_page=10\` |
| latest release | \`GET /repos/{owner}/{repo}/releases/latest\` |
| search issues | \`GET /search/issues?q=repo:{owner}/{repo}+is:issue+<words>\` |
| file content | \`https://raw.githubusercontent.com/{owner}/{repo}/{branch}/{path}\` |

Fetch with \`web_fetch(url, extractMode="text")\`. Report numbers and titles with links
(\`https://github.com/{owner}/{repo}/issues/{n}\`). Writing (comments, issues) needs a token and the user's
explicit request; this skill does not do it.
`;
