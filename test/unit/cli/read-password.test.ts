import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CliUsageError } from "../../../cli/errors.ts";
import { readPassword, type PasswordInput } from "../../../cli/read-password.ts";

/** A fake terminal: typed keys arrive as data, raw mode is recorded, nothing is echoed. */
class FakeTerminal extends PassThrough implements PasswordInput {
  readonly isTTY = true;
  rawModes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}

const promptTo = (input: PasswordInput) => {
  const output = new PassThrough();
  let shown = "";
  output.on("data", (chunk: Buffer) => (shown += chunk.toString("utf8")));
  return { prompt: { input, output }, shown: () => shown };
};

describe("readPassword from a pipe", () => {
  it.each([
    ["a line with LF", "secret one\n", "secret one"],
    ["a line with CRLF", "secret two\r\nignored\n", "secret two"],
    ["a line without newline", "secret three", "secret three"],
  ])("takes the first line of %s", async (_label, piped, expected) => {
    // Act
    const password = await readPassword(promptTo(Readable.from([piped])).prompt, "Password", true);

    // Assess
    expect(password).toBe(expected);
  });

  it("refuses an empty stdin", async () => {
    await expect(readPassword(promptTo(Readable.from([""])).prompt, "Password", false)).rejects.toBeInstanceOf(
      CliUsageError,
    );
  });
});

describe("readPassword from a terminal", () => {
  it("reads without echo, honours backspace, and confirms", async () => {
    // Prepare
    const terminal = new FakeTerminal();
    const { prompt, shown } = promptTo(terminal);

    // Act
    const reading = readPassword(prompt, "Password", true);
    terminal.write("hunter22\u007f2\r");
    await new Promise((resolve) => setImmediate(resolve));
    terminal.write("hunter22\r");
    const password = await reading;

    // Assess
    expect(password).toBe("hunter22");
    expect(shown()).toBe("Password: \nRepeat password: \n");
    expect(terminal.rawModes).toEqual([true, false, true, false]);
  });

  it.each([
    ["differing entries", ["first\r", "second\r"]],
    ["Ctrl-C", ["abc\u0003"]],
  ])("refuses %s", async (_label, keystrokes) => {
    // Prepare
    const terminal = new FakeTerminal();
    const outcome = readPassword(promptTo(terminal).prompt, "Password", true).then(
      () => undefined,
      (error: unknown) => error,
    );

    // Act
    for (const keys of keystrokes) {
      terminal.write(keys);
      await new Promise((resolve) => setImmediate(resolve));
    }

    // Assess
    expect(await outcome).toBeInstanceOf(CliUsageError);
  });
});
