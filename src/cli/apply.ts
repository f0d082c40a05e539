/**
 * `npm run apply -- --plan DIR [--stack NAME] [--expect-digest sha256:…] [--allow-releases]`:
 * applies a plan saved by `npm run plan -- --save-plan DIR` with `pulumi up --plan`, so the
 * deployment does what was shown and nothing more (src/plan/apply.ts). Exit codes: 0 applied,
 * 1 refused or failed (the reason first), 2 usage.
 */
import { applySavedPlan } from "../plan/apply";
import { RELEASE_DIGEST_PATTERN } from "../plan/release-digest";
import { WrapperUsageError } from "../pulumi/backend";
import { headCommit } from "../util/git";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";

const USAGE = `Usage: npm run apply -- --plan <dir> [options]

Applies a saved plan (npm run plan -- --stack <name> --save-plan <dir>) with \`pulumi up --plan\`,
refreshing from Twilio first: the deployment does the operations the plan holds and stops before
any it does not hold (a release, a deletion, a replacement, a change nobody previewed), naming it.

Before Pulumi runs, the plan must be for this stack (--stack), made at this checkout's commit,
have the releases digest given with --expect-digest, and hold no release or deletion unless
--allow-releases says a person approved them. Otherwise nothing runs.

Options:
  --plan <dir>               the saved plan's directory (required)
  --stack <name>             refuse a plan of another stack
  --expect-digest <digest>   refuse a plan whose releases digest differs (sha256:…, as the plan
                             printed it): the one that was approved
  --allow-releases           the plan's releases and deletions were approved: apply them
  -h, --help                 show this help

Backend and credentials as npm run pulumi: PULUMI_BACKEND_URL with its passphrase, Twilio
credentials in the environment (TWILIO_ACCOUNT_SID with TWILIO_API_KEY and TWILIO_API_SECRET, or
TWILIO_AUTH_TOKEN).

Exit codes: 0 applied, 1 refused (nothing ran) or failed (the reason first), 2 usage.`;

export const applyCommand = defineCommand({
  script: "apply",
  usage: USAGE,
  options: {
    plan: { type: "string" },
    stack: { type: "string" },
    "expect-digest": { type: "string" },
    "allow-releases": { type: "boolean" },
  },
  async run({ values }, io) {
    if (!values.plan) throw new UsageError("--plan is required (the saved plan's directory)");
    const expectDigest = values["expect-digest"];
    if (expectDigest !== undefined && !RELEASE_DIGEST_PATTERN.test(expectDigest)) {
      throw new UsageError(
        `--expect-digest expects sha256: and 64 hex digits, got '${expectDigest}'`,
      );
    }
    let outcome: Awaited<ReturnType<typeof applySavedPlan>>;
    try {
      outcome = await applySavedPlan({
        dir: resolvePath(io, values.plan),
        stack: values.stack,
        commit: headCommit(),
        expectDigest,
        allowReleases: values["allow-releases"] === true,
        echo: true,
        log: (line) => io.err(`[apply] ${line}\n`),
      });
    } catch (error) {
      if (!(error instanceof WrapperUsageError)) throw error;
      io.err(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    switch (outcome.status) {
      case "applied":
        io.out(
          `applied the saved plan of stack ${outcome.saved.manifest.stack} (releases digest ${outcome.saved.manifest.releaseDigest})\n`,
        );
        return EXIT.ok;
      case "refused":
        io.err(`error: refused: ${outcome.reason}\nNothing was applied.\n`);
        return EXIT.failure;
      case "violated":
        io.err(`error: ${outcome.reason}\n`);
        return EXIT.failure;
      case "failed":
        io.err(
          `error: ${outcome.reason}\n[apply] the update of stack ${outcome.saved.manifest.stack} failed; see the log above for what ran\n`,
        );
        return EXIT.failure;
    }
  },
});

if (require.main === module) main(applyCommand);
