/**
 * Posts the plan as a pull-request comment, or updates the one that starts with the same marker
 * (the first line scripts/ci-plan.sh writes: one comment per stack, kept up to date).
 * Called by actions/github-script in .github/workflows/plan.yml; tested in test/workflows/.
 *
 * @param {{ github: any, context: any, body: string }} args
 * @returns {Promise<"created" | "updated">}
 */
module.exports = async function upsertPlanComment({ github, context, body }) {
  const marker = body.split("\n", 1)[0];
  if (!marker.startsWith("<!-- twilio-messaging-plan:")) {
    throw new Error(`the plan Markdown does not start with its marker: ${JSON.stringify(marker)}`);
  }
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number,
    per_page: 100,
  });
  const previous = comments.find((comment) => comment.body?.startsWith(`${marker}\n`));
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    return "updated";
  }
  await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return "created";
};
