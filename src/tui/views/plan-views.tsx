/**
 * The plan's two views: the review (a cursor over the steps; it takes the arrow keys and
 * Esc itself) and the Plan view (live status of each step while the plan runs, and after).
 * Both draw lines from plan-lines.ts; the review's keys are handled by whoever creates it.
 */
import type { ViewProps, ViewSpec } from "../commands/registry.js";
import { PLAN_REVIEW_VIEW, PLAN_VIEW } from "../state/plan-state.js";
import { planStatusLines, reviewLines, reviewWindow } from "./plan-lines.js";
import { ViewFrame } from "./view-frame.js";

export const planView: ViewSpec = {
  id: PLAN_VIEW,
  title: "Plan",
  render: (p) => (
    <ViewFrame
      title="Plan"
      lines={planStatusLines(p.state.plan, p.width - 1, p.state.now)}
      scroll={p.scroll}
      height={p.height}
      width={p.width}
    />
  ),
};

function renderReview(p: ViewProps) {
  const ui = p.state.plan;
  // The window follows the cursor, so the frame gets exactly the rows it shows.
  const lines = ui ? reviewWindow(reviewLines(ui, p.width - 1), Math.max(1, p.height - 2)) : [];
  return (
    <ViewFrame
      title="Plan review"
      lines={lines}
      scroll={0}
      height={p.height}
      width={p.width}
      escapeLabel="Esc cancel"
    />
  );
}

export function createReviewView(onKey: NonNullable<ViewSpec["onKey"]>): ViewSpec {
  return { id: PLAN_REVIEW_VIEW, title: "Plan review", captureKeys: true, render: renderReview, onKey };
}
