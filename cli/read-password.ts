/**
 * Passwords reach the CLI from a prompt that does not echo, or from stdin when it is piped, never
 * from argv, where `ps` and shell history would show them.
 */
import type { Readable, Writable } from "node:stream";
import { CliUsageError } from "./errors.ts";

export interface PasswordInput extends Readable {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface PasswordPrompt {
  readonly input: PasswordInput;
  /** Where prompts go: stderr, so stdout stays clean for pipes. */
  readonly output: Writable;
}

const interrupt = "\u0003";
const endOfText = "\u0004";
const erase = new Set(["\u007f", "\b"]);

/** Reads one password; on a terminal, asks twice when `confirm` is set. */
export async function readPassword(prompt: PasswordPrompt, label: string, confirm: boolean): Promise<string> {
  if (prompt.input.isTTY !== true) return firstLine(prompt.input);
  const password = await promptHidden(prompt, `${label}: `);
  if (confirm && (await promptHidden(prompt, `Repeat ${label.toLowerCase()}: `)) !== password) {
    throw new CliUsageError("the two entries differ");
  }
  return password;
}

async function firstLine(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const line = Buffer.concat(chunks).toString("utf8").split(/\r?\n/, 1)[0] ?? "";
  if (line.length === 0) throw new CliUsageError("no password on stdin (pipe one line, or run in a terminal)");
  return line;
}

function promptHidden({ input, output }: PasswordPrompt, text: string): Promise<string> {
  output.write(text);
  input.setRawMode?.(true);
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (): void => {
      input.off("data", onData);
      input.setRawMode?.(false);
      input.pause();
      output.write("\n");
    };
    const onData = (chunk: string): void => {
      for (const character of chunk) {
        if (character === "\r" || character === "\n" || character === endOfText) {
          finish();
          resolve(value);
          return;
        }
        if (character === interrupt) {
          finish();
          reject(new CliUsageError("cancelled"));
          return;
        }
        value = erase.has(character) ? Array.from(value).slice(0, -1).join("") : value + character;
      }
    };
    input.on("data", onData);
    input.resume();
  });
}
