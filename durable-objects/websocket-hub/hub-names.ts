/** Name of the hub object that keeps tokens issued without a client id; ":" never occurs in a client id. */
export const TOKEN_STORE = ":issued-tokens";

/** How the Worker authenticated an upgrade: the static `token`, none needed, or an issued token to consume. */
export type ConnectAuth = "static" | "none" | "issued";
