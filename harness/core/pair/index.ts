/** `agtest pair`'s core: scenarios, judging an exchange by the protocol state machines, the matrix, the report. */
export { judgeExchange, type Cast, type LoggedMessage } from "./judge.js";
export { oracleGaps, protocolMatrix } from "./matrix.js";
export { pairMarkdown } from "./markdown.js";
export { cellText, pairTable } from "./table.js";
export type {
  Exchange,
  OracleGap,
  PairCell,
  PairReport,
  PairRole,
  PairRule,
  PairScenario,
  ProtocolMatrix,
  UnsupportedRole,
} from "./types.js";
