import { parse } from "yaml";

/** One input of `action.yml`, as GitHub's metadata syntax defines it. */
export type ActionInput = { description: string; required?: boolean; default?: string; deprecationMessage?: string };

/** What tests read from `action.yml`: parsed by a YAML parser, never by regular expression. */
export type ActionMetadata = {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};

/** Parses `action.yml` (throws on a YAML error, as GitHub would refuse the action). */
export function actionMetadata(source: string): ActionMetadata {
  return parse(source, { prettyErrors: true }) as ActionMetadata;
}

/**
 * The inputs' defaults, as the runner fills them in for inputs a workflow does not give:
 * `${{ github.token }}` becomes `token`.
 * @see https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#inputs
 */
export function actionDefaults(source: string, token: string): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(actionMetadata(source).inputs)) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    if (input.default !== undefined) defaults[name] = String(input.default).replace("${{ github.token }}", token);
  }
  return defaults;
}
