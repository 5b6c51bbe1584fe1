import * as z from '../../domain/shared/zod';

/** The parts of any AIRUDDER body the client acts on: code, message and (for auth) data.token. */
const EnvelopeSchema = z.looseObject({
  code: z.catch(z.optional(z.coerce.number().check(z.int())), undefined),
  status: z.catch(z.optional(z.string()), undefined),
  message: z.catch(z.optional(z.string()), undefined),
  data: z.catch(
    z.optional(
      z.nullable(z.looseObject({ token: z.catch(z.optional(z.string().check(z.minLength(1))), undefined) })),
    ),
    undefined,
  ),
});

export interface Envelope {
  readonly code: number | undefined;
  readonly message: string | undefined;
  readonly token: string | undefined;
}

/** Reads the envelope of a body; undefined when the body is not a JSON object. */
export function readEnvelope(bytes: Uint8Array): Envelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  return envelopeOf(json);
}

/** The envelope of a body already parsed as JSON; undefined when it is not an object. */
export function envelopeOf(json: unknown): Envelope | undefined {
  const parsed = EnvelopeSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { code, status, message, data } = parsed.data;
  return { code, message: message ?? (code !== 200 ? status : undefined), token: data?.token };
}
