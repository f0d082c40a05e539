import { ConfigError } from "../../src/config/errors";
import { type AccountsSource, parseAccountsDocuments } from "../../src/config/load";

/** The files of a test case as loader input, in their declaration order. */
export function sourcesOf(files: Record<string, string>): AccountsSource[] {
  return Object.entries(files).map(([fileName, text]) => ({ fileName, text }));
}

/** Runs `action`, which must throw a ConfigError, and returns that error. */
export function configErrorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but the configuration was accepted");
}

/** Validates in-memory files and returns the ConfigError they must produce. */
export function issuesOf(files: Record<string, string>): ConfigError {
  return configErrorOf(() => parseAccountsDocuments(sourcesOf(files)));
}
