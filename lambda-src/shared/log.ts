/**
 * The one logger: one JSON line per event. Fields are primitives only, so an SDK error, a request
 * or a token can never be dumped into the log by passing an object; callers pass codes and names,
 * never values a client sent. Formatting is apart from writing, as in Powertools for AWS Lambda
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/#custom-log-formatter):
 * a hot path (the authorizer's decision line) builds its own line and hands it to the same writer.
 */
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Readonly<Record<string, string | number | boolean>>;
export type Logger = (level: LogLevel, event: string, fields?: LogFields) => void;
/** Where a finished line goes. */
export type LineWriter = (line: string, level: LogLevel) => void;

export function eventLine(level: LogLevel, event: string, fields: LogFields = {}): string {
  return JSON.stringify({ level, event, ...fields });
}

/** Through the runtime's console, errors on stderr. */
export const consoleWriter: LineWriter = (line, level) => {
  if (level === "error") console.error(line);
  else console.log(line);
};

/** Straight to stdout, so CloudWatch Logs (and Logs Insights) sees bare JSON without the runtime's text prefix. */
export const stdoutWriter: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

export function createLogger(write: LineWriter): Logger {
  return (level, event, fields) => {
    write(eventLine(level, event, fields), level);
  };
}

export const consoleLogger: Logger = createLogger(consoleWriter);
