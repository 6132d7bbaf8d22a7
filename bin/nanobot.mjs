#!/usr/bin/env node
// `npx nanobot …` runs on the project's own Node 24, which strips the types from the TypeScript CLI.
import "../cli/main.ts";
