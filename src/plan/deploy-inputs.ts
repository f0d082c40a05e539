/**
 * What a deployment reads: the accounts YAML and the code that turns it into Twilio changes. A pull
 * request that changes none of it has nothing to plan (its plan check passes at once, so a
 * required check never waits for a plan that will not run), and a push to main that changes none
 * of it deploys nothing (deploy.yml's `paths:` hold the same list; a test keeps them equal).
 *
 * Patterns are GitHub's `paths:` globs: `*` is any run of characters but `/`, `**` any run at all.
 */

/** What a deployment reads, besides the accounts files themselves. */
export const DEPLOY_INPUTS = [
  "config/**",
  "providers/**",
  "pulumi/**",
  "src/**",
  "Pulumi.yaml",
  "package.json",
  "package-lock.json",
  "tools/**",
  "scripts/**",
  ".github/**",
] as const;

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") {
      source += "[^/]*";
    } else {
      source += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * The changed files a deployment reads: those matching DEPLOY_INPUTS, and the accounts files the
 * workflow names (they may live outside config/).
 */
export function deployInputsAmong(
  changed: readonly string[],
  accountsFiles: readonly string[] = [],
): string[] {
  const patterns = DEPLOY_INPUTS.map(globToRegExp);
  const accounts = new Set(accountsFiles.map((file) => file.replace(/^\.\//, "")));
  return changed.filter((file) => accounts.has(file) || patterns.some((re) => re.test(file)));
}
