/**
 * agtest's harness core: suites, the test API, the runner, scoring, the interop profile,
 * channels and backchannels that need only web-standard APIs (fetch, timers, Web Crypto), and
 * reporters. No Node or Workers imports, so suites can run inside a Worker too; folders,
 * processes, servers and the CLI live in `harness/node/`.
 *
 * @see ../../../shared/seeds/hipe-0015-agent-test-suite-interface.md (HIPE 0015)
 */
// What suites need from protocol/, so a suite imports from one place.
export {
  PERFORMATIVES,
  advance,
  isPerformative,
  nextActs,
  openConversation,
  parseMessage,
  parseRoutable,
  receiversOf,
  replyTo,
  type AclMessage,
  type Conversation,
  type Performative,
} from "../../protocol/index.js";
export { cluster, defineSuite, suiteUri, test, DEFAULT_TEST_TIMEOUT } from "./suite.js";
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
} from "./suite.js";
export type { FailureDetails, MessageFields, Posted, SuiteInfo, TestContext } from "./context.js";
export { describeFilter, matches, replyOf, type MessageFilter } from "./filter.js";
export { DEFAULT_LANES, runSuite, type Deselected, type Lane, type RunOptions } from "./runner.js";
export { globMatcher, selectTests, type Selection, type SelectionOptions } from "./select.js";
export type { Failure, JunctionReport, ProgressEvent, RunReport, Subject, TestResult } from "./report.js";
export {
  SCORE_PATTERN,
  isScore,
  parseScore,
  scoreJunction,
  type ParsedScore,
  type Score,
  type TestStatus,
} from "./score.js";
export { canonicalSuite, suiteDigest } from "./digest.js";
export { InteropProfileSchema, parseProfile, toProfile, type InteropProfile } from "./profile.js";
export {
  DEFAULT_SILENCE_FLOOR_MS,
  Silence,
  type Quietness,
  type SilenceOptions,
  type SilenceSummary,
  type SilenceWait,
} from "./silence.js";
export { Inbox, inboundFromText, inboundFromValue, type Inbound, type TakeOptions } from "./inbox.js";
export {
  memoryChannel,
  type Channel,
  type Delivery,
  type HttpAccess,
  type MemoryAgent,
  type MemoryChannelOptions,
} from "./channel.js";
export {
  UNSUPPORTED,
  noBackchannel,
  probeAction,
  probeBackchannel,
  type ActCode,
  type ActResult,
  type Backchannel,
} from "./backchannel.js";
export { httpBackchannel, type HttpBackchannelOptions } from "./backchannels/http.js";
export { AGACT_ONTOLOGY, messageBackchannel } from "./backchannels/message.js";
export { httpChannel, type HttpChannelOptions } from "./channels/http.js";
export { PREFLIGHT_MS, preflight } from "./preflight.js";
export { unclaimUnsupported } from "./unsupported.js";
export { openRuntimeChannel, type RuntimeChannelOptions } from "./channels/runtime.js";
export { openRelaySession, type RelayChannelOptions, type RelayOptions, type RelaySession } from "./channels/relay.js";
export { openRelayChannel } from "./channels/relayed.js";
export { postMessage, retrying, type PostOptions } from "./channels/post.js";
export {
  ActionUnsupported,
  AgentUnreachable,
  BackchannelBroken,
  BackchannelLies,
  RunAborted,
  SuiteDefinitionError,
  TestError,
  TestFailure,
  TestSkipped,
} from "./errors.js";
export { tableReport } from "./reporters/table.js";
export { profileJson } from "./reporters/json.js";
export { junitReport } from "./reporters/junit.js";
export { markdownReport, type MarkdownOptions } from "./reporters/markdown.js";
export {
  FAIL_ON,
  diffProfiles,
  gate,
  gateLines,
  type ChangeKind,
  type FailOn,
  type Gate,
  type GateFailure,
  type GateOptions,
  type JunctionChange,
  type Known,
  type KnownEntry,
  type ProfileDiff,
} from "./compare.js";
