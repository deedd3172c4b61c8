/**
 * `agtest/suite`: the public API for writing a test suite (docs/suites.md). A suite file
 * `export default defineSuite({...})`; `agtest run --suite ./file.js` loads it. Everything here
 * needs only web-standard APIs, so a suite runs wherever the harness does.
 *
 * When agtest loads a suite file it maps the specifier `agtest/suite` to this very module, so a
 * suite shares the harness's classes even when agtest is not installed beside it.
 */
export { cluster, defineSuite, suiteUri, test, DEFAULT_TEST_TIMEOUT } from "./core/suite.js";
export type {
  ActionSpec,
  ClusterSpec,
  Junction,
  Side,
  Suite,
  SuiteSpec,
  SuiteTest,
  TestFn,
  TestOptions,
  TestSpec,
} from "./core/suite.js";
export type { FailureDetails, MessageFields, Posted, SuiteInfo, TestContext } from "./core/context.js";
export type { Delivery, MemoryAgent } from "./core/channel.js";
export type { RunReport, TestResult } from "./core/report.js";
export { describeFilter, matches, replyOf, type MessageFilter } from "./core/filter.js";
export { SuiteDefinitionError, TestError } from "./core/errors.js";
// The FIPA ACL message model and the interaction protocols' state machines (FIPA SC00026/27/29/37).
export {
  PERFORMATIVES,
  advance,
  isPerformative,
  nextActs,
  openConversation,
  parseMessage,
  replyTo,
  type AclMessage,
  type Conversation,
  type Performative,
} from "../protocol/index.js";
// A conversation judged message by message against its protocol's state machine.
export { Thread, fromRuntime, type NextOptions } from "../suites/fipa/thread.js";
// To test a suite without a runtime: run it against an agent written as a function.
export { memoryChannel, type MemoryChannelOptions } from "./core/channel.js";
export { runSuite, type RunOptions } from "./core/runner.js";
