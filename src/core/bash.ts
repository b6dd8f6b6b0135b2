// The shell analyzer lives in src/core/shell/: lex.ts (quoting, expansions, here-documents),
// walk.ts (lists, pipelines, functions, case), programs.ts (the program table), git.ts.
export { analyze } from "./shell/walk";
export { pathspecsMatch } from "./shell/git";
export { LIMITS } from "./shell/lex";
export type { BashAnalysis, GitKind, GitOp, PatchRef, Scope, SimpleCommand, Target, Word } from "./shell/types";

