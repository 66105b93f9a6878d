/** Entry point (handler `index.handler`): everything is built once per cold start, at import. */
import { bootstrap } from "./bootstrap.ts";

export const handler = bootstrap(process.env);
