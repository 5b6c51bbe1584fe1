import * as z from 'zod';

/**
 * Size probe: every zod feature the function uses (see lambda/**), written with the classic API as
 * the code is today. Bundled alone, its zod share should match the handler bundle's.
 */
const numeric = z
  .preprocess((value) => (typeof value === 'string' ? Number(value) : value), z.number().finite())
  .nullable()
  .optional();
const Row = z.looseObject({ time: z.string(), total_calls: numeric, rates: z.record(z.string(), numeric) });
const Env = z
  .object({
    URL: z
      .url()
      .refine((url) => url.startsWith('https://'))
      .default('https://example.com'),
    ZONE: z.string().trim().min(1).max(64),
    LIMIT: z.coerce.number().int().positive().default(3),
    LEVEL: z.enum(['DEBUG', 'INFO']).default('INFO'),
    KEY: z
      .string()
      .optional()
      .transform((value) => value?.trim()),
    PREFIX: z.string().regex(/^[a-z/]*$/),
  })
  .superRefine((env, ctx) => {
    if (env.LIMIT > 9) ctx.addIssue({ code: 'custom', path: ['LIMIT'], message: 'too many' });
  });
const Notified = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('firing'), at: z.iso.datetime({ offset: true }) }),
  z.strictObject({
    status: z.literal('ok'),
    count: z.number().int().nonnegative().catch(0),
    share: z.number().min(0).max(1),
  }),
]);
const Window = z.union([z.string().regex(/^\d\d:\d\d$/), z.literal('24:00')]);
const Document = z.object({
  rows: z.array(Row).nullable().optional(),
  env: Env,
  notified: z.array(Notified).max(50),
  window: Window.describe('mute window'),
  pipe: z.string().pipe(z.string().startsWith('x')),
});

export type Document = z.infer<typeof Document>;
export const parseDocument = (input: unknown) => Document.safeParse(input);
