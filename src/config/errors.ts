/** One problem found in the accounts configuration. */
export interface ConfigIssue {
  /** The file as it was given (e.g. "config/accounts.yaml"). */
  file: string;
  /** 1-based line, or 0 when the problem is about the whole file (it could not be read). */
  line: number;
  /** 1-based column, or 0 with line 0. */
  column: number;
  /** Path in the document, e.g. "accounts[1].numbers[0].areaCode"; "" for the document itself. */
  path: string;
  /** What was expected and what was found. */
  message: string;
}

/** "config/accounts.yaml:12:7: accounts[1].numbers[0].areaCode: expected …, got …" */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return [where, issue.path, issue.message].filter((part) => part !== "").join(": ");
}

/** At most this many problems are printed; the rest are counted ("… and 12 more problems"). */
export const MAX_PRINTED_ISSUES = 50;

/** One line per issue, the first MAX_PRINTED_ISSUES of them, then how many more there are. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.slice(0, MAX_PRINTED_ISSUES).map(formatIssue);
  const more = issues.length - MAX_PRINTED_ISSUES;
  if (more > 0) lines.push(`… and ${more} more problem${more === 1 ? "" : "s"}`);
  return lines.join("\n");
}

/** The configuration is invalid. Holds every issue found, not just the first. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(formatIssues(issues) || "invalid accounts configuration");
    this.issues = issues;
  }
}
