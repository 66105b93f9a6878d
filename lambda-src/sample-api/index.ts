/** Entry point (handler `index.handler`) of the sample protected endpoint, GET /api. */
import type { ProxyEvent, ProxyResult } from "../shared/http.ts";
import { callerResponse } from "./caller.ts";

export const handler = (event: ProxyEvent): Promise<ProxyResult> => Promise.resolve(callerResponse(event, new Date()));
