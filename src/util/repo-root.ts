/**
 * The util room (src/util/): small helpers that know nothing of Twilio or Pulumi (the repository
 * root, what git says about it, backoff, process liveness, counting words). Imports nothing else of the project; every
 * room may import it.
 *
 * The project's root directory (where package.json, Pulumi.yaml and .local/ are), found from this
 * file's place in the checkout. The one copy: the Pulumi runner, the database's embedded default,
 * the plan, npm start and the tests all start from it.
 */
import { resolve } from "node:path";

export const repoRoot = resolve(__dirname, "..", "..");
