/**
 * Which model does what: the planner (`planner_model`, else `model`) and each kind of
 * step through `[profiles.NAME.model_routes]` (a missing route falls back on `model`).
 * Quick mode uses the quick route.
 */
import { MODEL_ROUTES, type ModelRoute, type Profile } from "../config/types.js";

export interface ModelChoice {
  planner: string;
  routes: Record<ModelRoute, string>;
}

export function chooseModels(profile: Pick<Profile, "model" | "plannerModel" | "modelRoutes">): ModelChoice {
  const routes = Object.fromEntries(
    MODEL_ROUTES.map((route) => [route, profile.modelRoutes?.[route] ?? profile.model]),
  ) as Record<ModelRoute, string>;
  return { planner: profile.plannerModel ?? profile.model, routes };
}
