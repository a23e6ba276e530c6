/**
 * Colours by role. With NO_COLOR (any value) or TERM=dumb every colour is dropped and only
 * attributes (bold, dim, inverse, underline) remain, so nothing depends on colour alone:
 * diffs keep their +/- and tool lines their glyphs.
 */
import { createContext, useContext } from "react";

export type Role =
  | "accent"
  | "user"
  | "ok"
  | "error"
  | "warn"
  | "muted"
  | "code"
  | "link"
  | "heading"
  | "added"
  | "removed"
  | "hunk";

const PALETTE: Record<Role, string> = {
  accent: "cyan",
  user: "blueBright",
  ok: "green",
  error: "red",
  warn: "yellow",
  muted: "gray",
  code: "yellowBright",
  link: "cyanBright",
  heading: "magentaBright",
  added: "green",
  removed: "red",
  hunk: "cyan",
};

/** highlight.js scopes → colours. */
const SCOPES: Record<string, string> = {
  keyword: "magenta",
  built_in: "cyan",
  type: "cyan",
  literal: "yellow",
  number: "yellow",
  string: "green",
  regexp: "red",
  comment: "gray",
  doc: "gray",
  meta: "gray",
  title: "blue",
  "title.function": "blue",
  "title.class": "yellow",
  function: "blue",
  params: "white",
  attr: "cyan",
  attribute: "cyan",
  property: "cyan",
  variable: "red",
  "template-variable": "red",
  symbol: "yellow",
  tag: "red",
  name: "red",
  selector: "magenta",
  addition: "green",
  deletion: "red",
  section: "magenta",
  bullet: "yellow",
  subst: "white",
};

export interface Theme {
  readonly color: boolean;
  /** A role's colour, or undefined without colour. */
  c(role: Role): string | undefined;
  scope(scope: string | undefined): string | undefined;
}

export function createTheme(env: NodeJS.ProcessEnv = process.env): Theme {
  const color = env.NO_COLOR === undefined && env.TERM !== "dumb";
  return {
    color,
    c: (role) => (color ? PALETTE[role] : undefined),
    scope: (scope) => (color && scope ? (SCOPES[scope] ?? SCOPES[scope.split(".")[0]]) : undefined),
  };
}

export const ThemeContext = createContext<Theme>(createTheme({}));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
