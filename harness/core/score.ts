/** Scores live in `protocol/` (shared with the runtime and the action); re-exported for suites. */
export {
  SCORE_PATTERN,
  isScore,
  parseScore,
  scoreJunction,
  type ParsedScore,
  type Score,
  type TestStatus,
} from "../../protocol/index.js";
