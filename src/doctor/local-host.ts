/** A gateway on this machine is the local `npm start` one (doctor then expects polling, .dev.vars, …). */
export const isLocalGatewayHost = (hostname: string) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|0\.0\.0\.0)$/.test(hostname);
