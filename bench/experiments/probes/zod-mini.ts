import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * Size probe: the same schemas as zod-classic.ts written with zod/mini, which tree-shakes what a
 * schema does not use. English messages are configured, as the classic API does by itself.
 */
z.config(en());

const numeric = z.optional(
  z.nullable(
    z.pipe(
      z.transform((value: unknown) => (typeof value === 'string' ? Number(value) : value)),
      z.number(),
    ),
  ),
);
const Row = z.looseObject({ time: z.string(), total_calls: numeric, rates: z.record(z.string(), numeric) });
const Env = z
  .object({
    URL: z._default(z.url().check(z.refine((url) => url.startsWith('https://'))), 'https://example.com'),
    ZONE: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
    LIMIT: z._default(z.coerce.number().check(z.int(), z.positive()), 3),
    LEVEL: z._default(z.enum(['DEBUG', 'INFO']), 'INFO'),
    KEY: z.pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined) => value?.trim()),
    ),
    PREFIX: z.string().check(z.regex(/^[a-z/]*$/)),
  })
  .check(
    z.superRefine((env, ctx) => {
      if (env.LIMIT > 9) ctx.addIssue({ code: 'custom', path: ['LIMIT'], message: 'too many' });
    }),
  );
const Notified = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('firing'), at: z.iso.datetime({ offset: true }) }),
  z.strictObject({
    status: z.literal('ok'),
    count: z.catch(z.number().check(z.int(), z.nonnegative()), 0),
    share: z.number().check(z.gte(0), z.lte(1)),
  }),
]);
const Window = z.union([z.string().check(z.regex(/^\d\d:\d\d$/)), z.literal('24:00')]);
const Document = z.object({
  rows: z.optional(z.nullable(z.array(Row))),
  env: Env,
  notified: z.array(Notified).check(z.maxLength(50)),
  window: Window,
  pipe: z.pipe(z.string(), z.string().check(z.startsWith('x'))),
});

export type Document = z.infer<typeof Document>;
export const parseDocument = (input: unknown) => Document.safeParse(input);
