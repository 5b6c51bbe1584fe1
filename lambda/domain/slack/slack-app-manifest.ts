import * as z from '../shared/zod';

/**
 * The Slack app manifest for app mode (api.slack.com/apps → Create New App → From a manifest):
 * the bot's scopes and the interactivity request URL, printed by `slack-manifest`. Checked
 * against its schema before it is printed.
 */

/** What app mode calls: chat.postMessage, chat.update, chat.getPermalink, chat.postEphemeral, auth.test. */
export const SLACK_APP_SCOPES = ['chat:write'] as const;
/** usergroups.users.list, only when SLACK_OPERATORS names a user group (S…). */
export const USER_GROUP_SCOPE = 'usergroups:read';

/** Slack's limit on an app's (and its bot's) display name. */
const NAME_MAX = 35;

const ManifestSchema = z.object({
  _metadata: z.object({ major_version: z.literal(1), minor_version: z.literal(1) }),
  display_information: z.object({
    name: z.string().check(z.minLength(1), z.maxLength(NAME_MAX)),
    description: z.string().check(z.maxLength(140)),
  }),
  features: z.object({
    bot_user: z.object({
      display_name: z.string().check(z.minLength(1), z.maxLength(80)),
      always_online: z.boolean(),
    }),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()).check(z.minLength(1)) }) }),
  settings: z.object({
    interactivity: z.object({ is_enabled: z.literal(true), request_url: z.url({ protocol: /^https?$/ }) }),
    org_deploy_enabled: z.boolean(),
    socket_mode_enabled: z.literal(false),
    token_rotation_enabled: z.boolean(),
  }),
});
export type SlackAppManifest = z.infer<typeof ManifestSchema>;

/** Thrown when the manifest would not be one Slack accepts; names the field. */
export class SlackManifestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SlackManifestError';
  }
}

export function buildSlackAppManifest(options: {
  /** The monitor's name (MONITOR_NAME): the app's and bot's name, cut to Slack's 35 characters. */
  readonly name: string;
  /** The interactions function's URL (stack output InteractionsUrl). */
  readonly interactivityUrl: string;
  /** SLACK_OPERATORS: a user-group id among them adds usergroups:read. */
  readonly operators: readonly string[];
}): SlackAppManifest {
  const name = [...options.name.trim()].slice(0, NAME_MAX).join('').trim();
  const scopes = [
    ...SLACK_APP_SCOPES,
    ...(options.operators.some((id) => id.startsWith('S')) ? [USER_GROUP_SCOPE] : []),
  ];
  const manifest = {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Incident messages with Acknowledge and Snooze buttons, and the daily digest.',
    },
    features: { bot_user: { display_name: name, always_online: false } },
    oauth_config: { scopes: { bot: scopes } },
    settings: {
      interactivity: { is_enabled: true, request_url: options.interactivityUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
  const parsed = ManifestSchema.safeParse(manifest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SlackManifestError(
      `The Slack app manifest would be refused: ${issue?.path.map(String).join('.') ?? '(root)'} ${issue?.message ?? ''}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
