/** Entry point (handler `index.handler`) of the sample protected endpoint, GET /api. */
import { corsHeaders } from "../shared/cors.ts";
import type { ProxyEvent, ProxyResult } from "../shared/http.ts";
import { callerResponse } from "./caller.ts";

const responseHeaders = corsHeaders(process.env);

export const handler = (event: ProxyEvent): Promise<ProxyResult> =>
  Promise.resolve(callerResponse(event, new Date(), responseHeaders));
