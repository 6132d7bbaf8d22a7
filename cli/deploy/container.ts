import { spawnSync } from "node:child_process";

export interface ContainerChoice {
  /** Extra `wrangler deploy` arguments. */
  args: string[];
  /** One line for the plan. */
  summary: string;
}

/**
 * The sandbox container is built from sandbox-runner/Dockerfile, which needs a Docker engine. Without one the
 * Worker still deploys (`--containers-rollout=none` leaves any deployed container as it is) and `exec`
 * answers with an error saying no sandbox runner is reachable, unless tools.exec.runnerUrl names one.
 */
export function chooseContainer(wranglerArgs: string[], hasContainers: boolean): ContainerChoice {
  if (!hasContainers) return { args: [], summary: "none configured" };
  if (wranglerArgs.some((a) => a.startsWith("--containers-rollout"))) return { args: [], summary: "as given after --" };
  if (spawnSync("docker", ["info"], { stdio: "ignore" }).status === 0) return { args: [], summary: "built with Docker and deployed (sandbox-runner/Dockerfile)" };
  return {
    args: ["--containers-rollout=none"],
    summary:
      "skipped: Docker is not available. exec answers with an error until a sandbox runner is reachable: install Docker and deploy again, " +
      "or set tools.exec.runnerUrl (+ runnerSecret) to a runner you host",
  };
}
