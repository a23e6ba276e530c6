import { describe, expect, it } from "vitest";
import { chooseModels } from "./routes.js";

describe("chooseModels", () => {
  it("routes each kind of step to its model and the rest to the profile's model", () => {
    const models = chooseModels({ model: "mid", plannerModel: "big", modelRoutes: { deep: "big", quick: "small" } });
    expect(models).toEqual({
      planner: "big",
      routes: { deep: "big", standard: "mid", quick: "small", search: "mid" },
    });
  });

  it("plans with the profile's model when no planner_model is set", () => {
    expect(chooseModels({ model: "only" })).toEqual({
      planner: "only",
      routes: { deep: "only", standard: "only", quick: "only", search: "only" },
    });
  });
});
