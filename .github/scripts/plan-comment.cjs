/**
 * The plan job's calls to GitHub, for actions/github-script in .github/workflows/plan.yml: the
 * sticky plan comment (one per stack, found by its marker AND by its author, the workflow's own
 * bot, so a comment a person writes that starts with the marker is never read or edited), and
 * removing the approval label when the plan's releases changed (the decision is
 * src/plan/approval.ts's, taken in scripts/ci-plan.sh). Tested in test/workflows/ with a stand-in
 * for the issues API that has Octokit's method names and arguments.
 */

/** The author of the workflow's comments: GITHUB_TOKEN acts as this bot. */
const WORKFLOW_BOT = { login: "github-actions[bot]", type: "Bot" };

/** The first line of a stack's plan comment (src/plan/approval.ts writes it). */
function planCommentMarker(stack) {
  return `<!-- twilio-messaging-plan:${stack} -->`;
}

function isWorkflowComment(comment, marker) {
  return (
    comment.user?.login === WORKFLOW_BOT.login &&
    comment.user?.type === WORKFLOW_BOT.type &&
    typeof comment.body === "string" &&
    comment.body.startsWith(`${marker}\n`)
  );
}

/**
 * The workflow's own comment that starts with `marker`, or undefined.
 *
 * @param {{ github: any, context: any, marker: string }} args
 */
async function findPlanComment({ github, context, marker }) {
  const { owner, repo } = context.repo;
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number: context.issue.number,
    per_page: 100,
  });
  return comments.find((comment) => isWorkflowComment(comment, marker));
}

/**
 * Writes the body of the stack's previous plan comment to `file` (an empty file when there is
 * none), for scripts/ci-plan.sh to read what it recorded.
 *
 * @param {{ github: any, context: any, stack: string, file: string }} args
 * @returns {Promise<string | undefined>} the comment's URL, when there is one
 */
async function savePreviousPlanComment({ github, context, stack, file }) {
  const previous = await findPlanComment({ github, context, marker: planCommentMarker(stack) });
  require("node:fs").writeFileSync(file, previous?.body ?? "");
  return previous ? (previous.html_url ?? `#${previous.id}`) : undefined;
}

/**
 * Posts the plan as a comment, or updates the workflow's own comment for the same stack.
 *
 * @param {{ github: any, context: any, body: string, create?: boolean }} args
 *   create: false only updates an existing comment ("nothing to plan" starts none)
 * @returns {Promise<"created" | "updated" | "not needed">}
 */
async function upsertPlanComment({ github, context, body, create = true }) {
  const marker = body.split("\n", 1)[0];
  if (!marker.startsWith("<!-- twilio-messaging-plan:")) {
    throw new Error(`the plan Markdown does not start with its marker: ${JSON.stringify(marker)}`);
  }
  const { owner, repo } = context.repo;
  const previous = await findPlanComment({ github, context, marker });
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    return "updated";
  }
  if (!create) return "not needed";
  await github.rest.issues.createComment({ owner, repo, issue_number: context.issue.number, body });
  return "created";
}

/**
 * Removes the approval label from the pull request; already gone (404) is not an error.
 *
 * @param {{ github: any, context: any, label: string }} args
 * @returns {Promise<"removed" | "already gone">}
 */
async function removeApprovalLabel({ github, context, label }) {
  const { owner, repo } = context.repo;
  try {
    await github.rest.issues.removeLabel({
      owner,
      repo,
      issue_number: context.issue.number,
      name: label,
    });
    return "removed";
  } catch (error) {
    if (error?.status === 404) return "already gone";
    throw error;
  }
}

module.exports = {
  WORKFLOW_BOT,
  findPlanComment,
  planCommentMarker,
  removeApprovalLabel,
  savePreviousPlanComment,
  upsertPlanComment,
};
