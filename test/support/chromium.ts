/**
 * A real Chromium for the browser suite, driven by playwright-core over its own executable: no
 * browser download (none is reachable here, and Debian's build is the one CI installs).
 *
 * CHROMIUM_PATH names the executable; otherwise the first of chromium, chromium-browser,
 * google-chrome-stable, google-chrome on PATH. None found is an error that says how to get one:
 * the suite fails, it never passes without a browser.
 */
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const candidates = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== "") {
    if (!executable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
    return configured;
  }
  const dirs = (env.PATH ?? "").split(delimiter).filter((dir) => dir !== "");
  for (const name of candidates) {
    const found = dirs.map((dir) => join(dir, name)).find(executable);
    if (found !== undefined) return found;
  }
  throw new Error(
    `no Chromium found (looked for ${candidates.join(", ")} on PATH): install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable`,
  );
}

/**
 * These flags keep Chromium to the pages under test: without the background-networking ones it
 * opens connections of its own, which a closed network refuses, and a fresh profile carries no
 * cached preflight or cookie from an earlier run.
 */
const launchArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  const profile = await mkdtemp(join(tmpdir(), "jwt-api-chromium-"));
  const context = await chromium
    .launchPersistentContext(profile, { executablePath, headless: true, args: launchArgs })
    .catch(async (error: unknown) => {
      await rm(profile, { recursive: true, force: true });
      throw error;
    });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
