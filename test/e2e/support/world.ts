// The world most Claude Code scenarios start from, built one way.
import { ME_A, type Repo, tempRepo } from "../../support/world";
import { registerCoord } from "./claude";

export const ROUTES_V1 = "export const routes = [];\n";

/** A has claimed src/api/ (bead "Add API routes"), src/api/routes.ts exists, coord hook is registered. */
export function apiClaimedByA(): { repo: Repo; id: string; routes: string } {
  const world = apiClaimedByAWithoutHooks();
  registerCoord(world.repo.dir);
  return world;
}

/** The same world with no Claude Code settings at all, for the plugin route (the plugin registers coord). */
export function apiClaimedByAWithoutHooks(): { repo: Repo; id: string; routes: string } {
  const repo = tempRepo();
  const id = repo.bead("Add API routes", "Files: src/api/");
  repo.claim(id, ME_A);
  repo.write("src/api/routes.ts", ROUTES_V1);
  return { repo, id, routes: repo.path("src/api/routes.ts") };
}
