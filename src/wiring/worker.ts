import { createApp } from "../app.ts";
import { CHANNELS, OUTBOUNDS } from "./channels.ts";

/** The Worker's composition root: the app, given the channel list and every outbound as values. */
export const app = createApp({ channels: CHANNELS, outbounds: OUTBOUNDS });
