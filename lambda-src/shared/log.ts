/**
 * One JSON line per event. Fields are primitives only, so an SDK error, a request or a token can
 * never be dumped into the log by passing an object; callers pass codes and names, never values
 * a client sent.
 */
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Readonly<Record<string, string | number | boolean>>;
export type Logger = (level: LogLevel, event: string, fields?: LogFields) => void;

export const consoleLogger: Logger = (level, event, fields = {}) => {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
};
